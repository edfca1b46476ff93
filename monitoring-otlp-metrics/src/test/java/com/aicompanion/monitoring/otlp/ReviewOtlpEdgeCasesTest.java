package com.aicompanion.monitoring.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.Monitoring;
import com.aicompanion.monitoring.testsupport.otlp.OtlpHttpReceiver;
import com.aicompanion.monitoring.testsupport.otlp.ReceivedMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** Review of issue 14: OTLP push inputs the other tests did not use. */
class ReviewOtlpEdgeCasesTest {
  private static Monitoring start(String export, String endpoint) {
    return Monitoring.builder("batch-job")
        .metricsHost("127.0.0.1")
        .metricsPort(0)
        .shutdownHook(false)
        .registerGlobal(false)
        .config("tracing.enabled", "false")
        .config("metrics.export", export)
        .config("metrics.otlp.endpoint", endpoint)
        .config("metrics.otlp.step", "1s")
        .start();
  }

  @Test
  void aGaugeAndACounterCreatedAfterStartArrive() throws Exception {
    try (OtlpHttpReceiver receiver = OtlpHttpReceiver.start();
        Monitoring monitoring = start("both", receiver.url() + "/v1/metrics")) {
      AtomicInteger depth = new AtomicInteger(17);
      monitoring.monitor().setGauge("late_queue_depth", depth.get(), Map.of("queue", "q"));
      for (int i = 0; i < 50; i++) {
        monitoring.monitor().incrementCounter("late_events_total", Map.of("k", "v" + i));
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(receiver.metrics.all().stream().map(ReceivedMetrics.Received::name))
                      .contains("late_queue_depth", "late_events"));
      assertThat(
              receiver
                  .metrics
                  .latest("late_events")
                  .orElseThrow()
                  .metric()
                  .getSum()
                  .getDataPointsCount())
          .isEqualTo(50);
    }
  }

  @Test
  @Disabled(
      "review: metrics.otlp.endpoint without a path (http://host:4318) starts fine and every"
          + " push then goes to / and fails")
  void anEndpointWithoutItsPathIsRefusedAtStartNamingTheFix() throws Exception {
    try (OtlpHttpReceiver receiver = OtlpHttpReceiver.start()) {
      // the OTEL_EXPORTER_OTLP_ENDPOINT habit: base URL only. Micrometer posts to it as it is
      // (path "/"), every push fails, and the service only says so in one WARN line.
      assertThatThrownBy(() -> start("otlp", receiver.url().toString()).close())
          .hasMessageContaining("metrics.otlp.endpoint")
          .hasMessageContaining("/v1/metrics");
    }
  }
}
