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

  private RunDeadline() {}

  static void set(long deadlineNanos) {
    DEADLINE.set(deadlineNanos);
  }

  static void clear() {
    DEADLINE.remove();
  }

  /**
   * {@code own}, or less when the current run has less time left: 90% of the remaining time, so
   * that the check's own timeout fires first. At least 1ms.
   */
  static Duration ioTimeout(Duration own) {
    Long deadline = DEADLINE.get();
    long nanos = own.toNanos();
    if (deadline != null) {
      long remaining = deadline - System.nanoTime();
      nanos = Math.min(nanos, remaining - remaining / 10);
    }
    return Duration.ofNanos(Math.max(MIN_NANOS, nanos));
  }
}
