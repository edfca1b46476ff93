package com.aicompanion.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The unknown-key warnings of {@code start()} are logged once the modules up to the logging
 * module's order have started (so that they come out through the logging module's set-up, as ECS
 * JSON with the service's identity) and before the later modules start; on a failure they are still
 * logged before the exception reaches the caller.
 */
class StartupWarningOrderTest {
  private static final String UNKNOWN = "Unknown configuration key MONITORING_ZZZ is ignored";

  @Test
  void warningsComeAfterTheLoggingModuleAndBeforeTheNextOne() {
    List<String> messages;
    try (LogCapture log = LogCapture.of(org.slf4j.Logger.ROOT_LOGGER_NAME)) {
      TestMonitoring.builder("order-svc", Map.of("MONITORING_ZZZ", "1"), new Properties())
          .config("test.order", "true")
          .start()
          .close();
      messages = log.messages();
    }
    assertThat(messages).containsOnlyOnce(UNKNOWN);
    int atLogging = messages.indexOf("started at-logging");
    int warning = messages.indexOf(UNKNOWN);
    int atTracing = messages.indexOf("started at-tracing");
    int started = indexOfStarting(messages, "Monitoring started for order-svc");
    assertThat(atLogging).as("%s", messages).isNotNegative();
    assertThat(warning).as("%s", messages).isGreaterThan(atLogging);
    assertThat(atTracing).as("%s", messages).isGreaterThan(warning);
    assertThat(started).as("%s", messages).isGreaterThan(atTracing);
  }

  @Test
  void aModuleThatFailsStillLetsTheWarningsOutOnce() {
    try (LogCapture log = LogCapture.of(Monitoring.class)) {
      assertThatThrownBy(
              () ->
                  TestMonitoring.builder(
                          "order-fail", Map.of("MONITORING_ZZZ", "1"), new Properties())
                      .config("test.order", "true")
                      .config("test.order.fail", "at-logging")
                      .start())
          .hasMessage("test.order.fail=at-logging makes this module fail");
      assertThat(log.warnings()).containsExactly(UNKNOWN);
    }
  }

  @Test
  void aFailureBeforeAnyModuleStillLetsTheWarningsOut() {
    try (LogCapture log = LogCapture.of(Monitoring.class)) {
      assertThatThrownBy(
              () ->
                  TestMonitoring.builder(
                          "order-path",
                          Map.of("MONITORING_ZZZ", "1", "MONITORING_METRICS_PATH", "metrics"),
                          new Properties())
                      .start())
          .isInstanceOf(MonitoringException.class)
          .hasMessageContaining("MONITORING_METRICS_PATH=metrics");
      assertThat(log.warnings()).containsExactly(UNKNOWN);
    }
  }

  private static int indexOfStarting(List<String> messages, String prefix) {
    for (int i = 0; i < messages.size(); i++) {
      if (messages.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }
}
