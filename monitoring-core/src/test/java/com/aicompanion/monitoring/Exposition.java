package com.aicompanion.monitoring;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads sample values out of Prometheus text exposition. */
final class Exposition {
  private Exposition() {}

  /**
   * The value of the sample whose name and labels are exactly {@code series}, e.g. {@code
   * custom_events_total{event_type="a"}}; labels must be written in the exposition's (sorted)
   * order.
   */
  static Optional<Double> value(String exposition, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)").matcher(exposition);
    return m.find() ? Optional.of(parse(m.group(1))) : Optional.empty();
  }

  /**
   * A sample value as the formats write it: a Java double, or {@code +Inf}/{@code -Inf}/{@code
   * NaN}.
   */
  static double parse(String value) {
    return switch (value) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(value);
    };
  }

  static double require(String exposition, String series) {
    return value(exposition, series)
        .orElseThrow(() -> new AssertionError("no sample " + series + " in:\n" + exposition));
  }

  /** How many lines start with {@code prefix}. */
  static long lines(String exposition, String prefix) {
    return exposition.lines().filter(l -> l.startsWith(prefix)).count();
  }
}
