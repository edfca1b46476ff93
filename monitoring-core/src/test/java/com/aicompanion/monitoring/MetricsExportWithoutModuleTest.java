package com.aicompanion.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * {@code metrics.export=otlp|both} without monitoring-otlp-metrics on the classpath (it is not on
 * monitoring-core's) fails at start naming the artifact, and closes the modules that had started.
 */
class MetricsExportWithoutModuleTest {

  @Test
  void otlpFromTheEnvironmentWithoutTheModuleFailsNamingTheVariableAndTheArtifact() {
    assertThatThrownBy(
            () ->
                TestMonitoring.builder(
                        "export-otlp",
                        Map.of("MONITORING_METRICS_EXPORT", "otlp"),
                        new Properties())
                    .config("test.modules", "a")
                    .start())
        .isInstanceOf(MonitoringException.class)
        .hasMessageContaining("MONITORING_METRICS_EXPORT")
        .hasMessageContaining("com.aicompanion.monitoring:monitoring-otlp-metrics")
        .hasMessageContaining("metrics.export=prometheus");
    // what had started is closed again
    assertThat(RecordingTestModule.EVENTS.get("export-otlp")).containsExactly("start a", "close a");
  }

  @Test
  void bothWithoutTheModuleFailsToo() {
    assertThatThrownBy(
            () -> TestMonitoring.builder("export-both").config("metrics.export", "both").start())
        .isInstanceOf(MonitoringException.class)
        .hasMessageContaining("both")
        .hasMessageContaining("monitoring-otlp-metrics");
  }

  @Test
  void prometheusNeedsNoModuleAndServesMetrics() {
    try (Monitoring monitoring =
        TestMonitoring.builder("export-prometheus")
            .config("metrics.export", "prometheus")
            .start()) {
      assertThat(TestMonitoring.get(monitoring, "/metrics").statusCode()).isEqualTo(200);
    }
  }
}
