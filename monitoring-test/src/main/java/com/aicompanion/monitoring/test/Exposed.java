package com.aicompanion.monitoring.test;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.SnapshotEscaper;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;

/**
 * The names and labels of a snapshot as the Prometheus text format writes them, so that the kit
 * speaks the exposition's language without writing or parsing text.
 *
 * <pre>{@code
 * Exposed.name(counterSnapshot);             // "jobs_total"
 * Exposed.series("jobs_total", labels);      // jobs_total{queue="ingest"}
 * }</pre>
 */
final class Exposed {
  private Exposed() {}

  /** The metric's name in the exposition: a counter's with its one {@code _total}. */
  static String name(MetricSnapshot snapshot) {
    MetricMetadata m = snapshot.getMetadata();
    if (snapshot instanceof CounterSnapshot) {
      return withSuffix(m, "_total");
    }
    if (snapshot instanceof InfoSnapshot) {
      return withSuffix(m, "_info");
    }
    if (snapshot instanceof GaugeSnapshot) {
      return SnapshotEscaper.getLegacyGaugeName(
          m, m.getOriginalName(), EscapingScheme.UNDERSCORE_ESCAPING);
    }
    return m.getPrometheusName();
  }

  // the text writer's rule: a base name that already ends with the suffix keeps it
  private static String withSuffix(MetricMetadata m, String suffix) {
    String base = m.getExpositionBasePrometheusName();
    return base.endsWith(suffix) ? base : m.getPrometheusName() + suffix;
  }

  /** The Prometheus type word: counter, gauge, histogram, summary, info, stateset or unknown. */
  static String type(MetricSnapshot snapshot) {
    if (snapshot instanceof CounterSnapshot) {
      return "counter";
    }
    if (snapshot instanceof GaugeSnapshot) {
      return "gauge";
    }
    if (snapshot instanceof HistogramSnapshot) {
      return "histogram";
    }
    if (snapshot instanceof SummarySnapshot) {
      return "summary";
    }
    if (snapshot instanceof InfoSnapshot) {
      return "info";
    }
    if (snapshot instanceof StateSetSnapshot) {
      return "stateset";
    }
    return "unknown";
  }

  /** {@code name{a="x",b="y"}} in the exposition's (sorted) label order; just the name without. */
  static String series(String name, Labels labels) {
    if (labels.isEmpty()) {
      return name;
    }
    StringBuilder b = new StringBuilder(name).append('{');
    for (int i = 0; i < labels.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(labels.getPrometheusName(i)).append("=\"").append(escape(labels.getValue(i)));
      b.append('"');
    }
    return b.append('}').toString();
  }

  /**
   * Whether {@code point} has label {@code name} (as exposed, or as registered) = {@code value}.
   */
  static boolean hasLabel(DataPointSnapshot point, String name, String value) {
    Labels labels = point.getLabels();
    for (int i = 0; i < labels.size(); i++) {
      if ((labels.getPrometheusName(i).equals(name) || labels.getName(i).equals(name))
          && labels.getValue(i).equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  /** A number as a person reads it: integers without {@code .0}. */
  static String number(double value) {
    if (value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return Double.toString(value);
  }
}
