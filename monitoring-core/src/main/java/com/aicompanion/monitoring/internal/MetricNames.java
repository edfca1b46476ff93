package com.aicompanion.monitoring.internal;

import java.util.Collection;
import java.util.regex.Pattern;

/**
 * The naming rules of the facade: Prometheus metric and label names without colons, which are
 * reserved for recording rules.
 */
public final class MetricNames {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private MetricNames() {}

  /**
   * Returns {@code null} when {@code name} is valid, else a message naming it, the rule and the
   * fix.
   */
  public static String checkName(String name) {
    if (name == null) {
      return "Metric name is null: pass a name such as \"requests_total\"";
    }
    if (name.isEmpty()) {
      return "Metric name \"\" is invalid: a metric name must not be empty";
    }
    if (!NAME.matcher(name).matches()) {
      return "Metric name \""
          + name
          + "\" is invalid: names must match [a-zA-Z_][a-zA-Z0-9_]* (letters, digits and"
          + " underscores, not starting with a digit); use \""
          + sanitize(name)
          + "\"";
    }
    return null;
  }

  /**
   * Returns {@code null} when {@code key} is a valid label key of {@code metric}, else a message.
   */
  public static String checkLabelKey(String metric, String key) {
    if (key == null || !NAME.matcher(key).matches() || key.startsWith("__")) {
      return "Label key "
          + (key == null ? "null" : "\"" + key + "\"")
          + " of metric \""
          + metric
          + "\" is invalid: label keys must match [a-zA-Z_][a-zA-Z0-9_]* and must not start"
          + " with \"__\"";
    }
    return null;
  }

  /**
   * Throws {@link IllegalArgumentException} with the rule's message when {@code name} is invalid.
   */
  public static void requireValidName(String name) {
    String problem = checkName(name);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** Removes one {@code _total} suffix: Prometheus adds it back to every counter exactly once. */
  public static String counterBaseName(String name) {
    return name.endsWith("_total") && name.length() > "_total".length()
        ? name.substring(0, name.length() - "_total".length())
        : name;
  }

  /** Removes one {@code _seconds} suffix: the registry appends it to every timer. */
  public static String timerBaseName(String name) {
    return name.endsWith("_seconds") && name.length() > "_seconds".length()
        ? name.substring(0, name.length() - "_seconds".length())
        : name;
  }

  /**
   * {@code name} without the suffixes the Prometheus formats reserve for sample names ({@code
   * _total}, {@code _created}, {@code _bucket}, {@code _info}), as client_java strips them.
   */
  static String withoutReservedSuffixes(String name) {
    return io.prometheus.metrics.model.snapshots.PrometheusNaming.sanitizeMetricName(name);
  }

  static String sanitize(String name) {
    StringBuilder fixed = new StringBuilder(name.length() + 1);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      fixed.append(ok ? c : '_');
    }
    if (Character.isDigit(fixed.charAt(0))) {
      fixed.insert(0, '_');
    }
    return fixed.toString();
  }

  static String keysText(Collection<String> keys) {
    return keys.stream().sorted().toList().toString();
  }
}
