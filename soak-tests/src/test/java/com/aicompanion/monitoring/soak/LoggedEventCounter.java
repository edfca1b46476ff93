package com.aicompanion.monitoring.soak;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * The "logged" side of the soak's ledger: counts every event the root logger hands to its appenders
 * while the shipper (the root appender named {@code elasticsearch}) is started, i.e. exactly the
 * events the shipper is offered. Declared in {@code logback-test.xml} before the shipper, so it
 * sees each event first.
 *
 * <pre>{@code
 * <appender name="COUNT" class="com.aicompanion.monitoring.soak.LoggedEventCounter"/>
 * long logged = LoggedEventCounter.logged();
 * }</pre>
 */
public final class LoggedEventCounter extends AppenderBase<ILoggingEvent> {
  private static final AtomicLong LOGGED = new AtomicLong();
  private volatile Appender<ILoggingEvent> shipper;

  static long logged() {
    return LOGGED.get();
  }

  @Override
  protected void append(ILoggingEvent event) {
    Appender<ILoggingEvent> target = shipper;
    if (target == null || !target.isStarted()) {
      // looked up again once stopped: a later installation attaches a new shipper
      Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      target = root.getAppender("elasticsearch");
      shipper = target;
    }
    if (target != null && target.isStarted()) {
      LOGGED.incrementAndGet();
    }
  }
}
