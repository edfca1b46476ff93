package com.aicompanion.monitoring.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.Monitoring;
import com.aicompanion.monitoring.MonitoringException;
import com.aicompanion.monitoring.testsupport.otlp.OtlpHttpReceiver;
import com.aicompanion.monitoring.testsupport.otlp.ReceivedMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The push to a live OTLP/HTTP receiver that decodes the real protobuf. */
class OtlpMetricsPushTest {
  private static Monitoring start(String export, OtlpHttpReceiver receiver) {
    return Monitoring.builder("batch-job")
        .metricsHost("127.0.0.1")
        .metricsPort(0)
        .shutdownHook(false)
        .registerGlobal(false)
        .config("metrics.export", export)
        .config("metrics.otlp.endpoint", receiver.url() + "/v1/metrics")
        .config("metrics.otlp.step", "1s")
        .config("metrics.otlp.headers", "Authorization=Bearer push-token")
        .config("environment", "staging")
        .start();
  }

  private static int metricsStatus(Monitoring monitoring) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + monitoring.metricsAddress().getPort() + "/metrics");
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void theFacadesMetricsArriveWithTheServiceIdentityAndMetricsIsAbsent() throws Exception {
    try (OtlpHttpReceiver receiver = OtlpHttpReceiver.start();
        Monitoring monitoring = start("otlp", receiver)) {
      monitoring.monitor().incrementCounter("jobs_total", 3, Map.of("queue", "ingest"));
      monitoring.monitor().recordCustomMetric("step_duration", Duration.ofMillis(250));
      monitoring.monitor().llm().start("openai", "gpt-4o", "chat").finish(10, 20);

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(receiver.metrics.all().stream().map(ReceivedMetrics.Received::name))
                      .contains(
                          "jobs",
                          "step_duration",
                          "gen_ai.client.operation.duration",
                          "gen_ai.client.token.usage"));
      ReceivedMetrics.Received jobs = receiver.metrics.latest("jobs").orElseThrow();
      assertThat(jobs.metric().getSum().getDataPoints(0).getAsDouble()).isEqualTo(3.0);
      assertThat(jobs.resourceAttributes())
          .containsEntry("service.name", "batch-job")
          .containsEntry("deployment.environment.name", "staging");
      assertThat(receiver.metrics.authorizations()).contains("Bearer push-token");
      assertThat(metricsStatus(monitoring)).isEqualTo(404);
    }
  }

  @Test
  void withBothTheEndpointAnswersAndThePushArrives() throws Exception {
    try (OtlpHttpReceiver receiver = OtlpHttpReceiver.start();
        Monitoring monitoring = start("both", receiver)) {
      monitoring.monitor().incrementCounter("jobs_total", Map.of("queue", "ingest"));

      assertThat(metricsStatus(monitoring)).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> receiver.metrics.latest("jobs").isPresent());
    }
  }

  @Test
  void aReceiverDownIsCountedAndNeverThrows() throws Exception {
    OtlpHttpReceiver receiver = OtlpHttpReceiver.start();
    try (Monitoring monitoring = start("both", receiver)) {
      receiver.stop();
      monitoring.monitor().incrementCounter("jobs_total", Map.of("queue", "ingest"));

      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  monitoring
                          .monitor()
                          .registry()
                          .find("monitoring.metrics.push.failures")
                          .counter()
                          .count()
                      >= 1);
    } finally {
      receiver.close();
    }
  }

  @Test
  void anUnknownExportValueIsRefusedNamingTheChoices() {
    // without this module on the classpath: monitoring-core's MetricsExportWithoutModuleTest
    assertThatThrownBy(
            () ->
                Monitoring.builder("batch-job")
                    .metricsPort(0)
                    .shutdownHook(false)
                    .registerGlobal(false)
                    .config("metrics.export", "push")
                    .start())
        .isInstanceOf(MonitoringException.class)
        .hasMessageContaining("push")
        .hasMessageContaining("prometheus, otlp, both");
  }
}
