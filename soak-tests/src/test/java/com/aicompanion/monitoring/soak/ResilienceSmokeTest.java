package com.aicompanion.monitoring.soak;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The soak's machinery in every build: one outage of OpenSearch, the OTLP receiver and Alertmanager
 * under light load, with the full set of end checks ({@link SoakAssertions}).
 */
class ResilienceSmokeTest {
  @Test
  void oneOutageOfEachDependencyLosesNoLogEventUncountedAndFailsNoRequest() throws Exception {
    SoakRun.Result result = SoakRun.run(new SoakRun.Plan(Duration.ZERO, 10, Duration.ofSeconds(4)));
    SoakAssertions.check(result);
  }
}
