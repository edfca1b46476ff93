package com.aicompanion.monitoring.benchmarks.core;

import com.aicompanion.monitoring.Monitor;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * Recording a duration. Plain timer: {@code monitor.recordCustomMetric(name, Duration, labels)}
 * against Micrometer's builder-per-call idiom and a held Micrometer timer. Histogram timer: {@code
 * monitor.http().record(...)} (13 SLO buckets, four labels) against a held Micrometer timer with
 * the same buckets and client_java's own classic histogram with the same labels and bounds.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar TimerBenchmark -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TimerBenchmark {
  private static final Map<String, String> LABELS = Map.of("operation", "embed");
  private static final Duration TOOK = Duration.ofMillis(120);

  /** The HTTP histogram's bounds, as in {@code HttpServerMetrics}. */
  static final Duration[] HTTP_BUCKETS = {
    Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
    Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
    Duration.ofSeconds(60)
  };

  private PrometheusMeterRegistry registry;
  private Monitor monitor;
  private Timer heldTimer;
  private Timer heldHistogram;
  private Histogram clientJavaHistogram;

  @Setup
  public void setUp() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    monitor = Monitor.create(registry);
    heldTimer = Timer.builder("bench_held_duration").tag("operation", "embed").register(registry);
    heldHistogram =
        Timer.builder("bench_http_held")
            .tags("method", "POST", "uri", "/chat", "status", "200", "outcome", "SUCCESS")
            .serviceLevelObjectives(HTTP_BUCKETS)
            .register(registry);
    double[] bounds = new double[HTTP_BUCKETS.length];
    for (int i = 0; i < bounds.length; i++) {
      bounds[i] = HTTP_BUCKETS[i].toNanos() / 1e9;
    }
    clientJavaHistogram =
        Histogram.builder()
            .name("bench_http_client_java_seconds")
            .labelNames("method", "uri", "status", "outcome")
            .classicOnly()
            .classicUpperBounds(bounds)
            .register(new PrometheusRegistry());
    monitor.recordCustomMetric("bench_operation_duration", TOOK, LABELS);
    monitor.http().record("POST", "/chat", 200, TOOK);
  }

  @TearDown
  public void tearDown() {
    registry.close();
  }

  /** Ours: timer by name and label map. */
  @Benchmark
  public void facadeRecordCustomMetric() {
    monitor.recordCustomMetric("bench_operation_duration", TOOK, LABELS);
  }

  /** Micrometer's dynamic-tag idiom: build, register (a lookup), record. */
  @Benchmark
  public void micrometerBuilderRegisterRecord() {
    Timer.builder("bench_builder_duration")
        .tags("operation", "embed")
        .register(registry)
        .record(TOOK);
  }

  /** Micrometer, held timer. */
  @Benchmark
  public void micrometerHeldTimer() {
    heldTimer.record(TOOK);
  }

  /** Ours: the HTTP server histogram (method and status normalised, route looked up). */
  @Benchmark
  public void facadeHttpRecord() {
    monitor.http().record("POST", "/chat", 200, TOOK);
  }

  /** Micrometer, held timer with the same SLO buckets. */
  @Benchmark
  public void micrometerHeldHistogram() {
    heldHistogram.record(TOOK);
  }

  /** client_java's classic histogram with the same bounds, labels looked up per call. */
  @Benchmark
  public void clientJavaHistogramLabelValues() {
    clientJavaHistogram.labelValues("POST", "/chat", "200", "SUCCESS").observe(0.12);
  }
}
