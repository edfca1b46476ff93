package com.aicompanion.monitoring.benchmarks.core;

import com.aicompanion.monitoring.Monitor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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
 * Incrementing a labelled counter: the facade's dynamic-label call against what a Micrometer user
 * writes for the same job (builder + register per call), client_java's {@code
 * labelValues(..).inc()}, a held meter, and a bare LongAdder floor.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar CounterBenchmark -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CounterBenchmark {
  private static final Map<String, String> LABELS = Map.of("event_type", "user_action");

  private PrometheusMeterRegistry registry;
  private Monitor monitor;
  private Counter bound;
  private Counter micrometer;
  private final LongAdder adder = new LongAdder();
  private io.prometheus.metrics.core.metrics.Counter clientJava;

  @Setup
  public void setUp() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    monitor = Monitor.create(registry);
    bound = monitor.counter("bench_bound_total", "event_type", "user_action");
    micrometer = Counter.builder("bench_held").tag("event_type", "user_action").register(registry);
    clientJava =
        io.prometheus.metrics.core.metrics.Counter.builder()
            .name("bench_client_java_total")
            .labelNames("event_type")
            .register(new PrometheusRegistry());
    clientJava.labelValues("user_action").inc();
    monitor.incrementCounter("bench_events_total", LABELS);
  }

  @TearDown
  public void tearDown() {
    registry.close();
  }

  /** Ours: name + constant label map, looked up on every call. */
  @Benchmark
  public void facadeIncrementCounter() {
    monitor.incrementCounter("bench_events_total", LABELS);
  }

  /** Micrometer's way to record with dynamic tags: build, register (a lookup), increment. */
  @Benchmark
  public void micrometerBuilderRegisterIncrement() {
    Counter.builder("bench_builder")
        .tags("event_type", "user_action")
        .register(registry)
        .increment();
  }

  /** Ours, bound: the meter held by the caller. */
  @Benchmark
  public void facadeBoundCounter() {
    bound.increment();
  }

  /** Micrometer, held. */
  @Benchmark
  public void micrometerHeldCounter() {
    micrometer.increment();
  }

  /** client_java 1.x, the library under Micrometer's Prometheus registry: label lookup per call. */
  @Benchmark
  public void clientJavaLabelValuesInc() {
    clientJava.labelValues("user_action").inc();
  }

  /** The floor: no metrics library at all. */
  @Benchmark
  public void longAdderFloor() {
    adder.increment();
  }
}
