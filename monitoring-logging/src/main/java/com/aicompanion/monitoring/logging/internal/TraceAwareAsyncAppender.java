package com.aicompanion.monitoring.logging.internal;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Logback's {@link AsyncAppender} that records the current trace and span ids on the calling thread
 * before queueing, so that the asynchronous console output carries them.
 *
 * <pre>{@code
 * TraceAwareAsyncAppender async = new TraceAwareAsyncAppender();
 * async.addAppender(console);
 * }</pre>
 */
public final class TraceAwareAsyncAppender extends AsyncAppender {
  @Override
  protected void preprocess(ILoggingEvent event) {
    TraceCapture.attach(event);
    super.preprocess(event);
  }
}
