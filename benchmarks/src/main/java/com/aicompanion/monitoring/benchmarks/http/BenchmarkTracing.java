package com.aicompanion.monitoring.benchmarks.http;

import com.aicompanion.monitoring.testsupport.otlp.OtlpHttpReceiver;
import com.aicompanion.monitoring.tracing.Tracing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Tracing for an HTTP benchmark: {@code none} (tracing installed, no exporter: spans are made and
 * ended, never exported) or {@code otlp} (spans through the batch processor and OTLP/HTTP to a live
 * receiver in this JVM that decodes every request and counts its spans, the real export path rather
 * than a refused connection).
 *
 * <pre>{@code
 * try (BenchmarkTracing t = BenchmarkTracing.install("otlp")) { ... }
 * }</pre>
 */
final class BenchmarkTracing implements AutoCloseable {
  private final Tracing tracing;
  private final @Nullable OtlpHttpReceiver receiver;

  private BenchmarkTracing(Tracing tracing, @Nullable OtlpHttpReceiver receiver) {
    this.tracing = tracing;
    this.receiver = receiver;
  }

  /**
   * @param exporter {@code none} or {@code otlp}
   * @throws IllegalArgumentException for any other value
   */
  static BenchmarkTracing install(String exporter) throws IOException {
    Tracing.Builder builder =
        Tracing.builder("benchmark").meterRegistry(new SimpleMeterRegistry()).shutdownHook(false);
    switch (exporter) {
      case "none":
        return new BenchmarkTracing(
            builder.otelProperty("otel.traces.exporter", "none").install(), null);
      case "otlp":
        OtlpHttpReceiver receiver = OtlpHttpReceiver.startCounting();
        try {
          return new BenchmarkTracing(
              builder.otlpEndpoint(receiver.url()).protocol("http/protobuf").install(), receiver);
        } catch (RuntimeException | Error e) {
          receiver.close();
          throw e;
        }
      default:
        throw new IllegalArgumentException(
            "exporter must be none or otlp, was " + exporter + ": use -p exporter=otlp or none");
    }
  }

  /** Spans the receiver has decoded so far; 0 without one. */
  int spansReceived() {
    return receiver == null ? 0 : receiver.spans.count();
  }

  @Override
  public void close() {
    try {
      tracing.close();
    } finally {
      if (receiver != null) {
        receiver.close();
      }
    }
  }
}
