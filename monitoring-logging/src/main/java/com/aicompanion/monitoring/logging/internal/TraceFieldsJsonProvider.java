package com.aicompanion.monitoring.logging.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import net.logstash.logback.composite.AbstractJsonProvider;

/**
 * Writes {@code trace.id} and {@code span.id}: the span an asynchronous appender captured, else the
 * span current on the encoding thread, else the event's MDC entries (see {@link TraceCapture}). The
 * user fields provider leaves those two MDC keys out, so each is written once.
 *
 * <pre>{@code
 * providers.addProvider(new TraceFieldsJsonProvider());
 * }</pre>
 */
final class TraceFieldsJsonProvider extends AbstractJsonProvider<ILoggingEvent> {
  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
    try {
      // ids are hex from the span, or MDC values written as they always were: not scanned
      TraceCapture.write(MaskingJsonGenerator.unmasked(generator), event);
    } catch (Throwable failure) {
      // the generator itself failed: the event is written in its minimal form instead
      throw EncodingErrors.wrap(failure);
    }
  }
}
