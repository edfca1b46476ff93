package com.aicompanion.monitoring.tracing.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Lets the first problem through, then at most one report per interval, with the number of problems
 * that were held back. Keeps an unreachable collector from flooding the log.
 *
 * <pre>{@code
 * WarnLimiter limiter = new WarnLimiter(Duration.ofMinutes(1), System::nanoTime);
 * long held = limiter.tryReport();   // -1: stay quiet; else the number suppressed since last time
 * }</pre>
 */
public final class WarnLimiter {
  private final long intervalNanos;
  private final LongSupplier nanoClock;
  private final AtomicLong suppressed = new AtomicLong();
  private volatile long lastReport;
  private volatile boolean reported;

  public WarnLimiter(Duration interval, LongSupplier nanoClock) {
    this.intervalNanos = interval.toNanos();
    this.nanoClock = nanoClock;
  }

  /**
   * Records one problem.
   *
   * @return -1 when this one should not be logged; otherwise how many were held back before it
   */
  public synchronized long tryReport() {
    long now = nanoClock.getAsLong();
    if (!reported || now - lastReport >= intervalNanos) {
      reported = true;
      lastReport = now;
      return suppressed.getAndSet(0);
    }
    suppressed.incrementAndGet();
    return -1;
  }

  /** Whether any problem was reported since the last {@link #reset()}. */
  public boolean active() {
    return reported;
  }

  /** Forgets past problems, so that the next one is reported at once (after a recovery). */
  public synchronized void reset() {
    reported = false;
    suppressed.set(0);
  }
}
