package com.aicompanion.monitoring.langchain4j.internal;

import com.aicompanion.monitoring.LlmCall;
import com.aicompanion.monitoring.langchain4j.LangChain4jMonitoring;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The calls one listener opened and has not seen end, so that none can stay in flight for good.
 * LangChain4j tells listeners about an {@code Exception} only: a model that fails with an {@code
 * Error}, or a stream that never ends, reaches neither {@code onResponse} nor {@code onError}. When
 * the listener starts a call, it also ends every call of its own older than the maximum age as
 * failed with {@code error_type} {@value LangChain4jMonitoring#ABANDONED} (at most once per sweep
 * interval, so the cost per call stays a map insert and remove).
 *
 * <p>Why an age and not "the thread started its next call": a streaming call legitimately stays
 * open while its thread starts others, and a model may call another model on the same thread.
 *
 * <pre>{@code
 * OpenCalls open = new OpenCalls(Duration.ofHours(1), System::nanoTime);
 * open.opened(call);   // onRequest
 * open.ended(call);    // onResponse / onError
 * }</pre>
 */
public final class OpenCalls {
  /** Sweeps run at most this often (or every maximum age, when that is shorter). */
  static final long SWEEP_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();

  private final Map<LlmCall, Long> open = new ConcurrentHashMap<>();
  private final long maxAgeNanos;
  private final long sweepIntervalNanos;
  private final LongSupplier nanoTime;
  private final AtomicLong nextSweep;

  /**
   * @param maxAge a call still open this long after it started is ended as abandoned; positive
   * @param nanoTime the clock, {@code System::nanoTime} outside tests
   */
  public OpenCalls(Duration maxAge, LongSupplier nanoTime) {
    this.maxAgeNanos = saturatedNanos(maxAge);
    this.sweepIntervalNanos = Math.min(SWEEP_INTERVAL_NANOS, maxAgeNanos);
    this.nanoTime = nanoTime;
    this.nextSweep = new AtomicLong(nanoTime.getAsLong() + sweepIntervalNanos);
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE; // centuries: never abandoned
    }
  }

  /** Tracks {@code call} and ends the abandoned ones when a sweep is due. */
  void opened(LlmCall call) {
    long now = nanoTime.getAsLong();
    open.put(call, now);
    long due = nextSweep.get();
    if (now - due >= 0 && nextSweep.compareAndSet(due, now + sweepIntervalNanos)) {
      sweep(now);
    }
  }

  /** Stops tracking {@code call}. */
  void ended(LlmCall call) {
    open.remove(call);
  }

  /** How many calls are tracked (ended ones leave at the next sweep at the latest). */
  int size() {
    return open.size();
  }

  private void sweep(long now) {
    for (Iterator<Map.Entry<LlmCall, Long>> it = open.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<LlmCall, Long> entry = it.next();
      LlmCall call = entry.getKey();
      if (call.ended()) {
        it.remove();
      } else if (now - entry.getValue() >= maxAgeNanos) {
        it.remove();
        call.fail(LangChain4jMonitoring.ABANDONED);
      }
    }
  }
}
