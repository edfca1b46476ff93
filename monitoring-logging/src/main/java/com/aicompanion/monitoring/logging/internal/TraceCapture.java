package com.aicompanion.monitoring.logging.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.io.IOException;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The trace ids of a log line ({@code trace.id} and {@code span.id}), without ever changing the
 * event: an asynchronous appender {@link #capture captures} the span current on the application
 * thread in a wrapper of the event, and the encoder {@link #write writes} them from, in this order,
 * the captured span, the span current on the thread that encodes, or the event's MDC (ids an
 * application or an instrumentation put there). Without an OpenTelemetry SDK no span is valid and
 * only MDC ids are written.
 *
 * <pre>{@code
 * super.append(TraceCapture.capture(event));   // an AsyncAppender, on the application thread
 * TraceCapture.write(generator, event);        // the encoder, on any thread
 * }</pre>
 *
 * <p>The event's own MDC map is never replaced: Logback freezes it in {@code
 * prepareForDeferredProcessing()}, which any synchronous appender calls before encoding, so ids
 * that depended on replacing it would be lost whenever another appender saw the event first.
 */
public final class TraceCapture {
  public static final String TRACE_ID = "trace.id";
  public static final String SPAN_ID = "span.id";

  private static final SerializableString TRACE_NAME = new SerializedString(TRACE_ID);
  private static final SerializableString SPAN_NAME = new SerializedString(SPAN_ID);

  private TraceCapture() {}

  /**
   * {@code event} with the ids of the span current on this thread, for an encoder on another
   * thread: a wrapper carrying them, or {@code event} itself outside a valid span. Never throws.
   */
  public static ILoggingEvent capture(ILoggingEvent event) {
    if (event instanceof TracedEvent) {
      return event;
    }
    SpanContext span = current();
    return span == null ? event : new TracedEvent(event, span);
  }

  /** The event {@link #capture} wrapped, or {@code event} itself. */
  public static ILoggingEvent original(ILoggingEvent event) {
    return event instanceof TracedEvent traced ? traced.delegate() : event;
  }

  /**
   * Writes {@code trace.id} and {@code span.id} (each when known) to {@code out}, unmasked: the
   * captured span, else the span current on this thread, else the event's MDC entries.
   */
  static void write(JsonGenerator out, ILoggingEvent event) throws IOException {
    SpanContext span = span(event);
    if (span != null) {
      out.writeFieldName(TRACE_NAME);
      out.writeString(span.getTraceId());
      out.writeFieldName(SPAN_NAME);
      out.writeString(span.getSpanId());
      return;
    }
    Map<String, String> mdc = original(event).getMDCPropertyMap();
    if (mdc == null || mdc.isEmpty()) {
      return;
    }
    String traceId = mdc.get(TRACE_ID);
    if (traceId != null) {
      out.writeFieldName(TRACE_NAME);
      out.writeString(traceId);
    }
    String spanId = mdc.get(SPAN_ID);
    if (spanId != null) {
      out.writeFieldName(SPAN_NAME);
      out.writeString(spanId);
    }
  }

  /** The id {@link #write} would write for {@code key} ({@link #TRACE_ID} or {@link #SPAN_ID}). */
  static @Nullable String id(ILoggingEvent event, String key) {
    SpanContext span = span(event);
    if (span != null) {
      return key.equals(TRACE_ID) ? span.getTraceId() : span.getSpanId();
    }
    Map<String, String> mdc = original(event).getMDCPropertyMap();
    return mdc == null ? null : mdc.get(key);
  }

  private static @Nullable SpanContext span(ILoggingEvent event) {
    return event instanceof TracedEvent traced ? traced.span() : current();
  }

  /** The valid span context current on this thread, or null (also when reading it fails). */
  private static @Nullable SpanContext current() {
    try {
      SpanContext span = Span.current().getSpanContext();
      return span.isValid() ? span : null;
    } catch (RuntimeException | LinkageError broken) {
      // a context storage that fails: the line goes out without trace ids
      return null;
    }
  }
}
