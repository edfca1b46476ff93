package com.aicompanion.monitoring.tracing.internal;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * In front of the SDK's batch processor: a sampled span that would find its queue full is dropped
 * here and counted in {@code monitoring_spans_total{outcome="dropped"}}, instead of being dropped
 * there with only a log line. Never blocks.
 *
 * <pre>{@code
 * builder.addSpanProcessorCustomizer((p, c) -> new AdmissionSpanProcessor(p, accounting, 2048));
 * }</pre>
 */
public final class AdmissionSpanProcessor implements SpanProcessor {
  private final SpanProcessor batcher;
  private final SpanAccounting accounting;
  private final int capacity;

  public AdmissionSpanProcessor(SpanProcessor batcher, SpanAccounting accounting, int capacity) {
    this.batcher = batcher;
    this.accounting = accounting;
    this.capacity = capacity;
  }

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {
    batcher.onStart(parentContext, span);
  }

  @Override
  public boolean isStartRequired() {
    return batcher.isStartRequired();
  }

  @Override
  public void onEnd(ReadableSpan span) {
    if (span.getSpanContext().isSampled() && !accounting.admit(capacity)) {
      return;
    }
    batcher.onEnd(span);
  }

  @Override
  public boolean isEndRequired() {
    return true;
  }

  @Override
  public CompletableResultCode shutdown() {
    return batcher.shutdown();
  }

  @Override
  public CompletableResultCode forceFlush() {
    return batcher.forceFlush();
  }
}
