package com.aicompanion.monitoring.test;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Captures the log events of a logger (and its children) through the real Logback backend, for
 * {@link LogsAssert}. Close it to detach.
 *
 * <pre>{@code
 * try (CapturedLogs logs = CapturedLogs.attach("com.example.billing")) {
 *   billing.charge(order);
 *   LogsAssert.assertThat(logs).withLevel(Level.WARN).single()
 *       .hasMessageContaining("card declined")
 *       .hasMdcEntry("order_id", "o-17");
 * }
 * }</pre>
 *
 * <p>It sees what the logger's effective level lets through, on the thread that logs, with the
 * message formatted and MDC copied at that moment. Attaching to the root logger captures every
 * logger; the logging module replaces the root's appenders when it installs, so attach after {@code
 * Monitoring.start(..)} or {@code JsonLogging} set-up (or attach to a named logger). Needs
 * logback-classic as the SLF4J binding. Thread-safe.
 */
public final class CapturedLogs implements AutoCloseable {
  private final Logger logger;
  private final Appender appender;

  private CapturedLogs(Logger logger) {
    this.logger = logger;
    this.appender = new Appender();
    appender.setContext(logger.getLoggerContext());
    appender.setName("monitoring-test-capture");
    appender.start();
    logger.addAppender(appender);
  }

  /**
   * Captures every logger, from the root.
   *
   * @throws IllegalStateException when SLF4J is not bound to Logback
   */
  public static CapturedLogs attach() {
    return attach(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  /**
   * Captures the logger of {@code type} (its class name) and its children.
   *
   * @throws NullPointerException when {@code type} is null
   * @throws IllegalStateException when SLF4J is not bound to Logback
   */
  public static CapturedLogs attach(Class<?> type) {
    return attach(Objects.requireNonNull(type, "attach(type): type is null").getName());
  }

  /**
   * Captures logger {@code loggerName} (e.g. {@code com.aicompanion.monitoring}) and its children.
   *
   * @throws NullPointerException when {@code loggerName} is null
   * @throws IllegalStateException when SLF4J is not bound to Logback
   */
  public static CapturedLogs attach(String loggerName) {
    Objects.requireNonNull(loggerName, "attach(loggerName): loggerName is null");
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (!(factory instanceof LoggerContext context)) {
      throw new IllegalStateException(
          "CapturedLogs needs Logback as the SLF4J binding, but SLF4J is bound to "
              + factory.getClass().getName()
              + ": add ch.qos.logback:logback-classic to the test classpath");
    }
    return new CapturedLogs(context.getLogger(loggerName));
  }

  /** The events captured so far, oldest first; a copy, never null. */
  public List<ILoggingEvent> events() {
    return List.copyOf(appender.events);
  }

  /** Forgets the events captured so far. */
  public void clear() {
    appender.events.clear();
  }

  /** The name of the logger this captures from. */
  public String loggerName() {
    return logger.getName();
  }

  /** Detaches from the logger; the events captured stay readable. Idempotent. */
  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }

  private static final class Appender extends AppenderBase<ILoggingEvent> {
    final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
      // fixes the formatted message, thread name and MDC as they are now
      event.prepareForDeferredProcessing();
      events.add(event);
    }
  }
}
