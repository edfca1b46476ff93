package com.aicompanion.monitoring.benchmarks.scale;

import com.aicompanion.monitoring.Monitoring;
import com.aicompanion.monitoring.health.CheckOptions;
import com.aicompanion.monitoring.health.CheckResult;
import com.aicompanion.monitoring.health.HealthRegistry;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /health} latency through {@code Monitoring}'s endpoint server with 1, 10 and 50
 * trivial passing checks and the result cache off ({@code health.cache.interval=0s}), so that every
 * request runs every check: p50 and p99 of sequential requests.
 *
 * <pre>{@code
 * List<Map<String, Object>> rows = new HealthLatency(new int[] {1, 10, 50}, 500).run();
 * }</pre>
 */
final class HealthLatency {
  private final int[] checkCounts;
  private final int requests;

  HealthLatency(int[] checkCounts, int requests) {
    this.checkCounts = checkCounts.clone();
    this.requests = requests;
  }

  List<Map<String, Object>> run() throws Exception {
    Http http = new Http();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int checks : checkCounts) {
      try (Monitoring monitoring =
          Monitoring.builder("scale-harness")
              .metricsHost("127.0.0.1")
              .metricsPort(0)
              .jvmMetrics(false)
              .config("health.cache.interval", "0s")
              .config("log.level", "WARN")
              .start()) {
        HealthRegistry health = monitoring.get(HealthRegistry.class);
        for (int i = 0; i < checks; i++) {
          health.register("check-" + i, CheckResult::pass, CheckOptions.critical());
        }
        URI uri =
            URI.create("http://127.0.0.1:" + monitoring.metricsAddress().getPort() + "/health");
        Http.Timings t = http.get(uri, null, false, requests / 4, requests);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("checks", checks);
        row.put("requests", requests);
        row.put("p50_ms", t.percentileMillis(50));
        row.put("p99_ms", t.percentileMillis(99));
        row.put("max_ms", t.percentileMillis(100));
        row.put("bytes", t.bytes());
        rows.add(row);
      }
    }
    return rows;
  }
}
