package com.aicompanion.monitoring.benchmarks.core;

import com.aicompanion.monitoring.CacheMetrics;
import com.aicompanion.monitoring.Monitor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Gauge update and cache hit. Gauge: {@code monitor.setGauge(name, value, labels)} against a
 * Micrometer gauge backed by a held atomic double (what a Micrometer user writes: keep the number,
 * set it) and client_java's {@code Gauge.labelValues(..).set(..)}. Cache: {@code
 * monitor.cache(name).hit()} (a lookup by cache name) and a held {@code CacheMetrics}, against a
 * held Micrometer counter with the same tags.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar GaugeCacheBenchmark -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GaugeCacheBenchmark {
  private static final Map<String, String> LABELS = Map.of("queue", "ingest");

  private PrometheusMeterRegistry registry;
  private Monitor monitor;
  private final AtomicLong gaugeBits = new AtomicLong();
  private io.prometheus.metrics.core.metrics.Gauge clientJavaGauge;
  private CacheMetrics heldCache;
  private Counter hits;
  private double value;

  @Setup
  public void setUp() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    monitor = Monitor.create(registry);
    Gauge.builder("bench_held_queue_depth", gaugeBits, b -> Double.longBitsToDouble(b.get()))
        .tag("queue", "ingest")
        .register(registry);
    clientJavaGauge =
        io.prometheus.metrics.core.metrics.Gauge.builder()
            .name("bench_client_java_queue_depth")
            .labelNames("queue")
            .register(new PrometheusRegistry());
    heldCache = monitor.cache("llm-responses");
    hits =
        Counter.builder("bench.cache.gets")
            .tags("cache", "llm-responses", "result", "hit")
            .register(registry);
    monitor.setGauge("bench_queue_depth", 1, LABELS);
  }

  @TearDown
  public void tearDown() {
    registry.close();
  }

  /** Ours: gauge by name and label map. */
  @Benchmark
  public void facadeSetGauge() {
    monitor.setGauge("bench_queue_depth", value++, LABELS);
  }

  /** Micrometer: the gauge reads a held atomic double; updating it is one volatile write. */
  @Benchmark
  public void micrometerHeldAtomicGauge() {
    gaugeBits.set(Double.doubleToRawLongBits(value++));
  }

  /** client_java: label lookup, then set. */
  @Benchmark
  public void clientJavaGaugeLabelValuesSet() {
    clientJavaGauge.labelValues("ingest").set(value++);
  }

  /** Ours: the cache's meters looked up by name on each call. */
  @Benchmark
  public void facadeCacheHit() {
    monitor.cache("llm-responses").hit();
  }

  /** Ours, held: {@code CacheMetrics} kept by the caller. */
  @Benchmark
  public void facadeHeldCacheHit() {
    heldCache.hit();
  }

  /** Micrometer, held counter {@code cache.gets{result=hit}}. */
  @Benchmark
  public void micrometerHeldCacheCounter() {
    hits.increment();
  }
}
