package com.aicompanion.monitoring.otlp.internal;

import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The values of one OTLP explicit-bucket histogram data point, read from a Prometheus-registry
 * timer or distribution summary.
 *
 * <pre>{@code
 * HistogramPoint now = HistogramPoint.of(timer.takeSnapshot(), true);
 * HistogramPoint sinceLastPush = now.minus(previous);  // delta temporality
 * }</pre>
 *
 * <p>The Prometheus registry's snapshot has cumulative bucket counts ({@code le} semantics) at its
 * finite boundaries and never resets; OTLP wants one count per bucket, the last bucket being {@code
 * (last boundary, +Inf)}. The snapshot's count, total and buckets are read one after the other
 * while recordings go on, so the point is made self-consistent: bucket counts never go below zero
 * and {@link #count()} is always the sum of {@link #counts()}.
 *
 * @param bounds the finite boundaries, ascending: seconds for a timer, the summary's unit otherwise
 * @param counts {@code bounds.length + 1} counts, one per bucket, each {@code >= 0}
 * @param count the sum of {@code counts}
 * @param sum the sum of the recorded values, in the boundaries' unit, {@code >= 0}
 */
record HistogramPoint(double[] bounds, long[] counts, long count, double sum) {

  /**
   * The point for {@code snapshot}; {@code timeBased} for a timer, whose boundaries and total are
   * given in seconds. A meter without histogram buckets gives one bucket holding every value.
   */
  static HistogramPoint of(HistogramSnapshot snapshot, boolean timeBased) {
    CountAtBucket[] buckets = snapshot.histogramCounts();
    int finite = 0;
    for (CountAtBucket b : buckets) {
      if (b.bucket() != Double.POSITIVE_INFINITY) {
        finite++;
      }
    }
    double[] bounds = new double[finite];
    long[] counts = new long[finite + 1];
    long below = 0; // the cumulative count at the previous boundary
    int i = 0;
    for (CountAtBucket b : buckets) {
      if (b.bucket() == Double.POSITIVE_INFINITY) {
        continue;
      }
      bounds[i] = timeBased ? b.bucket(TimeUnit.SECONDS) : b.bucket();
      long cumulative = Math.max(below, (long) b.count());
      counts[i] = cumulative - below;
      below = cumulative;
      i++;
    }
    long count = Math.max(snapshot.count(), below);
    counts[finite] = count - below;
    double sum = timeBased ? snapshot.total(TimeUnit.SECONDS) : snapshot.total();
    return new HistogramPoint(bounds, counts, count, Math.max(0, sum));
  }

  /**
   * What was recorded since {@code earlier}, a point of the same meter; this point itself when
   * {@code earlier} is null or has other boundaries.
   */
  HistogramPoint minus(HistogramPoint earlier) {
    if (earlier == null || !Arrays.equals(bounds, earlier.bounds)) {
      return this;
    }
    long[] delta = new long[counts.length];
    long total = 0;
    for (int i = 0; i < counts.length; i++) {
      delta[i] = Math.max(0, counts[i] - earlier.counts[i]);
      total += delta[i];
    }
    return new HistogramPoint(bounds, delta, total, Math.max(0, sum - earlier.sum));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HistogramPoint p
        && Arrays.equals(bounds, p.bounds)
        && Arrays.equals(counts, p.counts)
        && count == p.count
        && Double.compare(sum, p.sum) == 0;
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(bounds) + Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return "HistogramPoint[bounds="
        + Arrays.toString(bounds)
        + ", counts="
        + Arrays.toString(counts)
        + ", count="
        + count
        + ", sum="
        + sum
        + "]";
  }
}
