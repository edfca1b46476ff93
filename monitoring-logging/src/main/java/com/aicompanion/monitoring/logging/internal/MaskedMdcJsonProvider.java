package com.aicompanion.monitoring.logging.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Map;
import net.logstash.logback.composite.AbstractJsonProvider;

/**
 * Writes the event's MDC entries as top-level fields, each value masked once: whole when the key
 * says it is secret ({@code password}, {@code api_key}, ...), by the masking policy otherwise. The
 * {@code trace.id} and {@code span.id} entries {@link TraceCapture} adds are hex ids and written as
 * they are.
 *
 * <pre>{@code
 * providers.addProvider(new MaskedMdcJsonProvider(masker));
 * }</pre>
 */
final class MaskedMdcJsonProvider extends AbstractJsonProvider<ILoggingEvent> {
  private final SecretMasker masker;

  MaskedMdcJsonProvider(SecretMasker masker) {
    this.masker = masker;
  }

  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc == null || mdc.isEmpty()) {
      return;
    }
    JsonGenerator out = MaskingJsonGenerator.unmasked(generator);
    for (Map.Entry<String, String> entry : mdc.entrySet()) {
      String key = entry.getKey();
      String value = entry.getValue();
      if (key == null || value == null) {
        continue;
      }
      out.writeFieldName(key);
      if (key.equals(TraceCapture.TRACE_ID) || key.equals(TraceCapture.SPAN_ID)) {
        out.writeString(value);
      } else if (masker.secretField(key)) {
        out.writeString(SecretMasker.MASK);
      } else {
        out.writeString(masker.mask(value));
      }
    }
  }
}
