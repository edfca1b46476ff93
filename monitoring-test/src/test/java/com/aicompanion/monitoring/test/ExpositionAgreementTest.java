package com.aicompanion.monitoring.test;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.Monitor;
import com.aicompanion.monitoring.Monitoring;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The kit's names are those of {@code /metrics}: for a started {@link Monitoring} with every module
 * on the classpath, the families the kit sees are exactly the families the text exposition
 * declares, and a value the kit reads is the value the text shows.
 */
class ExpositionAgreementTest {
  @Test
  void theKitSeesExactlyTheFamiliesAndValuesThatMetricsServes() throws Exception {
    try (Monitoring monitoring =
        Monitoring.builder("agreement-test")
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .shutdownHook(false)
            .config("tracing.enabled", "false")
            .start()) {
      Monitor monitor = monitoring.monitor();
      monitor.incrementCounter("jobs_total", 3, Map.of("queue", "ingest"));
      monitor.setGauge("queue_depth", 17, Map.of("queue", "ingest"));
      monitor.recordCustomMetric("embedding_duration", Duration.ofMillis(40));
      monitor.recordCustomMetric("payload_size_bytes", 512.0);
      monitor.http().record("POST", "/chat", 200, Duration.ofMillis(840));
      monitor.cache("llm-responses").hit();
      monitor.llm().start("openai", "gpt-4o", "chat").finish(10, 20);

      String text = scrape(monitoring);
      Set<String> declared =
          text.lines()
              .filter(l -> l.startsWith("# TYPE "))
              .map(l -> l.split(" ")[2])
              .collect(Collectors.toCollection(TreeSet::new));
      Set<String> seen = new TreeSet<>();
      for (MetricSnapshot snapshot : MetricsAssert.assertThat(monitoring).actual()) {
        if (!snapshot.getDataPoints().isEmpty()) {
          seen.add(Exposed.name(snapshot));
        }
      }
      assertThat(seen).isEqualTo(declared);

      assertThat(text).contains("jobs_total{queue=\"ingest\"} 3.0");
      MetricsAssert.assertThat(monitoring)
          .counter("jobs_total")
          .withLabels("queue", "ingest")
          .hasValue(3);
      assertThat(text).contains("queue_depth{queue=\"ingest\"} 17.0");
      MetricsAssert.assertThat(monitoring).gauge("queue_depth").hasValue(17);
      assertThat(text).contains("embedding_duration_seconds_count 1");
      MetricsAssert.assertThat(monitoring).timer("embedding_duration_seconds").hasCount(1);
      assertThat(text).contains("app_info{");
      MetricsAssert.assertThat(monitoring)
          .gauge("app_info")
          .withLabels("service", "agreement-test")
          .hasValue(1);
    }
  }

  private static String scrape(Monitoring monitoring) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + monitoring.metricsAddress().getPort()
                                + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }
}
