package com.aicompanion.monitoring.test;

import com.aicompanion.monitoring.Monitor;
import com.aicompanion.monitoring.Monitoring;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.AbstractDoubleAssert;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ListAssert;

/**
 * Assertions on recorded metrics by name, labels and value, read from the registry's Prometheus
 * snapshot: the same data {@code /metrics} writes, without an HTTP request or text parsing.
 *
 * <pre>{@code
 * import static com.aicompanion.monitoring.test.MetricsAssert.assertThat;
 *
 * monitor.incrementCounter("jobs_total", 3, Map.of("queue", "ingest"));
 * monitor.recordCustomMetric("embedding_duration", Duration.ofMillis(40));
 *
 * assertThat(monitor).counter("jobs_total").withLabels("queue", "ingest").hasValue(3);
 * assertThat(monitor).timer("embedding_duration_seconds").hasCount(1);
 * assertThat(monitor).gauge("queue_depth").withLabels("queue", "ingest").hasValue(17);
 * assertThat(monitor).histogram("http_server_requests_seconds")
 *     .withLabels("method", "POST", "uri", "/chat").hasCount(2);
 * assertThat(monitor).doesNotHave("debug_events_total").hasNoRefusals();
 * assertThat(monitor).refusals("name_conflict").isEqualTo(1);
 * }</pre>
 *
 * <p>Names are those of the exposition: a counter is {@code jobs_total} (also found as {@code
 * jobs}), a timer {@code x_seconds} (also found as {@code x}), and label names are written with
 * underscores. {@code assertThat(..)} takes one snapshot; the assertions that follow read it, so
 * take a new one after recording more. A failure names the series that do exist.
 *
 * <p>Only the metrics part of the kit: it needs monitoring-core and AssertJ, nothing optional.
 */
public final class MetricsAssert extends AbstractAssert<MetricsAssert, MetricSnapshots> {
  /**
   * The {@code reason} values of {@code monitoring_metric_errors_total}, as listed in
   * docs/metrics.md.
   */
  static final Set<String> REFUSAL_REASONS =
      Set.of(
          "invalid_name",
          "invalid_labels",
          "invalid_value",
          "type_conflict",
          "label_keys_conflict",
          "name_conflict",
          "reserved_suffix",
          "registry_rejected",
          "callback_failed");

  static final String REFUSALS = "monitoring_metric_errors_total";

  private MetricsAssert(MetricSnapshots snapshots) {
    super(snapshots, MetricsAssert.class);
  }

  /**
   * A snapshot of the registry behind a started {@link Monitoring}, i.e. of its {@code /metrics}.
   *
   * @throws NullPointerException when {@code monitoring} is null
   */
  public static MetricsAssert assertThat(Monitoring monitoring) {
    Objects.requireNonNull(monitoring, "assertThat(monitoring): monitoring is null");
    return assertThat(monitoring.monitor());
  }

  /**
   * A snapshot of the registry behind {@code monitor}.
   *
   * @throws NullPointerException when {@code monitor} is null
   * @throws IllegalArgumentException when its registry is not a {@link PrometheusMeterRegistry}
   */
  public static MetricsAssert assertThat(Monitor monitor) {
    Objects.requireNonNull(monitor, "assertThat(monitor): monitor is null");
    return assertThat(monitor.registry());
  }

  /**
   * A snapshot of {@code registry}: a {@link PrometheusMeterRegistry}, or a {@link
   * CompositeMeterRegistry} that holds one.
   *
   * @throws NullPointerException when {@code registry} is null
   * @throws IllegalArgumentException for any other registry: only the Prometheus registry knows the
   *     exposed names
   */
  public static MetricsAssert assertThat(MeterRegistry registry) {
    Objects.requireNonNull(registry, "assertThat(registry): registry is null");
    PrometheusMeterRegistry prometheus = prometheusOf(registry);
    if (prometheus == null) {
      throw new IllegalArgumentException(
          "MetricsAssert reads the names /metrics exposes, which only a PrometheusMeterRegistry"
              + " knows; got a "
              + registry.getClass().getName()
              + ": pass monitoring.monitor().registry(), or build the Monitor on a"
              + " PrometheusMeterRegistry");
    }
    return assertThat(prometheus.getPrometheusRegistry());
  }

