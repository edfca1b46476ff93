package com.aicompanion.monitoring.benchmarks.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The "Instrumentations against the paths they replace" section from {@code PairedRuns}'s {@code
 * paired.json}: for each comparison, the median over the pairs of adjacent forks of the anchor's
 * and our mean time, the median of the pairs' ratios of means with its range, the same for the
 * forks' median times, and the goal (judged on the means: what a call costs on average, its tail
 * included).
 *
 * <pre>{@code
 * String md = new PairedTable(mapper.readValue(file, new TypeReference<>() {})).markdown();
 * }</pre>
 */
final class PairedTable {
  private static final Map<String, String> WHAT =
      Map.of(
          "client", "HTTP client wrapper against a raw `HttpClient.send`, loopback",
          "client-no-export",
              "the same, spans made and not exported (the wrapper's work on the calling path)",
          "listener",
              "LangChain4j listener against the OpenAI client without it, loopback OpenAI-compatible"
                  + " server",
          "listener-vs-no-op",
              "the same listener against a listener that does nothing (LangChain4j's own plumbing"
                  + " on both sides)",
          "filter",
              "HTTP server filter against the hand-written glue, loopback request from an"
                  + " uninstrumented client",
          "filter-no-socket",
              "HTTP server filter against the hand-written glue, in-memory exchange (no socket: the"
                  + " instrumentation's own work, with the bare handler's 0.1 us)");

  private final Map<String, Object> json;

  PairedTable(Map<String, Object> json) {
    this.json = json;
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append(
            "`java -cp benchmarks/target/benchmarks.jar"
                + " com.aicompanion.monitoring.benchmarks.paired.PairedRuns"
                + " benchmarks/results/paired.json`, ")
        .append(required(json, "started"))
        .append(" to ")
        .append(required(json, "finished"))
        .append(": for each comparison, ")
        .append((long) number(json, "pairs"))
        .append(" pairs of adjacent JMH forks (anchor and ours, the order swapped from pair to")
        .append(" pair; each fork ")
        .append(required(json, "fork"))
        .append(", JMH sample mode). Ratio = ours / anchor in each pair, of the forks' mean times")
        .append(" (and of their median times, beside); the goal (issue 14: within 1.1x) is judged")
        .append(
            " on the median of the pairs' ratios of means. `exporter=otlp`: spans over OTLP/HTTP")
        .append(" to a live receiver in the same JVM (it decodes every span: its work shares the")
        .append(" two cores too); `exporter=none`: spans made, not exported.\n\n");
    if (String.valueOf(required(json, "fork")).contains("200 ms")) {
      md.append("**Quick mode: tiny durations, the figures say only that the harness ran.**\n\n");
    }
    md.append(
            "| comparison | anchor | ours | anchor, mean | ours, mean | ratio of means: median"
                + " (range) | pairs above the goal | ratio of medians: median (range) | goal |\n")
        .append("|---|---|---|---|---|---|---|---|---|\n");
    for (Object o : list(json, "comparisons")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> c = (Map<String, Object>) o;
      String name = String.valueOf(required(c, "name"));
      List<?> ratios = list(c, "ratios");
      double goal = number(c, "goal_ratio");
      double median = number(c, "median_ratio");
      @SuppressWarnings("unchecked")
      Map<String, Object> medians = (Map<String, Object>) c.get("of_medians");
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | `%s` | `%s` | %s us | %s us | **%.2fx** (%.2fx to %.2fx) | %d of %d | %s |"
                  + " ≤ %.1fx: **%s** |\n",
              WHAT.getOrDefault(name, name),
              c.get("anchor"),
              c.get("ours"),
              us(number(c, "median_anchor_us")),
              us(number(c, "median_ours_us")),
              median,
              number(c, "min_ratio"),
              number(c, "max_ratio"),
              (long) number(c, "pairs_above_goal"),
              ratios.size(),
              medians == null
                  ? "-"
                  : String.format(
                      Locale.ROOT,
                      "%.2fx (%.2fx to %.2fx)",
                      number(medians, "median_ratio"),
                      number(medians, "min_ratio"),
                      number(medians, "max_ratio")),
              goal,
              // judged here from the figures, as the text above says, not read from the file
              median <= goal ? "met" : "missed"));
    }
    return md.append('\n').toString();
  }

  private static String us(double value) {
    // chosen on the value as printed: 99.996 is "100", like 150 is "150"
    return value >= 99.995
        ? String.format(Locale.ROOT, "%,.0f", value)
        : String.format(Locale.ROOT, "%.2f", value);
  }

  private static Object required(Map<String, Object> map, String key) {
    Object value = map.get(key);
    if (value == null) {
      throw new IllegalArgumentException(
          "paired.json: " + key + " is missing: rerun PairedRuns to write a complete file");
    }
    return value;
  }

  private static List<?> list(Map<String, Object> map, String key) {
    if (!(required(map, key) instanceof List<?> list)) {
      throw new IllegalArgumentException("paired.json: " + key + " is not a list: " + map.get(key));
    }
    return list;
  }

  private static double number(Map<String, Object> map, String key) {
    Object value = map.get(key);
    if (!(value instanceof Number n)) {
      throw new IllegalArgumentException("paired.json: " + key + " is not a number: " + value);
    }
    return n.doubleValue();
  }
}
