package com.aicompanion.monitoring.internal.delivery;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff, capped, with jitter: the n-th wait after consecutive failures is drawn from
 * {@code [d/2, d]} where {@code d = min(first * 2^(n-1), max)}, so that many senders restarted
 * together do not retry in step, and no wait is shorter than half the planned one.
 *
 * <pre>{@code
 * Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), Math::random);
 * long wait = backoff.nextNanos();   // after each failure
 * backoff.reset();                   // after a success
 * }</pre>
 */
public final class Backoff {
  private final long firstNanos;
  private final long maxNanos;
  private final DoubleSupplier random;
  private long planned;

  /**
   * @param random values in {@code [0, 1)}, e.g. {@code ThreadLocalRandom.current()::nextDouble}
   */
  public Backoff(Duration first, Duration max, DoubleSupplier random) {
    this.firstNanos = first.toNanos();
    this.maxNanos = max.toNanos();
    this.random = random;
  }

  /** The wait before the next attempt, in nanoseconds; doubles the plan up to the cap. */
  public long nextNanos() {
    planned = planned == 0 ? firstNanos : Math.min(maxNanos, saturatedDouble(planned));
    long half = planned / 2;
    return half + (long) (random.getAsDouble() * (planned - half + 1));
  }

  /** The plan without jitter for the wait last returned (0 before any failure). */
  public long plannedNanos() {
    return planned;
  }

  /** Starts again from the first wait. */
  public void reset() {
    planned = 0;
  }

  private static long saturatedDouble(long value) {
    return value > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : value * 2;
  }
}
