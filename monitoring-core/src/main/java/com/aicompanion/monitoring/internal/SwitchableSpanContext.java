package com.aicompanion.monitoring.internal;

import io.prometheus.metrics.tracer.common.SpanContext;

/**
 * The span context the registry asks for exemplars. The registry is built before any module starts,
 * so the tracing module plugs its span context in here afterwards; until then there is no current
 * span and no exemplar.
 */
public final class SwitchableSpanContext implements SpanContext {
  private volatile SpanContext delegate;

  public void set(SpanContext delegate) {
    this.delegate = delegate;
  }

  @Override
  public String getCurrentTraceId() {
    SpanContext d = delegate;
    return d == null ? null : d.getCurrentTraceId();
  }

  @Override
  public String getCurrentSpanId() {
    SpanContext d = delegate;
    return d == null ? null : d.getCurrentSpanId();
  }

  @Override
  public boolean isCurrentSpanSampled() {
    SpanContext d = delegate;
    return d != null && d.isCurrentSpanSampled();
  }

  @Override
  public void markCurrentSpanAsExemplar() {
    SpanContext d = delegate;
    if (d != null) {
      d.markCurrentSpanAsExemplar();
    }
  }
}
