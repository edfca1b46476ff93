package com.aicompanion.monitoring.logging.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The line written for an event the encoder could not write: {@code @timestamp}, {@code log.level},
 * {@code message} (masked, or {@link EncodingErrors#marker} when that is what failed), the service
 * fields, {@code log.logger}, {@code process.thread.name}, {@code trace.id} and {@code span.id},
 * and {@code labels.encoding_error} naming the failure. Built by hand, without Jackson or the
 * generators that may have failed, each value read on its own so that one that throws is left out.
 *
 * <pre>{@code
 * MinimalLine minimal = new MinimalLine(EcsEncoders.serviceFields(identity), masker);
 * byte[] line = minimal.write(event, failure);   // one JSON object and '\n'
 * }</pre>
 */
final class MinimalLine {
  /** The label naming the failure. */
  static final String LABEL = "encoding_error";

  private final String serviceFields;
  private final SecretMasker masker;

  MinimalLine(Map<String, String> serviceFields, SecretMasker masker) {
    StringBuilder fields = new StringBuilder();
    for (Map.Entry<String, String> field : serviceFields.entrySet()) {
      fields.append(',');
      string(fields, field.getKey());
      fields.append(':');
      string(fields, field.getValue() == null ? "" : field.getValue());
    }
    this.serviceFields = fields.toString();
    this.masker = masker;
  }

  /** The line for {@code event}; never throws (at worst, a line with the time and the failure). */
  byte[] write(ILoggingEvent event, Throwable failure) {
    String marker;
    try {
      marker = EncodingErrors.marker(failure);
    } catch (Throwable t) {
      marker = "[unavailable]";
    }
    try {
      StringBuilder line = new StringBuilder(256);
      line.append('{');
      field(line, "@timestamp", timestamp(event));
      line.append(',');
      field(line, "log.level", level(event));
      line.append(',');
      field(line, "message", message(event, marker));
      line.append(serviceFields);
      line.append(',');
      field(line, "log.logger", logger(event));
      line.append(',');
      field(line, "process.thread.name", thread(event));
      String traceId = traceId(event, TraceCapture.TRACE_ID);
      if (traceId != null) {
        line.append(',');
        field(line, TraceCapture.TRACE_ID, traceId);
      }
      String spanId = traceId(event, TraceCapture.SPAN_ID);
      if (spanId != null) {
        line.append(',');
        field(line, TraceCapture.SPAN_ID, spanId);
      }
      line.append(",\"").append(EcsSchema.LABELS).append("\":{");
      field(line, LABEL, marker);
      line.append("}}\n");
      return line.toString().getBytes(StandardCharsets.UTF_8);
    } catch (Throwable t) {
      return lastResort(marker);
    }
  }

  private byte[] lastResort(String marker) {
    try {
      StringBuilder line = new StringBuilder(128);
      line.append('{');
      field(line, "@timestamp", UtcTimestamp.format(System.currentTimeMillis()));
      line.append(',');
      field(line, "message", marker);
      line.append(serviceFields).append("}\n");
      return line.toString().getBytes(StandardCharsets.UTF_8);
    } catch (Throwable t) {
      return new byte[0];
    }
  }

  private static String timestamp(ILoggingEvent event) {
    try {
      return UtcTimestamp.format(event.getTimeStamp());
    } catch (Throwable t) {
      return UtcTimestamp.format(System.currentTimeMillis());
    }
  }

  private static String level(ILoggingEvent event) {
    try {
      return String.valueOf(event.getLevel());
    } catch (Throwable t) {
      return "ERROR";
    }
  }

  private String message(ILoggingEvent event, String marker) {
    try {
      String message = event.getFormattedMessage();
      return message == null ? "" : masker.mask(message);
    } catch (Throwable t) {
      return marker;
    }
  }

  private static String logger(ILoggingEvent event) {
    try {
      return String.valueOf(event.getLoggerName());
    } catch (Throwable t) {
      return "";
    }
  }

  private static String thread(ILoggingEvent event) {
    try {
      return String.valueOf(event.getThreadName());
    } catch (Throwable t) {
      return "";
    }
  }

  /** The id the full line would carry (see TraceCapture#write), or null. */
  private static String traceId(ILoggingEvent event, String key) {
    try {
      return TraceCapture.id(event, key);
    } catch (Throwable t) {
      return null;
    }
  }

  private static void field(StringBuilder out, String name, String value) {
    string(out, name);
    out.append(':');
    string(out, value);
  }

  /** {@code text} as a JSON string: quotes, backslashes and control characters escaped. */
  static void string(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || Character.isSurrogate(c) && !validSurrogate(text, i)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static boolean validSurrogate(String text, int i) {
    char c = text.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
  }
}
