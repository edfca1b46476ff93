package com.aicompanion.monitoring.benchmarks.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The "Log shipping with a live node" section from the shipping harness's {@code shipping.json}:
 * (a) the node's ingest capacity, (b) the highest clean {@code logger.info} rate with shipping and
 * the shipper's saturated throughput, each with its ratio to (a) and the goal, (c) Logback's {@code
 * AsyncAppender} to a file; then every paced run.
 *
 * <pre>{@code
 * String md = new ShippingTable(mapper.readValue(file, new TypeReference<>() {})).markdown();
 * }</pre>
 */
final class ShippingTable {
  private final Map<String, Object> json;

  ShippingTable(Map<String, Object> json) {
    this.json = json;
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    Map<String, Object> machine = map(json.get("machine"));
    Map<String, Object> node = map(json.get("node"));
    Map<String, Object> event = map(json.get("event"));
    md.append('`')
        .append(json.get("command"))
        .append("`, ")
        .append(json.get("generated"))
        .append(" (")
        .append(json.get("mode"))
        .append(" mode), OpenSearch ")
        .append(node.get("version"))
        .append(" in a ")
        .append(node.get("where"))
        .append("; ")
        .append(machine.get("cpus"))
        .append(" CPUs, load average (1, 5, 15 min) before ")
        .append(loads(machine.get("load_before")))
        .append(", after ")
        .append(loads(machine.get("load_after")))
        .append(". The event: `")
        .append(event.get("call"))
        .append("`, ")
        .append(event.get("document_bytes"))
        .append(" bytes as our encoder writes it; the shipper with its defaults (batch of ")
        .append(json.get("batch_size"))
        .append(" events).\n\n");
    if ("quick".equals(json.get("mode"))) {
      md.append("**Quick mode: tiny durations, the figures say only that the harness ran.**\n\n");
    }
    double capacity = number(json, "capacity_docs_per_s");
    double goal = number(json, "goal");
    md.append("| figure | runs | min | median | ratio to (a) | goal |\n")
        .append("|---|---|---|---|---|---|\n");
    Object withoutIds = json.get("capacity_without_ids_docs_per_s");
    for (Object row : list(json.get("capacity"))) {
      Map<String, Object> senders = map(row);
      boolean ids = !Boolean.FALSE.equals(senders.get("document_ids"));
      md.append(
          String.format(
              Locale.ROOT,
              "| %s node ingest capacity: pre-encoded documents as raw `_bulk` bodies%s, %s | %d |"
                  + " %,.0f docs/s | %,.0f docs/s | | |%n",
              ids ? "(a)" : "(a') reference:",
              withoutIds == null
                  ? ""
                  : ids
                      ? " with the shipper's action lines (`create` with its document ids)"
                      : " without document ids (`create` with ids the node generates)",
              ((Number) senders.get("senders")).intValue() == 1
                  ? "1 sender"
                  : senders.get("senders") + " concurrent senders",
              list(senders.get("runs")).size(),
              number(senders, "min"),
              number(senders, "median")));
    }
    Object clean = json.get("highest_clean_rate");
    String cleanRuns = "";
    for (Object row : list(json.get("rates"))) {
      if (map(row).get("rate").equals(clean)) {
        cleanRuns = Integer.toString(list(map(row).get("runs")).size());
      }
    }
    double cleanRatio = clean == null ? 0 : ((Number) clean).doubleValue() / capacity;
    md.append(
        String.format(
            Locale.ROOT,
            "| (b) highest `logger.info` rate with shipping where every run was clean (shipped =="
                + " logged, 0 dropped, 0 failed, documents == shipped, last event shipped within"
                + " %.1f s) | %s | | %s | **%.2fx** | ≥ %.1fx: **%s** |%n",
            number(json, "lag_limit_s"),
            cleanRuns,
            clean == null ? "none" : String.format(Locale.ROOT, "%,d events/s", (Number) clean),
            cleanRatio,
            goal,
            cleanRatio >= goal ? "met" : "missed"));
    if (withoutIds != null && clean != null) {
      double ratio = ((Number) clean).doubleValue() / ((Number) withoutIds).doubleValue();
      md.append(
          String.format(
              Locale.ROOT,
              "| (b) the same rate against (a'), the node's capacity for documents without ids |"
                  + " | | | %.2fx | ≥ %.1fx: %s |%n",
              ratio,
              goal,
              ratio >= goal ? "met" : "missed"));
    }
    Object noIds = json.get("without_ids");
    if (noIds != null) {
      Map<String, Object> runs = map(noIds);
      boolean noIdsClean = Boolean.TRUE.equals(runs.get("clean"));
      double ratio = number(runs, "ratio_to_capacity_without_ids");
      md.append(
          String.format(
              Locale.ROOT,
              "| (b') the shipper with `elasticsearch.document.ids=false` at %.1fx of (a') (%,d"
                  + " events/s), clean in every run | %d | | %s | %.2fx of (a') | ≥ %.1fx: **%s** |%n",
              goal,
              ((Number) runs.get("rate")).intValue(),
              list(runs.get("runs")).size(),
              noIdsClean ? "clean" : "**not clean**",
              ratio,
              goal,
              noIdsClean && ratio >= goal ? "met" : "missed"));
    }
    Map<String, Object> saturated = map(json.get("saturated"));
    md.append(
        String.format(
            Locale.ROOT,
            "| (b) shipper's saturated throughput (%,d events logged flat out, at most %,d not yet"
                + " shipped) | %d | %,.0f events/s | %,.0f events/s | %.2fx | |%n",
            ((Number) map(list(saturated.get("runs")).get(0)).get("events")).intValue(),
            ((Number) map(list(saturated.get("runs")).get(0)).get("backlog_limit")).intValue(),
            list(saturated.get("runs")).size(),
            number(saturated, "min"),
            number(saturated, "median"),
            number(saturated, "median") / capacity));
    Map<String, Object> file = map(json.get("file"));
    md.append(
        String.format(
            Locale.ROOT,
            "| (c) Logback `AsyncAppender` + raw `LogstashEncoder` to a file (%,d events, none"
                + " lost) | %d | %,.0f events/s | %,.0f events/s | | |%n%n",
            ((Number) map(list(file.get("runs")).get(0)).get("events")).intValue(),
            list(file.get("runs")).size(),
            number(file, "min"),
            number(file, "median")));
    md.append("Ratio to (a): the figure over the higher median of (a), the node's capacity here")
        .append(
            withoutIds == null
                ? ". "
                : " for the bodies the shipper sends; (a') shows what the node gains when it"
                    + " makes up the ids itself (no look-up of each id), which the shipper does"
                    + " not do, so that a resend cannot duplicate an event. ")
        .append("A rate is clean when every run of it was; the first rate that was not clean")
        .append(" ends the ladder (")
        .append(json.get("first_failing_rate") == null ? "none in this run" : "here ")
        .append(
            json.get("first_failing_rate") == null
                ? ""
                : String.format(
                    Locale.ROOT, "%,d events/s", (Number) json.get("first_failing_rate")))
        .append("). Every paced run (logged = shipped + dropped + failed, the library's own")
        .append(" start-up line included; documents counted in the data stream after a refresh;")
        .append(" lag = last event logged until shipped, not measured once events were dropped;")
        .append(" backlog = logged and not yet shipped, sampled every 100 ms):\n\n");
    md.append("| rate events/s | run | achieved events/s | logged | shipped | dropped | failed |")
        .append(" documents | max backlog | lag s | clean |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Object row : list(json.get("rates"))) {
      Map<String, Object> rate = map(row);
      int n = 0;
      for (Object r : list(rate.get("runs"))) {
        Map<String, Object> run = map(r);
        n++;
        md.append(
            pacedRun(
                String.format(
                    Locale.ROOT,
                    "%,d%s",
                    ((Number) rate.get("rate")).intValue(),
                    Boolean.TRUE.equals(rate.get("goal_rate"))
                        ? String.format(Locale.ROOT, " (%.1fx of (a))", goal)
                        : ""),
                n,
                run));
      }
    }
    if (noIds != null) {
      int n = 0;
      for (Object r : list(map(noIds).get("runs"))) {
        n++;
        md.append(
            pacedRun(
                String.format(
                    Locale.ROOT,
                    "%,d without ids (b')",
                    ((Number) map(noIds).get("rate")).intValue()),
                n,
                map(r)));
      }
    }
    md.append('\n');
    return md.toString();
  }

