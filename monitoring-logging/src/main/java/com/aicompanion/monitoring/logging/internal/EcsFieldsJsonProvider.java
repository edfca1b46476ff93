package com.aicompanion.monitoring.logging.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.util.Map;
import net.logstash.logback.composite.AbstractJsonProvider;

/**
 * Writes the fields every ECS line starts with, in one provider: {@code @timestamp} (cached per
 * millisecond, see {@link UtcTimestamp}), {@code log.level}, {@code message} (masked), the service
 * fields ({@code ecs.version}, {@code service.name}, ...; names and values encoded once), {@code
 * log.logger} and {@code process.thread.name}.
 *
 * <pre>{@code
 * providers.addProvider(
 *     new EcsFieldsJsonProvider(EcsEncoders.serviceFields(identity), masker, errors));
 * }</pre>
 *
 * <p>It masks the message itself and writes through the generator under {@link
 * MaskingJsonGenerator}, so the message is scanned once and the logger and thread names (code
 * identifiers, not data) are not scanned at all. A message whose formatting or masking throws is
 * written as {@link EncodingErrors#marker} and counted.
 */
final class EcsFieldsJsonProvider extends AbstractJsonProvider<ILoggingEvent> {
  private static final SerializableString TIMESTAMP = new SerializedString("@timestamp");
  private static final SerializableString LEVEL = new SerializedString("log.level");
  private static final SerializableString MESSAGE = new SerializedString("message");
  private static final SerializableString LOGGER = new SerializedString("log.logger");
  private static final SerializableString THREAD = new SerializedString("process.thread.name");
  private static final SerializableString TRACE = new SerializedString("TRACE");
  private static final SerializableString DEBUG = new SerializedString("DEBUG");
  private static final SerializableString INFO = new SerializedString("INFO");
  private static final SerializableString WARN = new SerializedString("WARN");
  private static final SerializableString ERROR = new SerializedString("ERROR");

  private final SerializableString[] names;
  private final SerializableString[] values;
  private final SecretMasker masker;
  private final EncodingErrors errors;
  private final UtcTimestamp timestamps = new UtcTimestamp();

  /** {@code serviceFields} in the order they are written. */
  EcsFieldsJsonProvider(
      Map<String, String> serviceFields, SecretMasker masker, EncodingErrors errors) {
    this.masker = masker;
    this.errors = errors;
    names = new SerializableString[serviceFields.size()];
    values = new SerializableString[serviceFields.size()];
    int i = 0;
    for (Map.Entry<String, String> field : serviceFields.entrySet()) {
      names[i] = new SerializedString(field.getKey());
      values[i] = new SerializedString(field.getValue() == null ? "" : field.getValue());
      i++;
    }
  }

  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
    try {
      write(MaskingJsonGenerator.unmasked(generator), event);
    } catch (Throwable failure) {
      // the generator itself failed: the event is written in its minimal form instead
      throw EncodingErrors.wrap(failure);
    }
  }

  private void write(JsonGenerator out, ILoggingEvent event) throws IOException {
    out.writeFieldName(TIMESTAMP);
    timestamps.write(out, event.getTimeStamp());
    Level level = event.getLevel();
    if (level != null) {
      out.writeFieldName(LEVEL);
      out.writeString(levelName(level));
    }
    String message = message(event);
    if (message != null) {
      out.writeFieldName(MESSAGE);
      out.writeString(message);
    }
    for (int i = 0; i < names.length; i++) {
      out.writeFieldName(names[i]);
      out.writeString(values[i]);
    }
    String logger = event.getLoggerName();
    if (logger != null) {
      out.writeFieldName(LOGGER);
      out.writeString(logger);
    }
    String thread = event.getThreadName();
    if (thread != null) {
      out.writeFieldName(THREAD);
      out.writeString(thread);
    }
  }

  /** The masked message, or the marker when formatting or masking it throws. */
  private String message(ILoggingEvent event) {
    try {
      String message = event.getFormattedMessage();
      return message == null ? null : masker.mask(message);
    } catch (Throwable failure) {
      try {
        errors.record("message", failure);
      } catch (Throwable ignored) {
        // the marker is still written
      }
      return EncodingErrors.marker(failure);
    }
  }

  private static SerializableString levelName(Level level) {
    return switch (level.toInt()) {
      case Level.TRACE_INT -> TRACE;
      case Level.DEBUG_INT -> DEBUG;
      case Level.INFO_INT -> INFO;
      case Level.WARN_INT -> WARN;
      case Level.ERROR_INT -> ERROR;
      default -> new SerializedString(level.toString());
    };
  }
}
