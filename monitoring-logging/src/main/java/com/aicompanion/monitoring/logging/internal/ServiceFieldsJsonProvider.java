package com.aicompanion.monitoring.logging.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.util.Map;
import net.logstash.logback.composite.AbstractJsonProvider;

/**
 * Writes the service fields every line carries ({@code ecs.version}, {@code service.name}, ...)
 * from names and values encoded once, instead of serializing a JSON tree per event as
 * logstash-logback-encoder's global custom fields do.
 *
 * <pre>{@code
 * providers.addProvider(new ServiceFieldsJsonProvider(Map.of("service.name", "chat-api")));
 * }</pre>
 */
final class ServiceFieldsJsonProvider extends AbstractJsonProvider<ILoggingEvent> {
  private final SerializableString[] names;
  private final SerializableString[] values;

  /** {@code fields} in the order they are written. */
  ServiceFieldsJsonProvider(Map<String, String> fields) {
    names = new SerializableString[fields.size()];
    values = new SerializableString[fields.size()];
    int i = 0;
    for (Map.Entry<String, String> field : fields.entrySet()) {
      names[i] = new SerializedString(field.getKey());
      values[i] = new SerializedString(field.getValue() == null ? "" : field.getValue());
      i++;
    }
  }

  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
    for (int i = 0; i < names.length; i++) {
      generator.writeFieldName(names[i]);
      generator.writeString(values[i]);
    }
  }
}
