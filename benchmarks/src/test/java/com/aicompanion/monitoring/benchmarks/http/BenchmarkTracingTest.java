package com.aicompanion.monitoring.benchmarks.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.tracing.Spans;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The HTTP benchmarks' {@code exporter} values: {@code otlp} really exports, {@code none} not. */
class BenchmarkTracingTest {
  @Test
  void otlpSendsEverySpanToTheLiveReceiver() throws Exception {
    try (BenchmarkTracing tracing = BenchmarkTracing.install("otlp")) {
      for (int i = 0; i < 3; i++) {
        Spans.inSpan("benchmark-span", () -> "done");
      }
      // the batch processor sends within its 5 s schedule
      await().atMost(Duration.ofSeconds(20)).until(() -> tracing.spansReceived() == 3);
    }
  }

  @Test
  void noneMakesSpansAndSendsNothing() throws Exception {
    try (BenchmarkTracing tracing = BenchmarkTracing.install("none")) {
      Spans.inSpan("benchmark-span", () -> "done");
      assertThat(tracing.spansReceived()).isZero();
    }
  }

  @Test
  void anyOtherValueIsRefusedWithTheChoices() {
    assertThatThrownBy(() -> BenchmarkTracing.install("grpc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("grpc")
        .hasMessageContaining("none or otlp");
  }
}
