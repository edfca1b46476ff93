package com.aicompanion.monitoring.tracing.internal;

import com.aicompanion.monitoring.SecretMasking;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Applies the one masking policy to every span before its exporter sees it ({@link
 * MaskedSpanData}): names, attributes, events (exception messages and stack traces included), links
 * and status descriptions. Runs on the export thread, so the application pays nothing for it; spans
 * without a secret pass as they are.
 *
 * <pre>{@code
 * SpanExporter safe = new MaskingSpanExporter(otlpExporter, config.masking());
 * }</pre>
 */
public final class MaskingSpanExporter implements SpanExporter {
  private final SpanExporter delegate;
  private final SecretMasking masking;

  public MaskingSpanExporter(SpanExporter delegate, SecretMasking masking) {
    this.delegate = delegate;
    this.masking = masking;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    List<SpanData> masked = new ArrayList<>(spans.size());
    for (SpanData span : spans) {
      masked.add(MaskedSpanData.mask(span, masking));
    }
    return delegate.export(masked);
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public String toString() {
    return "MaskingSpanExporter{" + delegate + "}";
  }
}
