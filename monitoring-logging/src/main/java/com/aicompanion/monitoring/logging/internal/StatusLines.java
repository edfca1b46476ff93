package com.aicompanion.monitoring.logging.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;
import ch.qos.logback.core.status.StatusManager;

/**
 * Writes Logback's own warnings and errors (its status messages) as log lines through the default
 * console, in the console's format: Logback otherwise prints its whole status list as text on
 * stdout when one is a warning or an error at start-up. A registered listener is also what tells
 * Logback not to print that list.
 *
 * <pre>{@code
 * StatusLines.register(context, console);   // by DefaultConsoleConfigurator
 * StatusLines.unregister(context);          // by the owner's install(): its set-up takes over
 * }</pre>
 *
 * <p>Active while Logback's default configuration is the library's console, i.e. until an
 * installation takes the root logger over; after that Logback's status messages are not printed, as
 * in any programmatic Logback set-up, and the shipper reports its own failures.
 */
public final class StatusLines implements StatusListener {
  private static final String FQCN = StatusLines.class.getName();

  /** The logger name of a status without an origin. */
  static final String LOGBACK = "ch.qos.logback";

  private static final ThreadLocal<Boolean> WRITING = new ThreadLocal<>();

  private final LoggerContext context;
  private final Appender<ILoggingEvent> console;

  private StatusLines(LoggerContext context, Appender<ILoggingEvent> console) {
    this.context = context;
    this.console = console;
  }

  /**
   * Registers a listener writing through {@code console}, and writes the warnings and errors
   * Logback recorded before it.
   */
  static void register(LoggerContext context, Appender<ILoggingEvent> console) {
    StatusLines lines = new StatusLines(context, console);
    StatusManager manager = context.getStatusManager();
    manager.add(lines);
    manager.getCopyOfStatusList().forEach(lines::addStatusEvent);
  }

  /** Removes the listeners {@link #register} added to {@code context}. */
  public static void unregister(LoggerContext context) {
    StatusManager manager = context.getStatusManager();
    for (StatusListener listener : manager.getCopyOfStatusListenerList()) {
      if (listener instanceof StatusLines) {
        manager.remove(listener);
      }
    }
  }

  @Override
  public void addStatusEvent(Status status) {
    if (status.getEffectiveLevel() < Status.WARN || !console.isStarted()) {
      return;
    }
    // a failing console reports its failure as a status: do not write about it through itself
    if (WRITING.get() != null) {
      return;
    }
    WRITING.set(Boolean.TRUE);
    try {
      Object origin = status.getOrigin();
      String logger = origin == null ? LOGBACK : origin.getClass().getName();
      LoggingEvent event =
          new LoggingEvent(
              FQCN,
              context.getLogger(logger),
              status.getEffectiveLevel() >= Status.ERROR ? Level.ERROR : Level.WARN,
              status.getMessage(),
              status.getThrowable(),
              null);
      event.setTimeStamp(status.getTimestamp());
      console.doAppend(event);
    } finally {
      WRITING.remove();
    }
  }
}