  /**
   * A snapshot of a client_java {@link PrometheusRegistry}, e.g. {@code
   * prometheusMeterRegistry.getPrometheusRegistry()}.
   *
   * @throws NullPointerException when {@code registry} is null
   */
  public static MetricsAssert assertThat(PrometheusRegistry registry) {
    Objects.requireNonNull(registry, "assertThat(registry): registry is null");
    return new MetricsAssert(registry.scrape());
  }

  private static PrometheusMeterRegistry prometheusOf(MeterRegistry registry) {
    if (registry instanceof PrometheusMeterRegistry prometheus) {
      return prometheus;
    }
    if (registry instanceof CompositeMeterRegistry composite) {
      for (MeterRegistry member : composite.getRegistries()) {
        PrometheusMeterRegistry found = prometheusOf(member);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  /**
   * The counter exposed as {@code name}, e.g. {@code jobs_total}; {@code jobs} finds it too.
   *
   * @throws AssertionError when there is no such counter; the message lists the metrics that exist
   */
  public CounterAssert counter(String name) {
    MetricSnapshot found = find(name, "counter", suffixed(name, "_total"));
    return new CounterAssert(found, Exposed.name(found));
  }

  /**
   * The gauge exposed as {@code name}, e.g. {@code queue_depth}; also an info metric such as {@code
   * app_info}, which the text format exposes as a gauge of value 1.
   *
   * @throws AssertionError when there is no such gauge; the message lists the metrics that exist
   */
  public GaugeAssert gauge(String name) {
    MetricSnapshot found = find(name, "gauge", name);
    return new GaugeAssert(found, Exposed.name(found));
  }

  /**
   * The timer exposed as {@code name}, e.g. {@code db_query_duration_seconds}; {@code
   * db_query_duration} finds it too. Micrometer exposes a timer as a summary, or as a histogram
   * when it publishes buckets; both are accepted.
   *
   * @throws AssertionError when there is no such timer; the message lists the metrics that exist
   */
  public DistributionAssert timer(String name) {
    MetricSnapshot found = find(name, "timer", suffixed(name, "_seconds"));
    return new DistributionAssert(found, Exposed.name(found), Exposed.type(found));
  }

  /**
   * The histogram, or summary (a distribution without buckets), exposed as {@code name}, e.g.
   * {@code http_server_requests_seconds}.
   *
   * @throws AssertionError when there is no such histogram or summary; the message lists the
   *     metrics that exist
   */
  public DistributionAssert histogram(String name) {
    MetricSnapshot found = find(name, "histogram", name);
    return new DistributionAssert(found, Exposed.name(found), Exposed.type(found));
  }

  /**
   * The names of every metric exposed, sorted, for any AssertJ list assertion, e.g. {@code
   * names().noneMatch(n -> n.startsWith("queue_size_"))}.
   */
  public ListAssert<String> names() {
    List<String> names =
        exposedSnapshots().stream().map(Exposed::name).sorted().distinct().toList();
    return Assertions.assertThat(names).as("the exposed metric names");
  }

  /**
   * Checks that no metric is exposed as {@code name} (a counter also by its name without {@code
   * _total}).
   *
   * @throws AssertionError naming the metric and its series when there is one
   */
  public MetricsAssert doesNotHave(String name) {
    Objects.requireNonNull(name, "doesNotHave(name): name is null");
    for (MetricSnapshot snapshot : exposedSnapshots()) {
      if (matches(snapshot, name)) {
        failWithMessage(
            "%nExpected no metric named %s, but there is %s with:%n%s",
            name, article(Exposed.type(snapshot)), seriesOf(snapshot));
      }
    }
    return this;
  }

  /**
   * Checks that no recording was refused: {@code monitoring_metric_errors_total} is absent or 0 for
   * every reason.
   *
   * @throws AssertionError listing the reasons and counts otherwise (each refusal was also logged
   *     once at WARN by {@code com.aicompanion.monitoring.Monitor})
   */
  public MetricsAssert hasNoRefusals() {
    List<String> refused = new ArrayList<>();
    for (MetricSnapshot snapshot : exposedSnapshots()) {
      if (snapshot instanceof CounterSnapshot counter && Exposed.name(counter).equals(REFUSALS)) {
        for (CounterDataPointSnapshot point : counter.getDataPoints()) {
          if (point.getValue() != 0) {
            refused.add(
                "  "
                    + Exposed.series(REFUSALS, point.getLabels())
                    + " "
                    + Exposed.number(point.getValue()));
          }
        }
      }
    }
    if (!refused.isEmpty()) {
      failWithMessage(
          "%nExpected no refused recordings, but:%n%s%n(each was logged once at WARN by"
              + " com.aicompanion.monitoring.Monitor)",
          String.join("\n", refused));
    }
    return this;
  }

  /**
   * The count of recordings refused for {@code reason}, i.e. {@code
   * monitoring_metric_errors_total{reason="<reason>"}}, 0 when none was; for any AssertJ number
   * assertion, e.g. {@code refusals("name_conflict").isEqualTo(1)}.
   *
   * @param reason one of {@code invalid_name}, {@code invalid_labels}, {@code invalid_value},
   *     {@code type_conflict}, {@code label_keys_conflict}, {@code name_conflict}, {@code
   *     reserved_suffix}, {@code registry_rejected}, {@code callback_failed}
   * @throws IllegalArgumentException for any other reason, so that a typo cannot pass as 0
   */
  public AbstractDoubleAssert<?> refusals(String reason) {
    if (!REFUSAL_REASONS.contains(reason)) {
      throw new IllegalArgumentException(
          "refusals(\""
              + reason
              + "\"): not a reason of "
              + REFUSALS
              + "; use one of "
              + new TreeSet<>(REFUSAL_REASONS));
    }
    double value = 0;
    for (MetricSnapshot snapshot : exposedSnapshots()) {
      if (snapshot instanceof CounterSnapshot counter && Exposed.name(counter).equals(REFUSALS)) {
        for (CounterDataPointSnapshot point : counter.getDataPoints()) {
          if (Exposed.hasLabel(point, "reason", reason)) {
            value += point.getValue();
          }
        }
      }
    }
    return Assertions.assertThat(value).as(REFUSALS + "{reason=\"" + reason + "\"}");
  }

  private MetricSnapshot find(String name, String kind, String alternative) {
    Objects.requireNonNull(name, kind + "(name): name is null");
    MetricSnapshot wrongType = null;
    for (MetricSnapshot snapshot : exposedSnapshots()) {
      String exposed = Exposed.name(snapshot);
      if (exposed.equals(name) || exposed.equals(alternative)) {
        if (accepts(kind, snapshot)) {
          return snapshot;
        }
        wrongType = snapshot;
      }
    }
    if (wrongType != null) {
      failWithMessage(
          "%nExpected a %s named %s, but %s is %s",
          kind, name, Exposed.name(wrongType), article(Exposed.type(wrongType)));
    } else {
      failWithMessage(
          "%nExpected a %s named %s, but there is no metric of that name; the metrics are:%n%s",
          kind, name, nameList());
    }
    throw new IllegalStateException("unreachable: failWithMessage throws");
  }

  private static boolean accepts(String kind, MetricSnapshot snapshot) {
    return switch (kind) {
      case "counter" -> snapshot instanceof CounterSnapshot;
      case "gauge" -> snapshot instanceof GaugeSnapshot || snapshot instanceof InfoSnapshot;
      default -> snapshot instanceof HistogramSnapshot || snapshot instanceof SummarySnapshot;
    };
  }

  private static String article(String type) {
    return ("aeiou".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type;
  }

  private static boolean matches(MetricSnapshot snapshot, String name) {
    String exposed = Exposed.name(snapshot);
    return exposed.equals(name)
        || (snapshot instanceof CounterSnapshot && exposed.equals(name + "_total"));
  }

  private static String suffixed(String name, String suffix) {
    return name == null || name.endsWith(suffix) ? name : name + suffix;
  }

  /** The metrics a scrape writes: those with at least one series. */
  private List<MetricSnapshot> exposedSnapshots() {
    List<MetricSnapshot> exposed = new ArrayList<>();
    for (MetricSnapshot snapshot : actual) {
      if (!snapshot.getDataPoints().isEmpty()) {
        exposed.add(snapshot);
      }
    }
    return exposed;
  }

  private String nameList() {
    Set<String> names = new TreeSet<>();
    for (MetricSnapshot snapshot : exposedSnapshots()) {
      names.add("  " + Exposed.name(snapshot) + " (" + Exposed.type(snapshot) + ")");
    }
    return names.isEmpty() ? "  (none)" : String.join("\n", names);
  }

  private static String seriesOf(MetricSnapshot snapshot) {
    StringBuilder b = new StringBuilder();
    for (DataPointSnapshot point : snapshot.getDataPoints()) {
      b.append("  ").append(Exposed.series(Exposed.name(snapshot), point.getLabels())).append('\n');
    }
    return b.toString();
  }
}
