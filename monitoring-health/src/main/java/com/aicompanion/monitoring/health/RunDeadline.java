package com.aicompanion.monitoring.health;

import java.time.Duration;

/**
 * The deadline of the check run on the current thread, so that the built-in checks bound their
 * socket I/O by what is left of the registry's timeout: the run then returns, with its own
 * descriptive error, a little before the registry gives up on it, and its thread and any pooled
 * connection come back instead of staying blocked in a read.
 */
final class RunDeadline {
  private static final ThreadLocal<Long> DEADLINE = new ThreadLocal<>();
  private static final long MIN_NANOS = Duration.ofMillis(1).toNanos();
  private static final long MARGIN_FLOOR_NANOS = Duration.ofMillis(200).toNanos();

  private RunDeadline() {}

  static void set(long deadlineNanos) {
    DEADLINE.set(deadlineNanos);
  }

  static void clear() {
    DEADLINE.remove();
  }

  /**
   * {@code own}, or less when the current run has less time left: the remaining time less {@link
   * #margin(long) a margin}, so that the check's own timeout fires first even when its thread is
   * woken late (a busy two-core machine delays it by tens of ms). At least 1ms.
   */
  static Duration ioTimeout(Duration own) {
    Long deadline = DEADLINE.get();
    long nanos;
    try {
      nanos = own.toNanos();
    } catch (ArithmeticException overAboutThreeCenturies) {
      nanos = Long.MAX_VALUE; // the run's deadline, if any, bounds it below
    }
    if (deadline != null) {
      long remaining = deadline - System.nanoTime();
      nanos = Math.min(nanos, remaining - margin(remaining));
    }
    return Duration.ofNanos(Math.max(MIN_NANOS, nanos));
  }

  /**
   * What the check's I/O leaves to the registry's timeout, in ns: a tenth of {@code
   * remainingNanos}, at least 200ms, at most a quarter of it (800ms left: 600ms for the I/O; 2s:
   * 1.8s; 5s: 4.5s; 100ms: 75ms).
   */
  static long margin(long remainingNanos) {
    if (remainingNanos <= 0) {
      return 0;
    }
    return Math.min(remainingNanos / 4, Math.max(remainingNanos / 10, MARGIN_FLOOR_NANOS));
  }
}
