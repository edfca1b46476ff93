package com.aicompanion.monitoring.it.stack.live;

import com.aicompanion.monitoring.testsupport.PrometheusServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs queries against the live Prometheus and explains what is wrong when one returns nothing:
 * which of its selectors selects nothing, whether the metric exists with other labels, and which
 * real metric names are closest to a missing one.
 */
final class QueryChecks {
  private final PrometheusServer prometheus;
  private final Map<String, PrometheusServer.QueryResult> cache = new ConcurrentHashMap<>();
  private List<String> metricNames;

  QueryChecks(PrometheusServer prometheus) {
    this.prometheus = prometheus;
  }

  /** True when the expression selects a cAdvisor metric, which nothing here can produce. */
  static boolean usesCadvisor(String expr) {
    return PromQlSelectors.of(expr).stream().anyMatch(QueryChecks::isCadvisorSelector);
  }

  /** A selector of cAdvisor's series: a {@code container_*} metric or {@code job="cadvisor"}. */
  static boolean isCadvisorSelector(String selector) {
    return PromQlSelectors.metricName(selector).startsWith("container_")
        || selector.replace(" ", "").contains("job=\"cadvisor\"");
  }

  PrometheusServer.QueryResult run(String promql) {
    return cache.computeIfAbsent(promql, prometheus::query);
  }

  /** Empty when {@code expr} parses and runs without error, else why not. */
  Optional<String> runsWithoutError(String expr) {
    PrometheusServer.QueryResult r = run(expr);
    return r.isSuccess() ? Optional.empty() : Optional.of("fails: " + r.describe());
  }

  /** Empty when {@code expr} returns at least one element, else a precise account. */
  Optional<String> returnsData(String expr) {
    PrometheusServer.QueryResult r = run(expr);
    if (!r.isSuccess()) {
      return Optional.of("fails: " + r.describe());
    }
    if (!r.isEmpty()) {
      return Optional.empty();
    }
    List<String> missing = new ArrayList<>();
    for (String selector : PromQlSelectors.of(expr)) {
      selectorHasData(selector).ifPresent(missing::add);
    }
    if (missing.isEmpty()) {
      return Optional.of(
          "returned no data although every selector in it has data (a comparison, filter or"
              + " join drops every series)");
    }
    return Optional.of("returned no data: " + String.join("; ", missing));
  }

  /**
   * Empty when the series {@code expr} selects carry exemplars with the label {@code traceIdLabel}
   * (the one Grafana's Prometheus data source links to Jaeger), else why not.
   */
  Optional<String> hasExemplarsWith(String expr, String traceIdLabel) {
    List<Map<String, Object>> series = prometheus.exemplars(expr, Duration.ofMinutes(5));
    List<Object> labelSets = new ArrayList<>();
    for (Map<String, Object> s : series) {
      Object exemplars = s.get("exemplars");
      if (exemplars instanceof List<?> list) {
        for (Object e : list) {
          Object labels = ((Map<?, ?>) e).get("labels");
          if (labels instanceof Map<?, ?> l && l.containsKey(traceIdLabel)) {
            return Optional.empty();
          }
          labelSets.add(labels);
        }
      }
    }
    if (!labelSets.isEmpty()) {
      return Optional.of(
          "the target asks for exemplars, but none has the label "
              + traceIdLabel
              + ", by which Grafana links exemplars to Jaeger (exemplar labels: "
              + labelSets.get(0)
              + ")");
    }
    List<String> withExemplars = new ArrayList<>();
    for (Map<String, Object> s :
        prometheus.exemplars("{__name__=~\".+_bucket\"}", Duration.ofMinutes(5))) {
      Object labels = s.get("seriesLabels");
      if (labels instanceof Map<?, ?> l && !withExemplars.contains(l.get("__name__"))) {
        withExemplars.add(String.valueOf(l.get("__name__")));
      }
    }
    return Optional.of(
        "the target asks for exemplars, but Prometheus stored none for the series of "
            + PromQlSelectors.of(expr)
            + (withExemplars.isEmpty()
                ? " (nor for any histogram: is the scrape OpenMetrics and tracing on?)"
                : " although it has exemplars for "
                    + withExemplars
                    + ": the application records this histogram while no span is current"));
  }

  /** Empty when {@code count(selector)} is non-empty, else why it is empty. */
  Optional<String> selectorHasData(String selector) {
    PrometheusServer.QueryResult r = run("count(" + selector + ")");
    if (!r.isSuccess()) {
      return Optional.of(selector + " fails: " + r.describe());
    }
    if (!r.isEmpty()) {
      return Optional.empty();
    }
    String name = PromQlSelectors.metricName(selector);
    if (!name.equals(selector) && !name.isEmpty()) {
      PrometheusServer.QueryResult byName = run("topk(1, " + name + ")");
      if (byName.isSuccess() && !byName.isEmpty()) {
        Object metric = ((Map<?, ?>) byName.result().get(0)).get("metric");
        return Optional.of(
            selector
                + " selects nothing: "
                + name
                + " exists, but no series matches these labels (a real series: "
                + metric
                + ")");
      }
    }
    List<String> similar = similarNames(name);
    return Optional.of(
        selector
            + " selects nothing: no metric "
            + name
            + " is scraped"
            + (similar.isEmpty()
                ? ""
                : " (closest real names: " + String.join(", ", similar) + ")"));
  }

  /** Up to three scraped metric names closest to {@code name}. */
  List<String> similarNames(String name) {
    if (metricNames == null) {
      List<String> names = new ArrayList<>();
      Object data = prometheus.get("/api/v1/label/__name__/values").get("data");
      if (data instanceof List<?> list) {
        list.forEach(n -> names.add(String.valueOf(n)));
      }
      metricNames = names;
    }
    int limit = Math.max(4, name.length() / 3);
    return metricNames.stream()
        .map(n -> Map.entry(n, distance(name, n)))
        .filter(e -> e.getValue() <= limit || sharesStem(name, e.getKey()))
        .sorted(Comparator.comparingInt(Map.Entry<String, Integer>::getValue))
        .limit(3)
        .map(Map.Entry::getKey)
        .toList();
  }

  private static boolean sharesStem(String a, String b) {
    String[] pa = a.split("_");
    String[] pb = b.split("_");
    return pa.length > 2
        && pb.length > 2
        && pa[0].equals(pb[0])
        && pa[1].equals(pb[1])
        && pa[2].equals(pb[2]);
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
