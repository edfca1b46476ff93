package com.aicompanion.monitoring.tracing.internal;

import com.aicompanion.monitoring.SecretMasking;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;

/**
 * Gives a span processor the application added ({@code Tracing.builder(..).spanProcessor(..)}, e.g.
 * the test kit's in-memory capture) the ended spans as the exporter sees them: masked by the one
 * policy ({@link MaskedSpanData}). {@code onStart} sees the live span, as it must to add to it.
 *
 * <pre>{@code
 * provider.addSpanProcessor(new MaskingSpanProcessor(userProcessor, config.masking()));
 * }</pre>
 */
public final class MaskingSpanProcessor implements SpanProcessor {
  private final SpanProcessor delegate;
  private final SecretMasking masking;

  public MaskingSpanProcessor(SpanProcessor delegate, SecretMasking masking) {
    this.delegate = delegate;
    this.masking = masking;
  }

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {
    delegate.onStart(parentContext, span);
  }

  @Override
  public boolean isStartRequired() {
    return delegate.isStartRequired();
  }

  @Override
  public void onEnd(ReadableSpan span) {
    delegate.onEnd(new MaskedView(span, masking));
  }

  @Override
  public boolean isEndRequired() {
    return delegate.isEndRequired();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public CompletableResultCode forceFlush() {
    return delegate.forceFlush();
  }

  /** An ended span read through the masking policy. */
  private static final class MaskedView implements ReadableSpan {
    private final ReadableSpan span;
    private final SecretMasking masking;
    private SpanData data;

    MaskedView(ReadableSpan span, SecretMasking masking) {
      this.span = span;
      this.masking = masking;
    }

    @Override
    public SpanContext getSpanContext() {
      return span.getSpanContext();
    }

    @Override
    public SpanContext getParentSpanContext() {
      return span.getParentSpanContext();
    }

    @Override
    public String getName() {
      return masking.mask(span.getName());
    }

    @Override
    public synchronized SpanData toSpanData() {
      if (data == null) {
        data = MaskedSpanData.mask(span.toSpanData(), masking);
      }
      return data;
    }

    @Override
    @Deprecated
    @SuppressWarnings("deprecation")
    public InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
      return span.getInstrumentationLibraryInfo();
    }

    @Override
    public InstrumentationScopeInfo getInstrumentationScopeInfo() {
      return span.getInstrumentationScopeInfo();
    }

    @Override
    public boolean hasEnded() {
      return span.hasEnded();
    }

    @Override
    public long getLatencyNanos() {
      return span.getLatencyNanos();
    }

    @Override
    public SpanKind getKind() {
      return span.getKind();
    }

    @Override
    public <T> T getAttribute(AttributeKey<T> key) {
      return getAttributes().get(key);
    }

    @Override
    public Attributes getAttributes() {
      return MaskedSpanData.mask(span.getAttributes(), masking);
    }
  }
}
