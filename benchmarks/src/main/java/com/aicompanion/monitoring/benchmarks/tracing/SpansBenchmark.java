package com.aicompanion.monitoring.benchmarks.tracing;

import com.aicompanion.monitoring.tracing.Spans;
import com.aicompanion.monitoring.tracing.Tracing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@code Spans.inSpan} against the raw OpenTelemetry calls it wraps, on a real SDK whose spans are
 * sampled. With {@code exporter=otlp} they are batched (the OTLP exporter points at a closed
 * loopback port, so the batch processor and the counting pipeline run, but no network is waited
 * on). With {@code exporter=none} (as {@code OTEL_TRACES_EXPORTER=none}) the SDK has no span
 * processor and hands out no-op spans: what the wrapper costs while tracing is off, where its own
 * work (the captured lambda, the scope) is most of the call. Target: at most 1.1x the raw call with
 * a scope ({@code rawSpanWithScope}); {@code rawSpan} has no scope and is the floor.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar SpansBenchmark
 * }</pre>
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SpansBenchmark {
  /** {@code otlp}: batch processor and export pipeline; {@code none}: tracing off, no-op spans. */
  @Param({"otlp", "none"})
  public String exporter;

  private Tracing tracing;
  private Tracer tracer;

  @Setup(Level.Trial)
  public void setUp() throws java.io.IOException {
    int closedPort;
    try (java.net.ServerSocket probe =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = probe.getLocalPort();
    }
    tracing =
        Tracing.builder("benchmark")
            .otlpEndpoint(java.net.URI.create("http://127.0.0.1:" + closedPort))
            .meterRegistry(new SimpleMeterRegistry())
            // Spans uses the global tracing: the one installed with registerGlobal(true)
            .shutdownHook(false)
            .otelProperty("otel.java.exporter.otlp.retry.disabled", "true")
            .otelProperty("otel.traces.exporter", exporter)
            .install();
    tracer = tracing.tracer();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    tracing.close();
  }

  @Benchmark
  public void inSpan(Blackhole hole) {
    Spans.inSpan("op", () -> hole.consume(1));
  }

  @Benchmark
  public void rawSpan(Blackhole hole) {
    Span span = tracer.spanBuilder("op").startSpan();
    hole.consume(1);
    span.end();
  }

  @Benchmark
  @SuppressWarnings("try")
  public void rawSpanWithScope(Blackhole hole) {
    Span span = tracer.spanBuilder("op").startSpan();
    try (Scope ignored = span.makeCurrent()) {
      hole.consume(1);
    } finally {
      span.end();
    }
  }
}
