package com.aicompanion.monitoring.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** {@code Tracing.Builder.spanProcessor(..)}: the one seam for extra span processors. */
class SpanProcessorSeamTest {
  @Test
  @SuppressWarnings("try") // the scope is only held open
  void anAddedProcessorSeesEveryEndedSpanAndIsShutDownWithTracing() {
    Recording recording = new Recording();
    Tracing tracing =
        Tracing.builder("seam-test")
            .meterRegistry(new SimpleMeterRegistry())
            .registerGlobal(false)
            .shutdownHook(false)
            .otelProperty("otel.traces.exporter", "none")
            .spanProcessor(recording)
            .install();
    io.opentelemetry.api.trace.Span outer = tracing.tracer().spanBuilder("outer").startSpan();
    try (io.opentelemetry.context.Scope scope = outer.makeCurrent()) {
      tracing.tracer().spanBuilder("inner").startSpan().end();
    } finally {
      outer.end();
    }
    tracing.close();

    assertThat(recording.ended).containsExactly("inner", "outer");
    assertThat(recording.shutDown).isTrue();
  }

  @Test
  void aNullProcessorIsRejectedNamingTheMethod() {
    assertThatThrownBy(() -> Tracing.builder("seam-test").spanProcessor(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("spanProcessor(processor)");
  }

  private static final class Recording implements SpanProcessor {
    final List<String> ended = new CopyOnWriteArrayList<>();
    final AtomicBoolean shutDown = new AtomicBoolean();

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      ended.add(span.getName());
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }

    @Override
    public CompletableResultCode shutdown() {
      shutDown.set(true);
      return CompletableResultCode.ofSuccess();
    }
  }
}
