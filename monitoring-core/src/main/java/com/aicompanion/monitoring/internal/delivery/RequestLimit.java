package com.aicompanion.monitoring.internal.delivery;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The request size limit of a delivery: the configured one, and what the destination taught with
 * 413 answers. After a request of {@code n} bytes is refused as too large, no request reaches
 * {@code n} again, and batches of several records are filled to the larger of {@code n / 2} and the
 * largest size accepted since, so that a few halvings find a limit the destination (or a proxy in
 * front of it) does not state, and later requests stay under it without wasting a 413 each. The
 * learned limit never falls below a size the destination accepted alone, and is forgotten after a
 * while without 413 (a proxy may have been changed).
 *
 * <pre>{@code
 * RequestLimit limit = new RequestLimit(5 << 20, Duration.ofMinutes(10), System::nanoTime);
 * long fill = limit.target();          // fill a batch up to this many bytes
 * if (answer == 413) limit.refused(requestBytes); else limit.accepted(requestBytes);
 * }</pre>
 *
 * <p>Used by one thread.
 */
public final class RequestLimit {
  private final long configured;
  private final long forgetNanos;
  private final LongSupplier nanoClock;
  private long tooLarge = Long.MAX_VALUE;
  private long largestOk;
  private long refusedAt;

  /**
   * @param configured the configured limit in bytes (at least 1)
   * @param forgetAfter how long a learned limit holds without a new 413
   */
  public RequestLimit(long configured, Duration forgetAfter, LongSupplier nanoClock) {
    this.configured = configured;
    this.forgetNanos = forgetAfter.toNanos();
    this.nanoClock = nanoClock;
  }

  /** The most bytes any request may have; a single record above it is oversize. */
  public synchronized long max() {
    forgetWhenOld();
    return tooLarge == Long.MAX_VALUE ? configured : Math.min(configured, tooLarge - 1);
  }

  /** The bytes a batch of several records is filled to. */
  public synchronized long target() {
    long max = max();
    if (tooLarge == Long.MAX_VALUE) {
      return max;
    }
    return Math.max(1, Math.min(max, Math.max(largestOk, tooLarge / 2)));
  }

  /** The largest request accepted since the last 413 below the current limit, or 0. */
  public synchronized long largestAccepted() {
    return largestOk;
  }

  /**
   * A request of {@code size} bytes was refused as too large.
   *
   * @return true when this lowered the limit (the first 413 at this size)
   */
  public synchronized boolean refused(long size) {
    refusedAt = nanoClock.getAsLong();
    if (size >= tooLarge) {
      return false;
    }
    tooLarge = size;
    largestOk = Math.min(largestOk, size - 1);
    return true;
  }

  /** A request of {@code size} bytes passed the size check of the destination. */
  public synchronized void accepted(long size) {
    if (tooLarge != Long.MAX_VALUE) {
      largestOk = Math.max(largestOk, Math.min(size, tooLarge - 1));
    }
  }

  private void forgetWhenOld() {
    if (tooLarge != Long.MAX_VALUE && nanoClock.getAsLong() - refusedAt > forgetNanos) {
      tooLarge = Long.MAX_VALUE;
      largestOk = 0;
    }
  }
}
