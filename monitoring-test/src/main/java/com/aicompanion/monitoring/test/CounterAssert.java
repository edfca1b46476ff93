package com.aicompanion.monitoring.test;

import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.assertj.core.api.AbstractDoubleAssert;
import org.assertj.core.api.Assertions;

/**
 * Assertions on a counter's series, as {@code /metrics} exposes it.
 *
 * <pre>{@code
 * monitor.incrementCounter("jobs_total", 3, Map.of("queue", "ingest"));
 * MetricsAssert.assertThat(monitor).counter("jobs_total").withLabels("queue", "ingest").hasValue(3);
 * MetricsAssert.assertThat(monitor).counter("jobs_total").withLabels("queue", "ingest")
 *     .value().isGreaterThan(2);
 * }</pre>
 */
public final class CounterAssert extends MetricAssert<CounterAssert> {
  CounterAssert(MetricSnapshot snapshot, String name) {
    super(snapshot, name, "counter", CounterAssert.class);
  }

  /**
   * Checks the selected series' value exactly ({@code NaN} equals {@code NaN}).
   *
   * @throws AssertionError when the value differs, or when the selection is not one series
   */
  public CounterAssert hasValue(double expected) {
    DataPointSnapshot point = one();
    double value = ((CounterDataPointSnapshot) point).getValue();
    if (!same(value, expected)) {
      failWithMessage(
          "%nExpected %s to be %s, but it is %s",
          seriesName(point), Exposed.number(expected), Exposed.number(value));
    }
    return this;
  }

  /**
   * The selected series' value for any AssertJ number assertion, described by the series' name.
   *
   * @throws AssertionError when the selection is not one series
   */
  public AbstractDoubleAssert<?> value() {
    DataPointSnapshot point = one();
    return Assertions.assertThat(((CounterDataPointSnapshot) point).getValue())
        .as(seriesName(point));
  }

  @Override
  String describe(DataPointSnapshot point) {
    return Exposed.number(((CounterDataPointSnapshot) point).getValue());
  }
}
