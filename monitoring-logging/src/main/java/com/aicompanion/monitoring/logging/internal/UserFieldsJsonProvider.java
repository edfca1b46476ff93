package com.aicompanion.monitoring.logging.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import net.logstash.logback.argument.StructuredArgument;
import net.logstash.logback.composite.AbstractJsonProvider;
import org.slf4j.event.KeyValuePair;

/**
 * Writes an event's user fields, in this order: MDC entries (but {@code trace.id} and {@code
 * span.id}, which {@link TraceFieldsJsonProvider} writes), SLF4J key/value pairs, then the fields
 * of logstash structured arguments ({@code kv}, {@code value}, {@code entries}, {@code fields},
 * {@code raw}, {@code array}); other arguments are not fields. Names that would collide with the
 * schema or with an earlier user field go under {@code labels} (see {@link UserFieldWriter} and
 * {@link EcsSchema}); a value that fails to read or mask becomes {@link EncodingErrors#marker}.
 *
 * <pre>{@code
 * providers.addProvider(new UserFieldsJsonProvider(masker, errors));
 * }</pre>
 */
final class UserFieldsJsonProvider extends AbstractJsonProvider<ILoggingEvent> {
  private final SecretMasker masker;
  private final EncodingErrors errors;
  private final ThreadLocal<UserFieldWriter> writers;

  UserFieldsJsonProvider(SecretMasker masker, EncodingErrors errors) {
    this.masker = masker;
    this.errors = errors;
    this.writers = ThreadLocal.withInitial(() -> new UserFieldWriter(masker, errors));
  }

  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
    UserFieldWriter writer = writers.get();
    if (writer.inUse()) {
      // an event logged while this thread encodes another (a toString() that logs)
      writer = new UserFieldWriter(masker, errors);
    }
    writer.begin(generator);
    try {
      // the event's own MDC, not the copy with the ids a TracedEvent shows other encoders
      Map<String, String> mdc = TraceCapture.original(event).getMDCPropertyMap();
      if (mdc != null && !mdc.isEmpty()) {
        for (Map.Entry<String, String> entry : mdc.entrySet()) {
          if (entry.getKey() != null && entry.getValue() != null) {
            writer.mdc(entry.getKey(), entry.getValue());
          }
        }
      }
      List<KeyValuePair> pairs = event.getKeyValuePairs();
      if (pairs != null) {
        for (int i = 0; i < pairs.size(); i++) {
          KeyValuePair pair = pairs.get(i);
          // a null key is kept under labels._ like an empty or blank one (UserFieldWriter#field)
          if (pair != null && pair.value != null) {
            writer.field(pair.key, pair.value);
          }
        }
      }
      Object[] arguments = event.getArgumentArray();
      if (arguments != null) {
        for (Object argument : arguments) {
          if (argument instanceof StructuredArgument structured) {
            writer.argument(structured);
          }
        }
      }
      writer.finish();
    } catch (Throwable failure) {
      // the generator itself failed: the event is written in its minimal form instead
      throw EncodingErrors.wrap(failure);
    } finally {
      writer.end();
    }
  }
}
