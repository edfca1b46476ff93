package com.aicompanion.monitoring.benchmarks.scale;

import com.aicompanion.monitoring.Monitoring;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Retained heap per counter series: used heap after full collections with N series alive, minus the
 * same before, divided by N. The label strings are created in both measurements' scope and counted
 * for every library alike. Compared: the facade ({@code monitor.incrementCounter} on a {@code
 * PrometheusMeterRegistry} as {@code Monitoring.start} builds it, core only), raw Micrometer
 * ({@code Counter.builder(..).tags(..).register} on the same registry type) and client_java ({@code
 * labelValues(..).inc()}).
 *
 * <pre>{@code
 * List<Map<String, Object>> rows = new HeapPerSeries(new int[] {10_000}).run();
 * }</pre>
 */
final class HeapPerSeries {
  private final int[] sizes;
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

  HeapPerSeries(int[] sizes) {
    this.sizes = sizes.clone();
  }

  List<Map<String, Object>> run() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int series : sizes) {
      rows.add(measure("ours", series, HeapPerSeries::facade));
      rows.add(measure("micrometer", series, HeapPerSeries::micrometer));
      rows.add(measure("client_java", series, HeapPerSeries::clientJava));
    }
    return rows;
  }

  private Map<String, Object> measure(String library, int series, IntFunction<Object> create) {
    // One throw-away round first so that classes and caches of the library are loaded.
    close(create.apply(100));
    long before = usedAfterGc();
    Object alive = create.apply(series);
    long after = usedAfterGc();
    Reference.reachabilityFence(alive);
    close(alive);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("library", library);
    row.put("series", series);
    row.put("retained_bytes", after - before);
    row.put("bytes_per_series", (after - before) / (double) series);
    return row;
  }

  private static void close(Object created) {
    if (created instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** The facade as shipped: {@code Monitoring.start} (core only), with its endpoint server. */
  private static Object facade(int series) {
    Monitoring monitoring = ScrapeScale.startMonitoring(series);
    ScrapeScale.populate(monitoring.monitor(), series);
    return monitoring;
  }

  private static Object micrometer(int series) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    for (int i = 0; i < series; i++) {
      Counter.builder(ScrapeScale.name(i))
          .tags("route", "/route/" + (i / ScrapeScale.METRICS), "status", "200")
          .register(registry)
          .increment();
    }
    return registry;
  }

  private static Object clientJava(int series) {
    PrometheusRegistry registry = new PrometheusRegistry();
    ScrapeScale.populate(registry, series);
    return registry;
  }

  /** Used heap once full collections stop changing it by more than 64 KiB. */
  private long usedAfterGc() {
    long previous = Long.MAX_VALUE;
    for (int i = 0; i < 20; i++) {
      System.gc();
      long used = memory.getHeapMemoryUsage().getUsed();
      if (Math.abs(previous - used) < 64 * 1024) {
        return used;
      }
      previous = used;
    }
    return previous;
  }
}
