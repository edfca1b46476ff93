package com.aicompanion.monitoring.otlp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * For every set of boundaries and every two batches of recordings into a Prometheus-registry meter,
 * the OTLP point has the meter's boundaries, one count per bucket as the recordings fall ({@code
 * le}: a value on a boundary belongs to that boundary's bucket), a count that is the sum of the
 * bucket counts and the sum of the values; and the delta between two pushes is exactly the second
 * batch.
 */
class HistogramPointPropertyTest {

  /** The expected per-bucket counts: the first bucket whose boundary is {@code >= v}, else +Inf. */
  private static long[] bucketsOf(List<Integer> values, double[] bounds) {
    long[] counts = new long[bounds.length + 1];
    for (int v : values) {
      int i = 0;
      while (i < bounds.length && v > bounds[i]) {
        i++;
      }
      counts[i]++;
    }
    return counts;
  }

  private static double[] sorted(Set<Integer> bounds) {
    return bounds.stream().sorted().mapToDouble(Integer::doubleValue).toArray();
  }

  private static long sum(List<Integer> values) {
    return values.stream().mapToLong(Integer::longValue).sum();
  }

  @Property(tries = 300)
  void aSummarysPointHasItsBucketsCountAndSumAndTheDeltaIsTheSecondBatch(
      @ForAll @Size(min = 1, max = 8) Set<@IntRange(min = 1, max = 1000) Integer> boundSet,
      @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 1200) Integer> first,
      @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 1200) Integer> second) {
    double[] bounds = sorted(boundSet);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    DistributionSummary summary =
        DistributionSummary.builder("rows").serviceLevelObjectives(bounds).register(registry);

    first.forEach(summary::record);
    HistogramPoint before = HistogramPoint.of(summary.takeSnapshot(), false);
    second.forEach(summary::record);
    HistogramPoint after = HistogramPoint.of(summary.takeSnapshot(), false);
    HistogramPoint delta = after.minus(before);

    assertThat(before.bounds()).containsExactly(bounds);
    assertThat(before.counts()).containsExactly(bucketsOf(first, bounds));
    assertThat(before.count()).isEqualTo(first.size());
    assertThat(before.sum()).isEqualTo((double) sum(first));
    assertThat(delta.bounds()).containsExactly(bounds);
    assertThat(delta.counts()).containsExactly(bucketsOf(second, bounds));
    assertThat(delta.count()).isEqualTo(second.size());
    assertThat(delta.sum()).isEqualTo((double) sum(second));
    registry.close();
  }

  @Property(tries = 200)
  void aTimersPointIsInSecondsWithTheBucketsOfItsRecordings(
      @ForAll @Size(min = 1, max = 8) Set<@IntRange(min = 1, max = 5000) Integer> boundMillis,
      @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 6000) Integer> millis) {
    double[] bounds = sorted(boundMillis);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Duration[] slos = new Duration[bounds.length];
    for (int i = 0; i < bounds.length; i++) {
      slos[i] = Duration.ofMillis((long) bounds[i]);
    }
    Timer timer = Timer.builder("step").serviceLevelObjectives(slos).register(registry);
    millis.forEach(ms -> timer.record(ms, TimeUnit.MILLISECONDS));

    HistogramPoint point = HistogramPoint.of(timer.takeSnapshot(), true);

    double[] seconds = new double[bounds.length];
    for (int i = 0; i < bounds.length; i++) {
      seconds[i] = bounds[i] / 1000;
    }
    assertThat(point.bounds()).containsExactly(seconds);
    assertThat(point.counts()).containsExactly(bucketsOf(millis, bounds));
    assertThat(point.count()).isEqualTo(millis.size());
    assertThat(point.sum())
        .isCloseTo(sum(millis) / 1000.0, org.assertj.core.data.Offset.offset(1e-9));
    registry.close();
  }

  @Example
  void aMeterWithoutBucketsIsOneBucketHoldingEveryValue() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Timer timer = Timer.builder("step").register(registry);
    timer.record(Duration.ofMillis(250));
    timer.record(Duration.ofMillis(750));

    HistogramPoint point = HistogramPoint.of(timer.takeSnapshot(), true);

    assertThat(point.bounds()).isEmpty();
    assertThat(point.counts()).containsExactly(2);
    assertThat(point.sum()).isEqualTo(1.0);
    registry.close();
  }
}
