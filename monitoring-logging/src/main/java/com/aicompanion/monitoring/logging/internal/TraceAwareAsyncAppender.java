package com.aicompanion.monitoring.logging.internal;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.concurrent.atomic.LongAdder;

/**
 * Logback's {@link AsyncAppender} that captures the current trace and span ids on the calling
 * thread before queueing ({@link TraceCapture#capture}), so that the asynchronous console output
 * carries them, and that counts the events it discards because its queue is full ({@code
 * monitoring_log_console_dropped_total}).
 *
 * <pre>{@code
 * TraceAwareAsyncAppender async = new TraceAwareAsyncAppender(counters.consoleDropped());
 * async.setNeverBlock(true);
 * async.addAppender(console);
 * }</pre>
 */
public final class TraceAwareAsyncAppender extends AsyncAppender {
  private final LongAdder dropped;

  public TraceAwareAsyncAppender(LongAdder dropped) {
    this.dropped = dropped;
  }

  @Override
  protected void append(ILoggingEvent event) {
    // Logback's never-blocking offer discards silently; check first so that the drop is counted.
    // Only a queue that fills between this check and the offer (several threads racing for the
    // last slot) can still discard an event uncounted.
    if (isStarted() && getRemainingCapacity() == 0) {
      dropped.increment();
      return;
    }
    // the span's ids travel in a wrapper: the event's MDC may already be frozen by another
    // appender (Logback's prepareForDeferredProcessing), and is the application's to keep
    super.append(TraceCapture.capture(event));
  }
}
