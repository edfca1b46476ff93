package com.aicompanion.monitoring.internal.delivery;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * What a delivery worker says in the application's own log about its destination: the first failed
 * attempt of an outage at WARN (naming the destination and the cause), then at most one WARN per
 * interval while it lasts (with the number of failed attempts held back), one INFO when it works
 * again (how long it was down, counted from the start of the first failed attempt, and what was
 * dropped meanwhile); refused records and dropped records at WARN, also at most once per interval
 * per reason. Called from the worker thread only.
 *
 * <pre>{@code
 * OutageLog log = new OutageLog(LOG, "http://es:9200", "log event(s)", Duration.ofMinutes(1),
 *     System::nanoTime);
 * long attemptStart = System.nanoTime();
 * // ... the attempt fails
 * log.failed("ConnectException: Connection refused", waiting, droppedSoFar, nextWait,
 *     attemptStart);
 * log.recovered(sentNow, waiting, droppedSoFar);
 * }</pre>
 *
 * <p>The lines go through SLF4J, so they reach wherever the application's log goes, possibly the
 * very destination that fails; the interval keeps that from feeding itself (a line that cannot be
 * delivered causes at most one more line per interval).
 */
public final class OutageLog {
  private final Logger log;
  private final String destination;
  private final String unit;
  private final long intervalNanos;
  private final LongSupplier nanoClock;
  private final Map<String, Limit> limits = new HashMap<>();
  private long outageStart;
  private long droppedAtStart;
  private boolean inOutage;
  private long attemptsHeld;
  private long lastOutageReport;

  /**
   * @param destination where records go, as the log should name it (no secrets)
   * @param unit what a record is, for messages, e.g. {@code log event(s)}
   * @param interval the least time between two lines of one kind
   */
  public OutageLog(
      Logger log, String destination, String unit, Duration interval, LongSupplier nanoClock) {
    this.log = log;
    this.destination = destination;
    this.unit = unit;
    this.intervalNanos = interval.toNanos();
    this.nanoClock = nanoClock;
  }

  /** Whether the last attempt failed as a whole and no attempt succeeded since. */
  public synchronized boolean inOutage() {
    return inOutage;
  }

  /**
   * An attempt failed as a whole (connection error, timeout, 429, 5xx).
   *
   * @param waiting records waiting for delivery, including the batch that failed
   * @param dropped records dropped so far in total (the count at the outage's start is kept)
   */
  public synchronized void failed(String cause, long waiting, long dropped, Duration nextWait) {
    failed(cause, waiting, dropped, nextWait, nanoClock.getAsLong());
  }

  /**
   * An attempt that began at {@code attemptStart} (on the clock given at construction) failed as a
   * whole. The outage counts from the start of its first failed attempt, so that an attempt that
   * waited out a timeout is part of the time down the recovery line reports.
   *
   * @param waiting records waiting for delivery, including the batch that failed
   * @param dropped records dropped so far in total (the count at the outage's start is kept)
   */
  public synchronized void failed(
      String cause, long waiting, long dropped, Duration nextWait, long attemptStart) {
    long now = nanoClock.getAsLong();
    if (!inOutage) {
      inOutage = true;
      outageStart = now - attemptStart > 0 ? attemptStart : now;
      droppedAtStart = dropped;
      attemptsHeld = 0;
      lastOutageReport = now;
      log.warn(
          "Sending {} to {} failed ({}); {} waiting, retrying in {} with backoff. The application"
              + " is not slowed; while this lasts, this warning repeats at most every {}.",
          unit,
          destination,
          cause,
          waiting,
          text(nextWait),
          text(Duration.ofNanos(intervalNanos)));
      return;
    }
    attemptsHeld++;
    if (now - lastOutageReport >= intervalNanos) {
      lastOutageReport = now;
      log.warn(
          "Sending {} to {} still fails after {} ({}); {} failed attempt(s) since the last"
              + " warning, {} waiting, {} dropped since the outage began",
          unit,
          destination,
          text(Duration.ofNanos(now - outageStart)),
          cause,
          attemptsHeld,
          waiting,
          dropped - droppedAtStart);
      attemptsHeld = 0;
    }
  }

  /**
   * An attempt reached the destination (whatever it answered for single records); ends an outage.
   *
   * @param sent records delivered by this attempt
   * @param waiting records still waiting
   * @param dropped records dropped so far in total
   */
  public synchronized void recovered(long sent, long waiting, long dropped) {
    if (!inOutage) {
      return;
    }
    inOutage = false;
    log.info(
        "Sending {} to {} works again after {} down: {} sent now, {} waiting, {} dropped during"
            + " the outage",
        unit,
        destination,
        text(Duration.ofNanos(nanoClock.getAsLong() - outageStart)),
        sent,
        waiting,
        dropped - droppedAtStart);
  }

  /** Records the destination refused (not retried), one line per reason and interval. */
  public synchronized void refused(long count, String reason, String detail) {
    long held = limit("refused:" + reason, count);
    if (held >= 0) {
      log.warn(
          "{} {} refused by {} ({}): {}; not retried, counted as rejected with reason {}{}",
          count,
          unit,
          destination,
          reason,
          detail,
          reason,
          held > 0 ? "; " + held + " more refused for this reason since the last warning" : "");
    }
  }

  /** Records dropped (counted with {@code reason}), one line per reason and interval. */
  public synchronized void dropped(long count, String reason, String detail) {
    long held = limit("dropped:" + reason, count);
    if (held >= 0) {
      log.warn(
          "{} {} for {} dropped ({}): {}{}",
          count,
          unit,
          destination,
          reason,
          detail,
          held > 0 ? "; " + held + " more dropped for this reason since the last warning" : "");
    }
  }

  /** A one-off notice (e.g. a limit learned from the destination), once per key and interval. */
  public synchronized void notice(String key, String message) {
    if (limit("notice:" + key, 1) >= 0) {
      log.warn(message);
    }
  }

  /** -1 to stay quiet; else the count held back since the last line of this kind. */
  private long limit(String key, long count) {
    long now = nanoClock.getAsLong();
    Limit limit = limits.computeIfAbsent(key, k -> new Limit());
    if (!limit.reported || now - limit.last >= intervalNanos) {
      limit.reported = true;
      limit.last = now;
      long held = limit.held;
      limit.held = 0;
      return held;
    }
    limit.held += count;
    return -1;
  }

  /** {@code 250ms}, {@code 4.2s}, {@code 3m 5s}. */
  public static String text(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + "ms";
    }
    if (ms < 60_000) {
      return (ms / 100) / 10.0 + "s";
    }
    long s = ms / 1000;
    return s / 60 + "m " + s % 60 + "s";
  }

  /** A failure as a short cause: the innermost useful class name and message. */
  public static String describe(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    StringBuilder text = new StringBuilder(t.getClass().getSimpleName());
    String message = t.getMessage();
    if (t instanceof java.net.ConnectException && (message == null || message.isBlank())) {
      return text.append(": cannot connect (refused or unreachable)").toString();
    }
    Throwable cause = t.getCause();
    while ((message == null || message.isBlank()) && cause != null && cause != t) {
      text.append(" (").append(cause.getClass().getSimpleName()).append(')');
      message = cause.getMessage();
      t = cause;
      cause = cause.getCause();
    }
    if (message != null && !message.isBlank()) {
      text.append(": ").append(message);
    }
    return text.toString();
  }

  private static final class Limit {
    boolean reported;
    long last;
    long held;
  }
}
