package com.aicompanion.monitoring.test;

import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on one metric and the series selected from it by labels; the common part of {@link
 * CounterAssert}, {@link GaugeAssert} and {@link DistributionAssert}.
 *
 * <pre>{@code
 * MetricsAssert.assertThat(monitor)
 *     .counter("jobs_total")
 *     .hasSeriesCount(2)                       // every label set of the metric
 *     .withLabels("queue", "ingest")           // narrows to the series with queue="ingest"
 *     .hasValue(3);
 * }</pre>
 *
 * <p>Obtain one from {@link MetricsAssert}; the values are those of the snapshot it took. Labels
 * are matched by their name as exposed (or as registered, e.g. {@code gen_ai.request.model} for
 * {@code gen_ai_request_model}); a selection may keep several series, and a value assertion needs
 * exactly one.
 *
 * @param <SELF> the concrete assertion, for chaining
 */
public abstract class MetricAssert<SELF extends MetricAssert<SELF>>
    extends AbstractAssert<SELF, MetricSnapshot> {
  private final String name;
  private final String kind;
  private final Map<String, String> filter = new LinkedHashMap<>();
  private List<DataPointSnapshot> selected;

  MetricAssert(MetricSnapshot snapshot, String name, String kind, Class<?> selfType) {
    super(snapshot, selfType);
    this.name = name;
    this.kind = kind;
    this.selected = new ArrayList<>(snapshot.getDataPoints());
  }

  /**
   * Narrows the selection to the series that carry every given label, e.g. {@code
   * withLabels("method", "POST", "status", "200")}; other labels may have any value. May be
   * chained; each call adds to the labels already given.
   *
   * @param keyValues label names and values, alternating; none may be null
   * @throws IllegalArgumentException when the array is null, of odd length or holds a null
   * @throws AssertionError when no series of the metric carries them; the message lists the series
   *     that exist
   */
  public SELF withLabels(String... keyValues) {
    if (keyValues == null || keyValues.length % 2 != 0) {
      throw new IllegalArgumentException(
          "withLabels(..) takes label names and values in pairs, e.g. withLabels(\"queue\","
              + " \"ingest\"); got "
              + (keyValues == null ? "null" : keyValues.length + " argument(s)"));
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      labels.put(keyValues[i], keyValues[i + 1]);
    }
    return withLabels(labels);
  }

  /**
   * Like {@link #withLabels(String...)} with a map (in its iteration order).
   *
   * @throws IllegalArgumentException when the map is null or holds a null key or value
   * @throws AssertionError when no series of the metric carries these labels
   */
  public SELF withLabels(Map<String, String> labels) {
    if (labels == null) {
      throw new IllegalArgumentException("withLabels(null): pass the labels to select by");
    }
    for (Map.Entry<String, String> e : labels.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new IllegalArgumentException(
            "withLabels(..) got a null label name or value: " + e.getKey() + "=" + e.getValue());
      }
      filter.put(e.getKey(), e.getValue());
    }
    List<DataPointSnapshot> matching = new ArrayList<>();
    for (DataPointSnapshot point : actual.getDataPoints()) {
      if (filter.entrySet().stream()
          .allMatch(f -> Exposed.hasLabel(point, f.getKey(), f.getValue()))) {
        matching.add(point);
      }
    }
    if (matching.isEmpty()) {
      failWithMessage(
          "%nExpected %s %s to have a series with %s, but it has:%n%s",
          kind, name, filterText(), allSeries());
    }
    selected = matching;
    return myself;
  }

  /**
   * Narrows the selection to the series without labels, e.g. {@code
   * gauge("process_uptime_seconds").withoutLabels()}.
   *
   * @throws AssertionError when every series of the metric has labels; the message lists them
   */
  public SELF withoutLabels() {
    List<DataPointSnapshot> bare = new ArrayList<>();
    for (DataPointSnapshot point : selected) {
      if (point.getLabels().isEmpty()) {
        bare.add(point);
      }
    }
    if (bare.isEmpty()) {
      failWithMessage(
          "%nExpected %s %s to have a series without labels, but it has:%n%s",
          kind, name, list(selected));
    }
    selected = bare;
    return myself;
  }

  /**
   * Checks that no series of the metric carries every given label, e.g. {@code
   * hasNoSeriesWith("error_type", "timeout")}.
   *
   * @param keyValues label names and values, alternating; none may be null
   * @throws IllegalArgumentException when the array is null, of odd length or holds a null
   * @throws AssertionError listing the series that carry them
   */
  public SELF hasNoSeriesWith(String... keyValues) {
    if (keyValues == null || keyValues.length % 2 != 0) {
      throw new IllegalArgumentException(
          "hasNoSeriesWith(..) takes label names and values in pairs; got "
              + (keyValues == null ? "null" : keyValues.length + " argument(s)"));
    }
    List<DataPointSnapshot> carrying = new ArrayList<>();
    StringBuilder wanted = new StringBuilder("{");
    for (int i = 0; i < keyValues.length; i += 2) {
      if (keyValues[i] == null || keyValues[i + 1] == null) {
        throw new IllegalArgumentException(
            "hasNoSeriesWith(..) got a null label name or value: "
                + keyValues[i]
                + "="
                + keyValues[i + 1]);
      }
      wanted.append(i == 0 ? "" : ",").append(keyValues[i]).append("=\"");
      wanted.append(keyValues[i + 1]).append('"');
    }
    wanted.append('}');
    for (DataPointSnapshot point : actual.getDataPoints()) {
      boolean all = true;
      for (int i = 0; i < keyValues.length; i += 2) {
        all &= Exposed.hasLabel(point, keyValues[i], keyValues[i + 1]);
      }
      if (all) {
        carrying.add(point);
      }
    }
    if (!carrying.isEmpty()) {
      failWithMessage(
          "%nExpected %s %s to have no series with %s, but it has:%n%s",
          kind, name, wanted, list(carrying));
    }
    return myself;
  }

  /**
   * Checks how many series are selected: all of the metric's label sets, or those {@link
   * #withLabels(String...)} kept.
   *
   * @throws AssertionError listing the selected series when the count differs
   */
  public SELF hasSeriesCount(int expected) {
    if (selected.size() != expected) {
      failWithMessage(
          "%nExpected %s %s%s to have %s series, but it has %s:%n%s",
          kind, name, filterText(), expected, selected.size(), list(selected));
    }
    return myself;
  }

  /**
   * The one selected series.
   *
   * @throws AssertionError when the selection holds more than one series
   */
  final DataPointSnapshot one() {
    if (selected.size() != 1) {
      failWithMessage(
          "%nExpected one series of %s %s%s, but %s match; add labels with withLabels(..) to pick"
              + " one:%n%s",
          kind, name, filterText(), selected.size(), list(selected));
    }
    return selected.get(0);
  }

  /** The selected series, in the exposition's order. */
  final List<DataPointSnapshot> selected() {
    return selected;
  }

  /** The selected series as the exposition names it, for messages. */
  final String seriesName(DataPointSnapshot point) {
    return Exposed.series(name, point.getLabels());
  }

  /** One series' value(s) for failure messages, e.g. {@code 3} or {@code count=2 sum=0.5}. */
  abstract String describe(DataPointSnapshot point);

  private String filterText() {
    if (filter.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder("{");
    filter.forEach(
        (k, v) ->
            b.append(b.length() > 1 ? "," : "").append(k).append("=\"").append(v).append('"'));
    return b.append('}').toString();
  }

  private String allSeries() {
    return list(actual.getDataPoints());
  }

  private String list(List<? extends DataPointSnapshot> points) {
    StringBuilder b = new StringBuilder();
    for (DataPointSnapshot point : points) {
      b.append("  ").append(seriesName(point)).append(' ').append(describe(point)).append('\n');
    }
    return b.length() == 0 ? "  (no series)\n" : b.toString();
  }

  /** Equality as a test means it: NaN equals NaN, and -0.0 equals 0.0. */
  static boolean same(double actual, double expected) {
    return actual == expected || Objects.equals(actual, expected);
  }
}
