package com.aicompanion.monitoring.test;

import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.assertj.core.api.AbstractDoubleAssert;
import org.assertj.core.api.Assertions;

/**
 * Assertions on a gauge's series, as {@code /metrics} exposes it; the value is the one a scrape
 * reads at the moment {@link MetricsAssert} took its snapshot.
 *
 * <pre>{@code
 * monitor.setGauge("queue_depth", 17, Map.of("queue", "ingest"));
 * MetricsAssert.assertThat(monitor).gauge("queue_depth").withLabels("queue", "ingest").hasValue(17);
 * MetricsAssert.assertThat(registry).gauge("jvm_threads_live_threads").value().isPositive();
 * }</pre>
 */
public final class GaugeAssert extends MetricAssert<GaugeAssert> {
  GaugeAssert(MetricSnapshot snapshot, String name) {
    super(snapshot, name, "gauge", GaugeAssert.class);
  }

  /**
   * Checks the selected series' value exactly ({@code NaN} equals {@code NaN}).
   *
   * @throws AssertionError when the value differs, or when the selection is not one series
   */
  public GaugeAssert hasValue(double expected) {
    DataPointSnapshot point = one();
    double value = valueOf(point);
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
    return Assertions.assertThat(valueOf(point)).as(seriesName(point));
  }

  @Override
  String describe(DataPointSnapshot point) {
    return Exposed.number(valueOf(point));
  }

  // an info metric's series are exposed as gauges of value 1
  private static double valueOf(DataPointSnapshot point) {
    return point instanceof GaugeDataPointSnapshot gauge ? gauge.getValue() : 1.0;
  }
}
