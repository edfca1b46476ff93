package com.aicompanion.monitoring.it.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.logging.JsonLogging;
import com.aicompanion.monitoring.tracing.Spans;
import com.aicompanion.monitoring.tracing.Tracing;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A log line written by a task on a pool thread carries the trace of the span that submitted it,
 * when the pool is wrapped with {@link Spans#wrap(ExecutorService)}: the logging module reads the
 * current span on the thread that logs, so carrying OpenTelemetry's context is all it takes.
 */
@SuppressWarnings("try") // the Tracing is only held open
class TraceIdsAcrossThreadsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void logLineOfAWrappedPoolTaskCarriesTheSubmittingTrace() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    org.slf4j.Logger log = LoggerFactory.getLogger("com.example.Worker");
    ExecutorService raw = Executors.newSingleThreadExecutor();
    List<SpanData> ended = new CopyOnWriteArrayList<>();
    ExecutorService pool = Spans.wrap(raw);
    try (JsonLogging logging =
            JsonLogging.builder("threads-it")
                .meterRegistry(new SimpleMeterRegistry())
                .output(out)
                .install();
        Tracing tracing =
            Tracing.builder("threads-it")
                .meterRegistry(new SimpleMeterRegistry())
                .shutdownHook(false)
                .otelProperty("otel.traces.exporter", "none")
                .spanProcessor(new Recording(ended))
                .install()) {
      SpanContext[] request = new SpanContext[1];
      Spans.inSpan(
          "request",
          () -> {
            request[0] = Span.current().getSpanContext();
            try {
              pool.submit(() -> Spans.inSpan("task", () -> log.info("wrapped task")))
                  .get(5, TimeUnit.SECONDS);
              raw.submit(() -> log.info("unwrapped task")).get(5, TimeUnit.SECONDS);
              CompletableFuture.runAsync(
                      () -> log.info("async stage"), Spans.currentContextExecutor(raw))
                  .get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
              throw new AssertionError(e);
            }
          });

      logging.close(); // flushes the console queue: the lines are all written once it returns
      List<JsonNode> lines =
          out.toString(StandardCharsets.UTF_8)
              .lines()
              .map(TraceIdsAcrossThreadsTest::parse)
              .filter(line -> line.path("log.logger").asText().equals("com.example.Worker"))
              .toList();
      assertThat(lines).hasSize(3);
      assertThat(lines.get(0).path("message").asText()).isEqualTo("wrapped task");
      assertThat(lines.get(0).path("trace.id").asText()).isEqualTo(request[0].getTraceId());
      assertThat(lines.get(0).path("process.thread.name").asText())
          .isNotEqualTo(Thread.currentThread().getName());
      assertThat(lines.get(1).path("message").asText()).isEqualTo("unwrapped task");
      assertThat(lines.get(1).has("trace.id")).isFalse();
      assertThat(lines.get(2).path("trace.id").asText()).isEqualTo(request[0].getTraceId());
      SpanData task = ended.get(0);
      assertThat(task.getName()).isEqualTo("task");
      assertThat(task.getParentSpanId()).isEqualTo(request[0].getSpanId());
      assertThat(lines.get(0).path("span.id").asText()).isEqualTo(task.getSpanId());
    } finally {
      raw.shutdownNow();
    }
  }

  /** Keeps every ended span (the build has no OpenTelemetry in-memory exporter on this path). */
  private record Recording(List<SpanData> ended) implements SpanProcessor {
    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      ended.add(span.toSpanData());
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }
}
