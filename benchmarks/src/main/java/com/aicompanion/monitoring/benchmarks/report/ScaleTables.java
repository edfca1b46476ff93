package com.aicompanion.monitoring.benchmarks.report;

import static com.aicompanion.monitoring.benchmarks.report.Charts.number;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The scale, heap, health and load sections in Markdown, and their plots, from the harness's JSON
 * ({@code scale.json}, as shipped, and {@code scale-nodelay.json}, the same endpoints with {@code
 * -Dsun.net.httpserver.nodelay=true}).
 *
 * <pre>{@code
 * String md = new ScaleTables(scale, nodelay, charts, "docs/benchmarks").markdown();
 * }</pre>
 */
final class ScaleTables {
  private final Map<String, List<Map<String, Object>>> scale;
  private final Map<String, List<Map<String, Object>>> nodelay;
  private final Charts charts;
  private final String plots;

  ScaleTables(
      Map<String, List<Map<String, Object>>> scale,
      Map<String, List<Map<String, Object>>> nodelay,
      Charts charts,
      String plots) {
    this.scale = scale;
    this.nodelay = nodelay;
    this.charts = charts;
    this.plots = plots;
  }

  String markdown() throws IOException {
    StringBuilder md = new StringBuilder();
    List<Map<String, Object>> scrape = rows(scale, "scrape");
    if (!scrape.isEmpty()) {
      md.append("### Scrape time and size: our `/metrics` against client_java's `HTTPServer`\n\n");
      md.append(scrapeTable(scrape)).append('\n');
      List<Map<String, Object>> fast = rows(nodelay, "scrape");
      if (!fast.isEmpty()) {
        md.append("The same with `-Dsun.net.httpserver.nodelay=true` (both servers are the JDK's")
            .append(" `HttpServer`; see the notes on Nagle's algorithm):\n\n")
            .append(scrapeTable(fast))
            .append('\n');
        charts.scrape(fast, "p50_ms", "scrape-time.png", "Scrape time (p50, TCP_NODELAY)", "ms");
      } else {
        charts.scrape(scrape, "p50_ms", "scrape-time.png", "Scrape time (p50)", "ms");
      }
      charts.scrape(scrape, "bytes", "scrape-size.png", "Scrape response size", "bytes");
      md.append("![scrape time](")
          .append(plots)
          .append("/scrape-time.png)\n")
          .append("![scrape size](")
          .append(plots)
          .append("/scrape-size.png)\n\n");
    }
    List<Map<String, Object>> heap = rows(scale, "heap");
    if (!heap.isEmpty()) {
      md.append("### Retained heap per counter series\n\n")
          .append("| series | ours B/series | Micrometer B/series | client_java B/series")
          .append(" | ours / Micrometer | ours / client_java |\n|---|---|---|---|---|---|\n");
      List<String> sizes = new ArrayList<>();
      Map<String, List<Double>> bars = new LinkedHashMap<>();
      for (Object series : distinct(heap, "series")) {
        double ours = value(heap, "library", "ours", series, "bytes_per_series");
        double micrometer = value(heap, "library", "micrometer", series, "bytes_per_series");
        double clientJava = value(heap, "library", "client_java", series, "bytes_per_series");
        md.append(
            String.format(
                Locale.ROOT,
                "| %,d | %.0f | %.0f | %.0f | %.2fx | %.2fx |%n",
                ((Number) series).intValue(),
                ours,
                micrometer,
                clientJava,
                ours / micrometer,
                ours / clientJava));
        sizes.add(String.format(Locale.ROOT, "%,d", ((Number) series).intValue()));
        bars.computeIfAbsent("ours (facade)", k -> new ArrayList<>()).add(ours);
        bars.computeIfAbsent("Micrometer", k -> new ArrayList<>()).add(micrometer);
        bars.computeIfAbsent("client_java", k -> new ArrayList<>()).add(clientJava);
      }
      charts.bars(
          "heap-per-series.png",
          "Retained heap per counter series",
          "series",
          "bytes per series",
          sizes,
          bars,
          false);
      md.append("\n![heap per series](").append(plots).append("/heap-per-series.png)\n\n");
    }
    List<Map<String, Object>> health = rows(scale, "health");
    if (!health.isEmpty()) {
      md.append(healthSection(health, rows(nodelay, "health")));
    }
    List<Map<String, Object>> load = rows(scale, "load");
    if (!load.isEmpty()) {
      md.append("### Endpoint load: wrk, 50 connections, while the application records\n\n")
          .append("| endpoint | s | requests | req/s | p50 ms | p90 ms | p99 ms | non-2xx |")
          .append(
              " socket errors | recording ops/s alone | recording ops/s under load | drop | recorder on CPU alone / under load | ops per recorder CPU-s alone / under load |\n")
          .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
      for (Map<String, Object> row : load) {
        md.append(
            String.format(
                Locale.ROOT,
                "| `%s` | %.0f | %,.0f | %.0f | %.1f | %.1f | %.1f | %.0f | %.0f | %,.0f | %,.0f | %.0f%% | %.0f%% / %.0f%% | %,.0f / %,.0f |%n",
                row.get("path"),
                number(row, "seconds"),
                number(row, "requests"),
                number(row, "requests_per_s"),
                number(row, "p50_ms"),
                number(row, "p90_ms"),
                number(row, "p99_ms"),
                number(row, "non_2xx"),
                number(row, "socket_errors"),
                number(row, "recording_ops_per_s_idle"),
                number(row, "recording_ops_per_s_loaded"),
                100 * number(row, "recording_drop"),
                100 * number(row, "recorder_cpu_share_idle"),
                100 * number(row, "recorder_cpu_share_loaded"),
                number(row, "recording_ops_per_cpu_s_idle"),
                number(row, "recording_ops_per_cpu_s_loaded")));
      }
      md.append('\n');
    }
    return md.toString();
  }

