package com.aicompanion.monitoring.logging.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * Copies the current OpenTelemetry span's ids into an event's MDC as {@code trace.id} and {@code
 * span.id}, on the application thread, before the event is handed to an asynchronous appender
 * (where the span is no longer current). Without an OpenTelemetry SDK the span is invalid and
 * nothing is added.
 *
 * <pre>{@code
 * TraceCapture.attach(event);   // in append(), before prepareForDeferredProcessing()
 * }</pre>
 */
public final class TraceCapture {
  public static final String TRACE_ID = "trace.id";
  public static final String SPAN_ID = "span.id";

  private TraceCapture() {}

  /** Never throws: the ids are left out when the span or the MDC cannot be read. */
  public static void attach(ILoggingEvent event) {
    if (!(event instanceof LoggingEvent logging)) {
      return;
    }
    try {
      SpanContext span = Span.current().getSpanContext();
      if (!span.isValid()) {
        return;
      }
      // read the calling thread's MDC directly: getMDCPropertyMap() would freeze the event's copy
      Map<String, String> mdc = MDC.getCopyOfContextMap();
      Map<String, String> withTrace = mdc == null ? new HashMap<>() : new HashMap<>(mdc);
      withTrace.put(TRACE_ID, span.getTraceId());
      withTrace.put(SPAN_ID, span.getSpanId());
      logging.setMDCPropertyMap(withTrace);
    } catch (IllegalStateException alreadySet) {
      // another appender fixed the MDC first; its copy already carries the ids or none
    } catch (RuntimeException | LinkageError broken) {
      // a context storage or MDC adapter that fails: the line goes out without trace ids
    }
  }
}
