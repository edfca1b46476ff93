package com.aicompanion.monitoring.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.net.URI;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The span helpers when nothing records: with tracing off they run the work unchanged (and skip the
 * scope, which would change nothing); with tracing on but the trace sampled out, the span is still
 * made current, so that children and log lines keep its trace id.
 */
class SpansWithoutSamplingTest {
  @Test
  void withTracingOffTheWorkRunsAndFailuresPropagate() {
    assertThat(Spans.inSpan("no-tracing", () -> Span.current().getSpanContext()))
        .isEqualTo(SpanContext.getInvalid());
    assertThatThrownBy(
            () ->
                Spans.inSpan(
                    "no-tracing",
                    () -> {
                      throw new IllegalStateException("boom");
                    }))
        .hasMessage("boom");
  }

  @Test
  void sampledOutSpanIsStillCurrentForItsChildren() throws Exception {
    try (Tracing tracing =
        Tracing.builder("sampled-out")
            .meterRegistry(new SimpleMeterRegistry())
            .otlpEndpoint(URI.create("http://127.0.0.1:1"))
            .samplingRatio(0.0)
            .install()) {
      AtomicReference<SpanContext> inner = new AtomicReference<>();
      Spans.call(
          "outer",
          () -> {
            inner.set(Span.current().getSpanContext());
            return null;
          });
      assertThat(inner.get().isValid()).isTrue();
      assertThat(inner.get().isSampled()).isFalse();
      assertThat(tracing).isNotNull();
    }
  }
}
