package com.aicompanion.monitoring.logging.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextVO;
import io.opentelemetry.api.trace.SpanContext;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * An event with the span that was current where it was logged, made by {@link
 * TraceCapture#capture}: everything is the wrapped event's, except that its MDC map (for other
 * encoders, e.g. a text pattern's {@code %mdc}) also holds {@code trace.id} and {@code span.id}.
 *
 * <pre>{@code
 * ILoggingEvent traced = new TracedEvent(event, Span.current().getSpanContext());
 * }</pre>
 */
final class TracedEvent implements ILoggingEvent {
  private final ILoggingEvent delegate;
  private final SpanContext span;
  private @Nullable Map<String, String> mdc;

  TracedEvent(ILoggingEvent delegate, SpanContext span) {
    this.delegate = delegate;
    this.span = span;
  }

  ILoggingEvent delegate() {
    return delegate;
  }

  SpanContext span() {
    return span;
  }

  @Override
  public Map<String, String> getMDCPropertyMap() {
    Map<String, String> merged = mdc;
    if (merged == null) {
      Map<String, String> own = delegate.getMDCPropertyMap();
      merged = own == null ? new HashMap<>() : new HashMap<>(own);
      merged.put(TraceCapture.TRACE_ID, span.getTraceId());
      merged.put(TraceCapture.SPAN_ID, span.getSpanId());
      mdc = merged;
    }
    return merged;
  }

  @Override
  @Deprecated
  public Map<String, String> getMdc() {
    return getMDCPropertyMap();
  }

  @Override
  public String getThreadName() {
    return delegate.getThreadName();
  }

  @Override
  public Level getLevel() {
    return delegate.getLevel();
  }

  @Override
  public String getMessage() {
    return delegate.getMessage();
  }

  @Override
  public Object[] getArgumentArray() {
    return delegate.getArgumentArray();
  }

  @Override
  public String getFormattedMessage() {
    return delegate.getFormattedMessage();
  }

  @Override
  public String getLoggerName() {
    return delegate.getLoggerName();
  }

  @Override
  public LoggerContextVO getLoggerContextVO() {
    return delegate.getLoggerContextVO();
  }

  @Override
  public IThrowableProxy getThrowableProxy() {
    return delegate.getThrowableProxy();
  }

  @Override
  public StackTraceElement[] getCallerData() {
    return delegate.getCallerData();
  }

  @Override
  public boolean hasCallerData() {
    return delegate.hasCallerData();
  }

  @Override
  @SuppressWarnings("deprecation")
  public Marker getMarker() {
    return delegate.getMarker();
  }

  @Override
  public List<Marker> getMarkerList() {
    return delegate.getMarkerList();
  }

  @Override
  public long getTimeStamp() {
    return delegate.getTimeStamp();
  }

  @Override
  public int getNanoseconds() {
    return delegate.getNanoseconds();
  }

  @Override
  public Instant getInstant() {
    return delegate.getInstant();
  }

  @Override
  public long getSequenceNumber() {
    return delegate.getSequenceNumber();
  }

  @Override
  public List<KeyValuePair> getKeyValuePairs() {
    return delegate.getKeyValuePairs();
  }

  @Override
  public void prepareForDeferredProcessing() {
    delegate.prepareForDeferredProcessing();
  }
}