  private String healthSection(List<Map<String, Object>> health, List<Map<String, Object>> fast)
      throws IOException {
    StringBuilder md = new StringBuilder("### `GET /health` latency, sequential, cache off\n\n");
    md.append("| checks | requests | p50 ms | p99 ms | max ms | p50 ms, TCP_NODELAY |")
        .append(" p99 ms, TCP_NODELAY |\n|---|---|---|---|---|---|---|\n");
    List<String> categories = new ArrayList<>();
    Map<String, List<Double>> bars = new LinkedHashMap<>();
    for (Map<String, Object> row : health) {
      Object checks = row.get("checks");
      double fastP50 = value(fast, "checks", checks, null, "p50_ms");
      double fastP99 = value(fast, "checks", checks, null, "p99_ms");
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.0f | %.2f | %.2f | %.2f | %s | %s |%n",
              checks,
              number(row, "requests"),
              number(row, "p50_ms"),
              number(row, "p99_ms"),
              number(row, "max_ms"),
              opt(fastP50),
              opt(fastP99)));
      categories.add(checks + " checks");
      bars.computeIfAbsent("p50 as shipped", k -> new ArrayList<>()).add(number(row, "p50_ms"));
      bars.computeIfAbsent("p99 as shipped", k -> new ArrayList<>()).add(number(row, "p99_ms"));
      if (!fast.isEmpty()) {
        bars.computeIfAbsent("p50 TCP_NODELAY", k -> new ArrayList<>()).add(fastP50);
        bars.computeIfAbsent("p99 TCP_NODELAY", k -> new ArrayList<>()).add(fastP99);
      }
    }
    charts.bars(
        "health-latency.png",
        "GET /health latency (sequential, cache off)",
        "",
        "ms",
        categories,
        bars,
        false);
    md.append("\n![health latency](").append(plots).append("/health-latency.png)\n\n");
    return md.toString();
  }

  private static String scrapeTable(List<Map<String, Object>> rows) {
    StringBuilder md = new StringBuilder();
    md.append("| series | format | ours p50 ms | ours p90 ms | ours bytes | client_java p50 ms |")
        .append(" client_java bytes | time ratio | size ratio |\n")
        .append("|---|---|---|---|---|---|---|---|---|\n");
    for (Object series : distinct(rows, "series")) {
      for (String format : List.of("text", "openmetrics", "text+gzip")) {
        Map<String, Object> ours = find(rows, "ours", series, format);
        Map<String, Object> theirs = find(rows, "client_java", series, format);
        if (ours == null || theirs == null) {
          continue;
        }
        md.append(
            String.format(
                Locale.ROOT,
                "| %,d | %s | %.2f | %.2f | %,.0f | %.2f | %,.0f | **%.2fx** | %.2fx |%n",
                ((Number) series).intValue(),
                format,
                number(ours, "p50_ms"),
                number(ours, "p90_ms"),
                number(ours, "bytes"),
                number(theirs, "p50_ms"),
                number(theirs, "bytes"),
                number(ours, "p50_ms") / number(theirs, "p50_ms"),
                number(ours, "bytes") / number(theirs, "bytes")));
      }
    }
    return md.toString();
  }

  private static Map<String, Object> find(
      List<Map<String, Object>> rows, String exporter, Object series, String format) {
    for (Map<String, Object> row : rows) {
      if (exporter.equals(row.get("exporter"))
          && Objects.equals(row.get("series"), series)
          && format.equals(row.get("format"))) {
        return row;
      }
    }
    return null;
  }

  private static double value(
      List<Map<String, Object>> rows, String key, Object keyValue, Object series, String field) {
    for (Map<String, Object> row : rows) {
      if (Objects.equals(row.get(key), keyValue)
          && (series == null || Objects.equals(row.get("series"), series))) {
        return number(row, field);
      }
    }
    return Double.NaN;
  }

  private static List<Object> distinct(List<Map<String, Object>> rows, String key) {
    TreeSet<Integer> values = new TreeSet<>();
    rows.forEach(r -> values.add(((Number) r.get(key)).intValue()));
    return new ArrayList<>(values);
  }

  private static String opt(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.2f", v);
  }

  static List<Map<String, Object>> rows(Map<String, List<Map<String, Object>>> json, String key) {
    return json == null ? List.of() : json.getOrDefault(key, List.of());
  }
}
