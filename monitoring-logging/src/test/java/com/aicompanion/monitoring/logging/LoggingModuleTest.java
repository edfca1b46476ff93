package com.aicompanion.monitoring.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.Monitoring;
import com.aicompanion.monitoring.MonitoringException;
import com.aicompanion.monitoring.testsupport.opensearch.OpenSearchExtension;
import com.aicompanion.monitoring.testsupport.opensearch.OpenSearchNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

  private static String scrape(Monitoring monitoring) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + monitoring.metricsAddress().getPort() + "/metrics");
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
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
    String metrics = scrape(monitoring);
    assertThat(metrics)
        .contains("logback_events_total{level=\"warn\"")
        .contains("monitoring_log_events_total{outcome=\"shipped\"}")
        .contains("monitoring_log_events_total{outcome=\"dropped\"} 0.0")
        .containsPattern("(?m)^monitoring_log_queue_size(\\{[^}]*})? \\d")
        .doesNotContain("monitoring_log_queue_size_");
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
