package com.aicompanion.monitoring.soak;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The full soak, a few minutes: runs only with {@code -Dsoak=true} or {@code -Psoak} (the module's
 * surefire configuration excludes it otherwise); {@code -Dsoak.minutes=N} sets the length (default
 * 3).
 */
class ResilienceSoakTest {
  @Test
  void minutesOfOutageCyclesLoseNoLogEventUncountedLeakNothingAndFailNoRequest() throws Exception {
    long minutes = Long.getLong("soak.minutes", 3);
    SoakRun.Result result =
        SoakRun.run(new SoakRun.Plan(Duration.ofMinutes(minutes), 20, Duration.ofSeconds(20)));
    SoakAssertions.check(result);
  }
}