  /** One row of the paced runs' table. */
  private static String pacedRun(String rate, int n, Map<String, Object> run) {
    return String.format(
        Locale.ROOT,
        "| %s | %d | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | %s | %s |%n",
        rate,
        n,
        number(run, "achieved_per_s"),
        number(run, "logged"),
        number(run, "shipped"),
        number(run, "dropped"),
        number(run, "failed"),
        number(run, "documents"),
        number(run, "max_backlog"),
        Double.isNaN(number(run, "lag_s"))
            ? "not measured"
            : String.format(Locale.ROOT, "%.2f", number(run, "lag_s")),
        Boolean.TRUE.equals(run.get("clean")) ? "yes" : "**no**");
  }

  private static String loads(Object values) {
    List<Object> loads = list(values);
    if (loads.isEmpty()) {
      return "unknown";
    }
    StringBuilder s = new StringBuilder();
    for (Object load : loads) {
      s.append(s.length() == 0 ? "" : " ")
          .append(String.format(Locale.ROOT, "%.2f", (Number) load));
    }
    return s.toString();
  }

  private static double number(Map<String, Object> map, String key) {
    Object value = map.get(key);
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    // Jackson writes NaN as the string "NaN"
    return value == null ? Double.NaN : Double.parseDouble(value.toString());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    return value instanceof List<?> l ? (List<Object>) l : List.of();
  }
}
