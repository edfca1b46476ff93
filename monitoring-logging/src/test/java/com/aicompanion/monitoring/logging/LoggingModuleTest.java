package com.aicompanion.monitoring.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.Monitoring;
import com.aicompanion.monitoring.MonitoringException;
import com.aicompanion.monitoring.test.MetricsAssert;
import com.aicompanion.monitoring.testsupport.opensearch.OpenSearchExtension;
import com.aicompanion.monitoring.testsupport.opensearch.OpenSearchNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** The logging module found by Monitoring.start() through the MonitoringModule SPI. */
@ExtendWith(OpenSearchExtension.class)
class LoggingModuleTest {
  private Monitoring monitoring;

  @AfterEach
  void close() {
    if (monitoring != null) {
      monitoring.close();
    }
  }

  @Test
  void monitoringStartInstallsLoggingAndExposesLogAndShippingMetrics(OpenSearchNode node)
      throws Exception {
    monitoring =
        Monitoring.builder("module-svc")
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .config("elasticsearch.url", node.uri().toString())
            .config("elasticsearch.flush.interval", "100ms")
            .start();
    JsonLogging logging = monitoring.get(JsonLogging.class);
    assertThat(logging.dataStream()).isEqualTo("logs-module-svc-dev");
    LoggerFactory.getLogger("com.example.Module").warn("through the module");

    await().atMost(Duration.ofSeconds(60)).until(() -> logging.shippedEvents() >= 2);
    MetricsAssert metrics = MetricsAssert.assertThat(monitoring);
    metrics
        .counter("logback_events_total")
        .withLabels("level", "warn")
        .value()
        .isGreaterThanOrEqualTo(1);
    metrics
        .counter("monitoring_log_events_total")
        .withLabels("outcome", "shipped")
        .value()
        .isGreaterThanOrEqualTo(2);
    metrics.counter("monitoring_log_events_total").withLabels("outcome", "dropped").hasValue(0);
    metrics.gauge("monitoring_log_queue_size").value().isGreaterThanOrEqualTo(0);
    metrics.names().noneMatch(name -> name.startsWith("monitoring_log_queue_size_"));
  }

  @Test
  void aBadLoggingSettingFailsStartNamingTheKey() {
    assertThatThrownBy(
            () ->
                Monitoring.builder("module-svc")
                    .metricsHost("127.0.0.1")
                    .metricsPort(0)
                    .config("log.level", "CHATTY")
                    .start())
        .isInstanceOf(MonitoringException.class)
        .hasMessageContaining("log.level")
        .hasMessageContaining("CHATTY");
  }
}
