package com.aicompanion.monitoring.internal;

import com.aicompanion.monitoring.internal.RecordingErrors.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The value rules of the recording path, and the bound meters that {@code Monitor.counter(..)} and
 * {@code Monitor.timer(..)} hand out: the same Micrometer meters behind a check, so that a bound
 * meter refuses what the facade refuses (NaN, infinities, negative amounts, totals that would
 * overflow) with one WARN and a count, instead of keeping {@code +Inf} for good.
 *
 * <pre>{@code
 * Counter c = Guarded.counter(micrometerCounter, errors);
 * c.increment(Double.NaN);   // refused, counted as invalid_value
 * }</pre>
 */
public final class Guarded {
  /**
   * Above this a single amount is checked against the total (an overflow to {@code +Inf} needs
   * either such an amount or more than 10^18 recordings).
   */
  private static final double LARGE = 1e290;

  /** Above ~18 minutes a single duration is checked against the timer's total. */
  private static final long LONG_NANOS = 1L << 40;

  private Guarded() {}

  /** Null when a counter may take {@code amount} (finite, {@code >= 0}), else the rule. */
  public static String counterAmountProblem(double amount) {
    if (!(amount >= 0) || amount == Double.POSITIVE_INFINITY) {
      return amount + ": a counter only goes up by a finite amount; pass a finite amount >= 0";
    }
    return null;
  }

  /** Null when a valid {@code amount} keeps {@code counter}'s total finite, else the rule. */
  public static String counterOverflowProblem(double amount, Counter counter) {
    if (amount > LARGE && Double.isInfinite(counter.count() + amount)) {
      return amount + ": the counter's total would overflow to +Inf";
    }
    return null;
  }

  /** Null when a summary may take {@code value} (finite, {@code >= 0}), else the rule. */
  public static String summaryValueProblem(double value) {
    if (!(value >= 0) || value == Double.POSITIVE_INFINITY) {
      return value
          + ": a summary holds finite values >= 0; record the magnitude, or use a gauge for"
          + " values that can be negative";
    }
    return null;
  }

  /** Null when a valid {@code value} keeps a summary's sum {@code sum} finite, else the rule. */
  public static String summaryOverflowProblem(double value, double sum) {
    if (value > LARGE && Double.isInfinite(sum + value)) {
      return value + ": the summary's sum would overflow to +Inf";
    }
    return null;
  }

  /**
   * Null when {@code nanos} (already checked {@code >= 0}) may be added to {@code timer}, whose
   * total is kept in nanoseconds.
   */
  public static String timerProblem(long nanos, Timer timer) {
    if (nanos == Long.MAX_VALUE) {
      return "too long: a timer holds at most " + Long.MAX_VALUE + " ns in all";
    }
    if (nanos > LONG_NANOS && timer.totalTime(TimeUnit.NANOSECONDS) + nanos >= 0x1p63) {
      return Duration.ofNanos(nanos) + ": the timer's total would overflow";
    }
    return null;
  }

  public static Counter counter(Counter delegate, RecordingErrors errors) {
    return new GuardedCounter(delegate, errors);
  }

  public static Timer timer(Timer delegate, RecordingErrors errors) {
    return new GuardedTimer(delegate, errors);
  }

  private static final class GuardedCounter implements Counter {
    private final Counter delegate;
    private final RecordingErrors errors;

    GuardedCounter(Counter delegate, RecordingErrors errors) {
      this.delegate = delegate;
      this.errors = errors;
    }

    @Override
    public void increment(double amount) {
      String problem = counterAmountProblem(amount);
      if (problem == null) {
        problem = counterOverflowProblem(amount, delegate);
      }
      if (problem != null) {
        errors.refuse(
            Reason.INVALID_VALUE,
            "Counter \"" + delegate.getId().getName() + "\" was incremented by " + problem);
        return;
      }
      delegate.increment(amount);
    }

    @Override
    public double count() {
      return delegate.count();
    }

    @Override
    public Meter.Id getId() {
      return delegate.getId();
    }

    @Override
    public Iterable<Measurement> measure() {
      return delegate.measure();
    }
  }

  private static final class GuardedTimer implements Timer {
    private final Timer delegate;
    private final RecordingErrors errors;

    GuardedTimer(Timer delegate, RecordingErrors errors) {
      this.delegate = delegate;
      this.errors = errors;
    }

    @Override
    public void record(long amount, TimeUnit unit) {
      if (amount < 0 || unit == null) {
        refuse(amount + " " + unit + ": pass an amount >= 0 and a unit");
        return;
      }
      long nanos = unit.toNanos(amount);
      String problem = timerProblem(nanos, delegate);
      if (problem != null) {
        refuse(problem);
        return;
      }
      delegate.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void record(Duration duration) {
      String problem = RecordingErrors.durationProblem(duration);
      if (problem != null) {
        refuse(problem);
        return;
      }
      record(duration.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void refuse(String problem) {
      errors.refuse(
          Reason.INVALID_VALUE,
          "Timer \"" + delegate.getId().getName() + "\" was given the duration " + problem);
    }

    @Override
    public <T> T record(Supplier<T> f) {
      return delegate.record(f);
    }

    @Override
    public <T> T recordCallable(Callable<T> f) throws Exception {
      return delegate.recordCallable(f);
    }

    @Override
    public void record(Runnable f) {
      delegate.record(f);
    }

    @Override
    public long count() {
      return delegate.count();
    }

    @Override
    public double totalTime(TimeUnit unit) {
      return delegate.totalTime(unit);
    }

    @Override
    public double max(TimeUnit unit) {
      return delegate.max(unit);
    }

    @Override
    public TimeUnit baseTimeUnit() {
      return delegate.baseTimeUnit();
    }

    @Override
    public HistogramSnapshot takeSnapshot() {
      return delegate.takeSnapshot();
    }

    @Override
    public Meter.Id getId() {
      return delegate.getId();
    }

    @Override
    public Iterable<Measurement> measure() {
      return delegate.measure();
    }
  }
}
