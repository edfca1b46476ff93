package com.aicompanion.monitoring.test;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DistributionDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.assertj.core.api.AbstractDoubleAssert;
import org.assertj.core.api.AbstractLongAssert;
import org.assertj.core.api.Assertions;

/**
 * Assertions on the series of a timer, distribution summary or histogram: what {@code /metrics}
 * exposes as {@code <name>_count}, {@code <name>_sum} and, for histograms, {@code <name>_bucket}.
 * Timers are in seconds.
 *
 * <pre>{@code
 * monitor.http().record("POST", "/chat", 200, Duration.ofMillis(840));
 * MetricsAssert.assertThat(monitor)
 *     .histogram("http_server_requests_seconds")
 *     .withLabels("method", "POST", "uri", "/chat", "status", "200")
 *     .hasCount(1)
 *     .hasSum(0.84)
 *     .hasBucketCount(1.0, 1);          // _bucket{le="1.0"}: observations <= 1 s
 * }</pre>
 */
public final class DistributionAssert extends MetricAssert<DistributionAssert> {
  DistributionAssert(MetricSnapshot snapshot, String name, String kind) {
    super(snapshot, name, kind, DistributionAssert.class);
  }

  /**
   * Checks the selected series' {@code _count}: how many observations were recorded.
   *
   * @throws AssertionError when the count differs, or when the selection is not one series
   */
  public DistributionAssert hasCount(long expected) {
    DistributionDataPointSnapshot point = point();
    if (point.getCount() != expected) {
      failWithMessage(
          "%nExpected %s_count to be %s, but it is %s",
          seriesName(point), expected, point.getCount());
    }
    return this;
  }

  /**
   * Checks the selected series' {@code _sum} (seconds for a timer), exactly; use {@link #sum()}
   * with {@code isCloseTo(..)} for sums of fractions.
   *
   * @throws AssertionError when the sum differs, or when the selection is not one series
   */
  public DistributionAssert hasSum(double expected) {
    DistributionDataPointSnapshot point = point();
    if (!same(point.getSum(), expected)) {
      failWithMessage(
          "%nExpected %s_sum to be %s, but it is %s",
          seriesName(point), Exposed.number(expected), Exposed.number(point.getSum()));
    }
    return this;
  }

  /**
   * Checks that the metric is a histogram with buckets (exposed as {@code <name>_bucket}), not a
   * summary, e.g. for a family that dashboards turn into percentiles.
   *
   * @throws AssertionError when the metric is a summary or a selected series has no buckets
   */
  public DistributionAssert hasBuckets() {
    for (DataPointSnapshot point : selected()) {
      if (!(point instanceof HistogramDataPointSnapshot histogram)
          || !histogram.hasClassicHistogramData()) {
        failWithMessage(
            "%nExpected %s to have buckets, but it is a summary (publish a histogram to get"
                + " buckets)",
            seriesName(point));
      }
    }
    return this;
  }

  /**
   * Checks a histogram bucket as exposed: {@code _bucket{le="<upperBound>"}} counts the
   * observations less than or equal to {@code upperBound} (cumulative).
   *
   * @throws AssertionError when the metric is a summary, has no bucket with that bound (the message
   *     lists the bounds), the count differs, or the selection is not one series
   */
  public DistributionAssert hasBucketCount(double upperBound, long expected) {
    DistributionDataPointSnapshot point = point();
    if (!(point instanceof HistogramDataPointSnapshot histogram)
        || !histogram.hasClassicHistogramData()) {
      failWithMessage(
          "%nExpected %s to have buckets, but it is a summary (publish a histogram to get"
              + " buckets)",
          seriesName(point));
      return this;
    }
    ClassicHistogramBuckets buckets = histogram.getClassicBuckets();
    long cumulative = 0;
    StringBuilder bounds = new StringBuilder();
    for (int i = 0; i < buckets.size(); i++) {
      cumulative += buckets.getCount(i);
      bounds.append(i == 0 ? "" : ", ").append(buckets.getUpperBound(i));
      if (buckets.getUpperBound(i) == upperBound) {
        if (cumulative != expected) {
          failWithMessage(
              "%nExpected %s_bucket{le=\"%s\"} to be %s, but it is %s",
              seriesName(point), upperBound, expected, cumulative);
        }
        return this;
      }
    }
    failWithMessage(
        "%nExpected %s to have a bucket le=\"%s\", but its bounds are: %s",
        seriesName(point), upperBound, bounds);
    return this;
  }

  /**
   * The selected series' {@code _count} for any AssertJ number assertion.
   *
   * @throws AssertionError when the selection is not one series
   */
  public AbstractLongAssert<?> count() {
    DistributionDataPointSnapshot point = point();
    return Assertions.assertThat(point.getCount()).as(seriesName(point) + "_count");
  }

  /**
   * The selected series' {@code _sum} (seconds for a timer) for any AssertJ number assertion, e.g.
   * {@code sum().isCloseTo(0.3, within(1e-9))}.
   *
   * @throws AssertionError when the selection is not one series
   */
  public AbstractDoubleAssert<?> sum() {
    DistributionDataPointSnapshot point = point();
    return Assertions.assertThat(point.getSum()).as(seriesName(point) + "_sum");
  }

  private DistributionDataPointSnapshot point() {
    return (DistributionDataPointSnapshot) one();
  }

  @Override
  String describe(DataPointSnapshot point) {
    DistributionDataPointSnapshot d = (DistributionDataPointSnapshot) point;
    return "count=" + d.getCount() + " sum=" + Exposed.number(d.getSum());
  }
}
