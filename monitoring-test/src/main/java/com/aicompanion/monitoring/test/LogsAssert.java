package com.aicompanion.monitoring.test;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on the events a {@link CapturedLogs} holds: narrow them by level, logger and message,
 * then check how many there are or look at one.
 *
 * <pre>{@code
 * import static com.aicompanion.monitoring.test.LogsAssert.assertThat;
 *
 * try (CapturedLogs logs = CapturedLogs.attach()) {
 *   monitor.incrementCounter("bad name!");
 *   assertThat(logs).withLevel(Level.WARN).withMessageContaining("bad name!").hasSize(1);
 *   assertThat(logs).withLogger("com.aicompanion.monitoring.Monitor").single()
 *       .hasLevel(Level.WARN).hasNoThrowable();
 *   assertThat(logs).atLeast(Level.ERROR).isEmpty();
 * }
 * }</pre>
 *
 * <p>{@code assertThat(logs)} takes the events captured so far; each narrowing returns a new
 * assertion on fewer events. A failure lists the events in the selection (or, when it is empty,
 * every captured event) as {@code LEVEL logger - message}.
 */
public final class LogsAssert extends AbstractAssert<LogsAssert, List<ILoggingEvent>> {
  private final List<ILoggingEvent> all;
  private final String selection;

  private LogsAssert(List<ILoggingEvent> all, List<ILoggingEvent> selected, String selection) {
    super(selected, LogsAssert.class);
    this.all = all;
    this.selection = selection;
  }

  /**
   * The events {@code logs} captured so far.
   *
   * @throws NullPointerException when {@code logs} is null
   */
  public static LogsAssert assertThat(CapturedLogs logs) {
    Objects.requireNonNull(logs, "assertThat(logs): logs is null");
    List<ILoggingEvent> events = logs.events();
    return new LogsAssert(events, events, "events");
  }

  /** Keeps the events at exactly {@code level}. */
  public LogsAssert withLevel(Level level) {
    Objects.requireNonNull(level, "withLevel(level): level is null");
    return narrow(e -> e.getLevel().equals(level), "at " + level);
  }

  /** Keeps the events at {@code level} or above, e.g. {@code atLeast(Level.WARN)}. */
  public LogsAssert atLeast(Level level) {
    Objects.requireNonNull(level, "atLeast(level): level is null");
    return narrow(e -> e.getLevel().isGreaterOrEqual(level), "at " + level + " or above");
  }

  /** Keeps the events of logger {@code name} exactly (not its children). */
  public LogsAssert withLogger(String name) {
    Objects.requireNonNull(name, "withLogger(name): name is null");
    return narrow(e -> name.equals(e.getLoggerName()), "of logger " + name);
  }

  /** Keeps the events whose formatted message contains {@code text}. */
  public LogsAssert withMessageContaining(String text) {
    Objects.requireNonNull(text, "withMessageContaining(text): text is null");
    return narrow(
        e -> e.getFormattedMessage() != null && e.getFormattedMessage().contains(text),
        "with a message containing \"" + text + "\"");
  }

  private LogsAssert narrow(Predicate<ILoggingEvent> keep, String what) {
    List<ILoggingEvent> kept = new ArrayList<>();
    for (ILoggingEvent event : actual) {
      if (keep.test(event)) {
        kept.add(event);
      }
    }
    return new LogsAssert(all, kept, selection + " " + what);
  }

  /**
   * Checks the number of selected events.
   *
   * @throws AssertionError listing the selected events (all captured ones when none is selected)
   */
  public LogsAssert hasSize(int expected) {
    if (actual.size() != expected) {
      failWithMessage(
          "%nExpected %s %s, but found %s:%n%s", expected, selection, actual.size(), listing());
    }
    return this;
  }

  /**
   * Checks that no event is selected, e.g. {@code atLeast(Level.ERROR).isEmpty()}.
   *
   * @throws AssertionError listing the selected events
   */
  public LogsAssert isEmpty() {
    if (!actual.isEmpty()) {
      failWithMessage("%nExpected no %s, but found %s:%n%s", selection, actual.size(), listing());
    }
    return this;
  }

  /**
   * Checks that at least one event is selected.
   *
   * @throws AssertionError listing every captured event when none is selected
   */
  public LogsAssert isNotEmpty() {
    if (actual.isEmpty()) {
      failWithMessage("%nExpected %s, but found none among:%n%s", selection, listing());
    }
    return this;
  }

  /**
   * The one selected event, for {@link LogEventAssert}'s checks.
   *
   * @throws AssertionError when none or several are selected, listing them
   */
  public LogEventAssert single() {
    if (actual.size() != 1) {
      failWithMessage(
          "%nExpected exactly one of the %s, but found %s:%n%s",
          selection, actual.size(), listing());
    }
    return new LogEventAssert(actual.get(0));
  }

  /**
   * The first selected event in the order logged.
   *
   * @throws AssertionError listing every captured event when none is selected
   */
  public LogEventAssert first() {
    isNotEmpty();
    return new LogEventAssert(actual.get(0));
  }

  private String listing() {
    List<ILoggingEvent> shown = actual.isEmpty() ? all : actual;
    if (shown.isEmpty()) {
      return "  (nothing was captured)";
    }
    StringBuilder b = new StringBuilder(actual.isEmpty() ? "  captured:\n" : "");
    for (ILoggingEvent event : shown) {
      b.append("  ").append(LogEventAssert.line(event)).append('\n');
    }
    return b.toString();
  }
}
