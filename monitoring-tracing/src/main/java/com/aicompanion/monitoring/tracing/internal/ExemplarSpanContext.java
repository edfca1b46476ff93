package com.aicompanion.monitoring.tracing.internal;

import io.opentelemetry.api.trace.Span;
import io.prometheus.metrics.tracer.common.SpanContext;

/**
 * Tells the Prometheus registry's exemplar sampler which trace is current, from {@link
 * Span#current()}. Only sampled spans become exemplars: an unsampled trace id would link to nothing
 * in Jaeger.
 *
 * <pre>{@code
 * context.exemplars(new ExemplarSpanContext());
 * }</pre>
 */
public final class ExemplarSpanContext implements SpanContext {
  /** The span attribute that marks a span chosen as an exemplar. */
  public static final String EXEMPLAR_ATTRIBUTE = "exemplar";

  @Override
  public String getCurrentTraceId() {
    io.opentelemetry.api.trace.SpanContext context = Span.current().getSpanContext();
    return context.isValid() ? context.getTraceId() : null;
  }

  @Override
  public String getCurrentSpanId() {
    io.opentelemetry.api.trace.SpanContext context = Span.current().getSpanContext();
    return context.isValid() ? context.getSpanId() : null;
  }

  @Override
  public boolean isCurrentSpanSampled() {
    io.opentelemetry.api.trace.SpanContext context = Span.current().getSpanContext();
    return context.isValid() && context.isSampled();
  }

  @Override
  public void markCurrentSpanAsExemplar() {
    Span.current().setAttribute(EXEMPLAR_ATTRIBUTE, true);
  }
}
