package com.aicompanion.monitoring.benchmarks.tracing;

import com.aicompanion.monitoring.LlmPrices;
import com.aicompanion.monitoring.Monitor;
import com.aicompanion.monitoring.benchmarks.core.LlmBenchmark.RawLlmMeters;
import com.aicompanion.monitoring.tracing.Tracing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One LLM call with tracing on: {@code monitor.llm().start(..).finish(..)} with the tracing
 * module's GenAI observer installed (metrics and a CLIENT span with the GenAI attributes), against
 * the raw OpenTelemetry span with the same name and attributes, alone and together with the held
 * Micrometer meters of {@link com.aicompanion.monitoring.benchmarks.core.LlmBenchmark}. Spans are
 * sampled and batched to an OTLP endpoint on a closed loopback port, as in {@link SpansBenchmark}.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar GenAiSpanBenchmark -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GenAiSpanBenchmark {
  private static final AttributeKey<String> OPERATION =
      AttributeKey.stringKey("gen_ai.operation.name");
  private static final AttributeKey<String> PROVIDER =
      AttributeKey.stringKey("gen_ai.provider.name");
  private static final AttributeKey<String> MODEL = AttributeKey.stringKey("gen_ai.request.model");
  private static final AttributeKey<Long> INPUT = AttributeKey.longKey("gen_ai.usage.input_tokens");
  private static final AttributeKey<Long> OUTPUT =
      AttributeKey.longKey("gen_ai.usage.output_tokens");

  private Tracing tracing;
  private Tracer tracer;
  private PrometheusMeterRegistry registry;
  private Monitor monitor;
  private RawLlmMeters raw;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = probe.getLocalPort();
    }
    tracing =
        Tracing.builder("benchmark")
            .otlpEndpoint(URI.create("http://127.0.0.1:" + closedPort))
            .meterRegistry(new SimpleMeterRegistry())
            .registerGlobal(false)
            .shutdownHook(false)
            .otelProperty("otel.java.exporter.otlp.retry.disabled", "true")
            .install();
    tracer = tracing.tracer();
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    monitor = Monitor.create(registry, 1000, LlmPrices.empty().with("openai", "gpt-4o", 2.5, 10.0));
    monitor.llm().observer(tracing.llmObserver());
    raw = new RawLlmMeters(registry);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    tracing.close();
    registry.close();
  }

  /** Ours: metrics and the GenAI span. */
  @Benchmark
  public void facadeLlmCallWithSpan() {
    monitor.llm().start("openai", "gpt-4o", "chat").finish(120, 480);
  }

  /** Raw OpenTelemetry: the same span and attributes, no metrics. */
  @Benchmark
  public void rawGenAiSpan() {
    span().end();
  }

  /** Raw OpenTelemetry span plus held Micrometer meters: the same work as ours. */
  @Benchmark
  public void rawGenAiSpanAndMeters() {
    long start = System.nanoTime();
    Span span = span();
    raw.record(start, 120, 480);
    span.end();
  }

  private Span span() {
    return tracer
        .spanBuilder("chat gpt-4o")
        .setSpanKind(SpanKind.CLIENT)
        .setAttribute(OPERATION, "chat")
        .setAttribute(PROVIDER, "openai")
        .setAttribute(MODEL, "gpt-4o")
        .startSpan()
        .setAttribute(INPUT, 120L)
        .setAttribute(OUTPUT, 480L);
  }
}
