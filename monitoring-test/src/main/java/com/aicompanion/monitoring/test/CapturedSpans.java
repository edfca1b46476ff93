package com.aicompanion.monitoring.test;

import com.aicompanion.monitoring.tracing.Tracing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Objects;

/**
 * Spans captured in memory through OpenTelemetry's {@link InMemorySpanExporter}, with a {@link
 * Tracing} of the monitoring-tracing module that exports to it (and to nothing else), for {@link
 * SpansAssert}.
 *
 * <pre>{@code
 * try (CapturedSpans spans = CapturedSpans.install("chat-service")) {
 *   Spans.inSpan("load-history", () -> repo.load("c-1"));
 *   SpansAssert.assertThat(spans).span("load-history").hasNoParent().hasEnded();
 * }
 *
 * // with your own settings:
 * CapturedSpans spans = CapturedSpans.install(Tracing.builder("chat-service").captureContent(true));
 * monitor.llm().observer(spans.tracing().llmObserver());
 * }</pre>
 *
 * <p>A span is captured when it ends, on the thread that ends it (a simple, synchronous processor),
 * so it is there as soon as the code under test returns. The {@link Tracing} holds the global
 * tracing while it is open (so that {@link com.aicompanion.monitoring.tracing.Spans} and {@code
 * GlobalOpenTelemetry} use it; installing while another global Tracing is open fails naming it) and
 * adds no shutdown hook. Close it to shut it down and free the global.
 *
 * <p>Needs monitoring-tracing and io.opentelemetry:opentelemetry-sdk-testing on the test classpath.
 * {@code Monitoring.start(..)} builds its own {@link Tracing} from configuration and offers no
 * exporter seam: to capture spans in a test, turn that one off ({@code config("tracing.enabled",
 * "false")}) and install this one.
 */
public final class CapturedSpans implements AutoCloseable {
  private final InMemorySpanExporter exporter;
  private final Tracing tracing;

  /** What was captured when closed: the exporter forgets its spans on shutdown. */
  private volatile List<SpanData> afterClose;

  private CapturedSpans(InMemorySpanExporter exporter, Tracing tracing) {
    this.exporter = exporter;
    this.tracing = tracing;
  }

  /**
   * Installs a {@link Tracing} for {@code serviceName} that captures every sampled span in memory;
   * its own counters ({@code monitoring_spans_total}) go to a private registry, not Micrometer's
   * global one.
   *
   * @throws IllegalArgumentException when {@code serviceName} is null or blank
   * @throws com.aicompanion.monitoring.MonitoringException when the configuration is invalid (e.g.
   *     an {@code OTEL_*} variable in the environment)
   */
  public static CapturedSpans install(String serviceName) {
    return install(Tracing.builder(serviceName).meterRegistry(new SimpleMeterRegistry()));
  }

  /**
   * Installs {@code builder}'s {@link Tracing}, adding the in-memory export and setting: no OTLP
   * export ({@code otel.traces.exporter=none}), not the global OpenTelemetry, no shutdown hook. Its
   * other settings (sampling, content capture, meter registry, ...) apply.
   *
   * @throws NullPointerException when {@code builder} is null
   * @throws com.aicompanion.monitoring.MonitoringException when the configuration is invalid
   */
  public static CapturedSpans install(Tracing.Builder builder) {
    Objects.requireNonNull(builder, "install(builder): builder is null");
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    Tracing tracing =
        builder
            .spanProcessor(SimpleSpanProcessor.create(exporter))
            .otelProperty("otel.traces.exporter", "none")
            .registerGlobal(true)
            .shutdownHook(false)
            .install();
    return new CapturedSpans(exporter, tracing);
  }

  /** The spans ended so far, in the order they ended; never null. */
  public List<SpanData> spans() {
    List<SpanData> kept = afterClose;
    return kept != null ? kept : exporter.getFinishedSpanItems();
  }

  /** The spans named {@code name}, in the order they ended; never null, maybe empty. */
  public List<SpanData> named(String name) {
    Objects.requireNonNull(name, "named(name): name is null");
    return spans().stream().filter(s -> s.getName().equals(name)).toList();
  }

  /** Forgets the spans captured so far. */
  public void clear() {
    exporter.reset();
    if (afterClose != null) {
      afterClose = List.of();
    }
  }

  /** The {@link Tracing} that exports here: its tracer, OpenTelemetry and LLM observer. */
  public Tracing tracing() {
    return tracing;
  }

  /** Shuts the {@link Tracing} down; the spans captured stay readable. Idempotent. */
  @Override
  public synchronized void close() {
    if (afterClose == null) {
      afterClose = exporter.getFinishedSpanItems();
      tracing.close();
    }
  }
}
