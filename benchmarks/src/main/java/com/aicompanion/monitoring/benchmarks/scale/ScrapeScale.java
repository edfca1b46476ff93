package com.aicompanion.monitoring.benchmarks.scale;

import com.aicompanion.monitoring.Monitor;
import com.aicompanion.monitoring.Monitoring;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scrape time and response size of N counter series, created through the facade and served by our
 * real {@code /metrics} endpoint, next to client_java's own {@code HTTPServer} serving the same
 * series from a client_java registry. Series are spread over {@value #METRICS} counter names with
 * {@code route} and {@code status} labels, as an application's would be.
 *
 * <pre>{@code
 * List<Map<String, Object>> rows = new ScrapeScale(new int[] {1_000, 10_000}).run();
 * }</pre>
 */
final class ScrapeScale {
  static final int METRICS = 10;
  static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private final int[] sizes;
  private final Http http = new Http();

  ScrapeScale(int[] sizes) {
    this.sizes = sizes.clone();
  }

  List<Map<String, Object>> run() throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int series : sizes) {
      try (Monitoring monitoring = startMonitoring(series)) {
        populate(monitoring.monitor(), series);
        InetSocketAddress address = monitoring.metricsAddress();
        URI uri = URI.create("http://127.0.0.1:" + address.getPort() + "/metrics");
        measure(rows, "ours", series, uri);
      }
      PrometheusRegistry registry = new PrometheusRegistry();
      populate(registry, series);
      try (HTTPServer server =
          HTTPServer.builder().hostname("127.0.0.1").port(0).registry(registry).buildAndStart()) {
        measure(
            rows,
            "client_java",
            series,
            URI.create("http://127.0.0.1:" + server.getPort() + "/metrics"));
      }
    }
    return rows;
  }

  /**
   * A Monitoring instance on loopback, port 0, JVM metrics and tracing off (the metrics path alone,
   * without exemplar samplers, as a service without monitoring-tracing gets it), room for {@code
   * series}.
   */
  static Monitoring startMonitoring(int series) {
    return Monitoring.builder("scale-harness")
        .metricsHost("127.0.0.1")
        .metricsPort(0)
        .jvmMetrics(false)
        .cardinalityLimit(Math.max(1000, series / METRICS))
        .config("log.level", "WARN")
        .config("tracing.enabled", "false")
        .start();
  }

  /** {@code series} counter series through the facade. */
  static List<Map<String, String>> populate(Monitor monitor, int series) {
    List<Map<String, String>> labels = labelSets(series);
    for (int i = 0; i < series; i++) {
      monitor.incrementCounter(name(i), labels.get(i));
    }
    return labels;
  }

  /** The same series in a client_java registry. */
  static void populate(PrometheusRegistry registry, int series) {
    Counter[] counters = new Counter[METRICS];
    for (int m = 0; m < METRICS; m++) {
      counters[m] =
          Counter.builder()
              .name("scale_requests_" + m)
              .labelNames("route", "status")
              .register(registry);
    }
    for (int i = 0; i < series; i++) {
      counters[i % METRICS].labelValues("/route/" + (i / METRICS), "200").inc();
    }
  }

  static String name(int i) {
    return "scale_requests_" + (i % METRICS) + "_total";
  }

  static List<Map<String, String>> labelSets(int series) {
    List<Map<String, String>> labels = new ArrayList<>(series);
    for (int i = 0; i < series; i++) {
      labels.add(Map.of("route", "/route/" + (i / METRICS), "status", "200"));
    }
    return labels;
  }

  private void measure(List<Map<String, Object>> rows, String exporter, int series, URI uri)
      throws Exception {
    int runs = series >= 100_000 ? 8 : series >= 10_000 ? 20 : 50;
    record(rows, exporter, series, "text", http.get(uri, TEXT, false, 3, runs));
    record(rows, exporter, series, "openmetrics", http.get(uri, OPENMETRICS, false, 3, runs));
    record(rows, exporter, series, "text+gzip", http.get(uri, TEXT, true, 3, runs));
  }

  private static void record(
      List<Map<String, Object>> rows, String exporter, int series, String format, Http.Timings t) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("exporter", exporter);
    row.put("series", series);
    row.put("format", format);
    row.put("runs", t.nanos().length);
    row.put("p50_ms", t.percentileMillis(50));
    row.put("p90_ms", t.percentileMillis(90));
    row.put("bytes", t.bytes());
    rows.add(row);
  }
}
