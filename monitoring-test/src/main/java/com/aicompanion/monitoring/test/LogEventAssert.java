package com.aicompanion.monitoring.test;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;
import org.slf4j.event.KeyValuePair;

/**
 * Assertions on one captured log event: level, message, logger, MDC, SLF4J key-value pairs and
 * throwable.
 *
 * <pre>{@code
 * LogsAssert.assertThat(logs).withLevel(Level.ERROR).single()
 *     .hasLogger("com.example.Billing")
 *     .hasMessage("charge failed for order o-17")
 *     .hasMdcEntry("request_id", "r-1")
 *     .hasKeyValue("amount_cents", 1200)      // log.atError().addKeyValue("amount_cents", 1200)
 *     .hasThrowable(IOException.class, "connection reset");
 * }</pre>
 *
 * <p>Obtain one from {@link LogsAssert#single()} or {@link LogsAssert#first()}. Messages are
 * compared after formatting ({@code {}} replaced by the arguments).
 */
public final class LogEventAssert extends AbstractAssert<LogEventAssert, ILoggingEvent> {
  LogEventAssert(ILoggingEvent event) {
    super(event, LogEventAssert.class);
  }

  /**
   * Checks the level.
   *
   * @throws AssertionError naming the event when it differs
   */
  public LogEventAssert hasLevel(Level expected) {
    if (!actual.getLevel().equals(expected)) {
      failWithMessage("%nExpected level %s, but the event is:%n  %s", expected, line(actual));
    }
    return this;
  }

  /**
   * Checks the formatted message exactly.
   *
   * @throws AssertionError showing both messages when they differ
   */
  public LogEventAssert hasMessage(String expected) {
    if (!Objects.equals(actual.getFormattedMessage(), expected)) {
      failWithMessage(
          "%nExpected the message%n  \"%s\"%nbut it is%n  \"%s\"",
          expected, actual.getFormattedMessage());
    }
    return this;
  }

  /**
   * Checks that the formatted message contains {@code text}.
   *
   * @throws AssertionError showing the message when it does not
   */
  public LogEventAssert hasMessageContaining(String text) {
    String message = actual.getFormattedMessage();
    if (message == null || !message.contains(text)) {
      failWithMessage(
          "%nExpected the message to contain%n  \"%s\"%nbut it is%n  \"%s\"", text, message);
    }
    return this;
  }

  /**
   * Checks the logger's name exactly.
   *
   * @throws AssertionError naming the event when it differs
   */
  public LogEventAssert hasLogger(String expected) {
    if (!Objects.equals(actual.getLoggerName(), expected)) {
      failWithMessage("%nExpected logger %s, but the event is:%n  %s", expected, line(actual));
    }
    return this;
  }

  /**
   * Checks an MDC entry as it was when the event was logged.
   *
   * @throws AssertionError showing the event's MDC when the entry is absent or differs
   */
  public LogEventAssert hasMdcEntry(String key, String value) {
    Map<String, String> mdc = actual.getMDCPropertyMap();
    if (mdc == null || !mdc.containsKey(key) || !Objects.equals(mdc.get(key), value)) {
      failWithMessage("%nExpected MDC %s=%s, but the event's MDC is %s", key, value, mdc);
    }
    return this;
  }

  /**
   * Checks an SLF4J 2 key-value pair ({@code logger.atInfo().addKeyValue(key, value)}); values are
   * compared with {@code equals}, or as text when {@code value} is a String.
   *
   * @throws AssertionError showing the event's pairs when the pair is absent or differs
   */
  public LogEventAssert hasKeyValue(String key, Object value) {
    List<KeyValuePair> pairs = actual.getKeyValuePairs();
    if (pairs != null) {
      for (KeyValuePair pair : pairs) {
        if (Objects.equals(pair.key, key)
            && (Objects.equals(pair.value, value)
                || (value instanceof String && value.equals(String.valueOf(pair.value))))) {
          return this;
        }
      }
    }
    failWithMessage(
        "%nExpected key-value %s=%s, but the event's key-values are %s",
        key, value, pairs == null ? "[]" : pairs);
    return this;
  }

  /**
   * Checks that a throwable of {@code type} (or a subclass) was logged with the event.
   *
   * @throws AssertionError naming the throwable logged, or saying there was none
   */
  public LogEventAssert hasThrowable(Class<? extends Throwable> type) {
    IThrowableProxy proxy = actual.getThrowableProxy();
    if (proxy == null || !isA(proxy, type)) {
      failWithMessage(
          "%nExpected a %s with the event, but it has %s",
          type.getName(),
          proxy == null ? "none" : proxy.getClassName() + ": " + proxy.getMessage());
    }
    return this;
  }

  /**
   * Checks that a throwable of {@code type} whose message contains {@code messagePart} was logged
   * with the event.
   *
   * @throws AssertionError naming the throwable logged, or saying there was none
   */
  public LogEventAssert hasThrowable(Class<? extends Throwable> type, String messagePart) {
    hasThrowable(type);
    String message = actual.getThrowableProxy().getMessage();
    if (message == null || !message.contains(messagePart)) {
      failWithMessage(
          "%nExpected the %s's message to contain \"%s\", but it is \"%s\"",
          type.getName(), messagePart, message);
    }
    return this;
  }

  /**
   * Checks that no throwable was logged with the event.
   *
   * @throws AssertionError naming the throwable otherwise
   */
  public LogEventAssert hasNoThrowable() {
    IThrowableProxy proxy = actual.getThrowableProxy();
    if (proxy != null) {
      failWithMessage(
          "%nExpected no throwable with the event, but it has %s: %s",
          proxy.getClassName(), proxy.getMessage());
    }
    return this;
  }

  private static boolean isA(IThrowableProxy proxy, Class<? extends Throwable> type) {
    if (proxy instanceof ThrowableProxy real) {
      return type.isInstance(real.getThrowable());
    }
    return type.getName().equals(proxy.getClassName());
  }

  /** {@code LEVEL logger - message}, for failure messages. */
  static String line(ILoggingEvent event) {
    IThrowableProxy proxy = event.getThrowableProxy();
    return event.getLevel()
        + " "
        + event.getLoggerName()
        + " - "
        + event.getFormattedMessage()
        + (proxy == null ? "" : " [" + proxy.getClassName() + ": " + proxy.getMessage() + "]");
  }
}
