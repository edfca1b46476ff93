package com.aicompanion.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.Monitoring;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

/** Smoke test: the example's traffic reaches the real /metrics endpoint. */
class QuickstartAppTest {
  @Test
  void simulatedTrafficIsScrapable() {
    try (Monitoring monitoring =
        Monitoring.builder("quickstart").metricsHost("127.0.0.1").metricsPort(0).start()) {
      ScheduledExecutorService work = QuickstartApp.simulateTraffic(monitoring.monitor());
      try {
        HttpClient http = HttpClient.newHttpClient();
        URI metrics =
            URI.create("http://127.0.0.1:" + monitoring.metricsAddress().getPort() + "/metrics");
        await("custom metrics in /metrics")
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () -> {
                  String body =
                      http.send(
                              HttpRequest.newBuilder(metrics).build(),
                              HttpResponse.BodyHandlers.ofString())
                          .body();
                  assertThat(body)
                      .contains(
                          "app_info{environment=\"dev\",service=\"quickstart\"",
                          "custom_events_total{event_type=",
                          "custom_operation_duration_seconds_count ",
                          "messages_total{channel=\"web\"}",
                          "queue_depth{queue=\"ingest\"}");
                });
      } finally {
        work.shutdownNow();
      }
    }
  }
}
