package com.aicompanion.monitoring.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Work handed to another thread stays in its trace through the {@link Spans} wrappers: the task
 * sees the submitting span, and its own spans are children of it. Unwrapped, the same task sees no
 * trace (the behaviour the wrappers fix).
 */
class SpansAcrossThreadsTest {
  private final Recording recording = new Recording();
  private Tracing tracing;
  private ExecutorService raw;
  private ScheduledExecutorService rawScheduled;

  @BeforeEach
  void setUp() {
    tracing =
        Tracing.builder("threads-test")
            .meterRegistry(new SimpleMeterRegistry())
            .shutdownHook(false)
            .otelProperty("otel.traces.exporter", "none")
            .spanProcessor(recording)
            .install();
    raw = Executors.newFixedThreadPool(2);
    rawScheduled = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterEach
  void tearDown() {
    raw.shutdownNow();
    rawScheduled.shutdownNow();
    tracing.close();
  }

  /** Runs {@code work} in a span "request"; returns that span's context. */
  private SpanContext inRequest(Runnable work) {
    SpanContext[] request = new SpanContext[1];
    Spans.inSpan(
        "request",
        () -> {
          request[0] = Span.current().getSpanContext();
          work.run();
        });
    return request[0];
  }

  private SpanData ended(String name) {
    return recording.ended.stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no span " + name + " in " + recording.ended));
  }

  @Test
  void unwrappedPoolTaskSeesNoTrace() throws Exception {
    String[] seen = new String[1];
    inRequest(
        () -> {
          try {
            seen[0] = raw.submit(Spans::traceId).get(5, TimeUnit.SECONDS);
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
    assertThat(seen[0]).isEmpty();
  }

  @Test
  void taskSubmittedToAWrappedPoolSeesTheTraceAndItsSpanIsAChild() {
    ExecutorService pool = Spans.wrap(raw);
    String[] seen = new String[1];
    SpanContext request =
        inRequest(
            () -> {
              try {
                seen[0] =
                    pool.submit(() -> Spans.inSpan("task", Spans::traceId))
                        .get(5, TimeUnit.SECONDS);
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });

    assertThat(seen[0]).isEqualTo(request.getTraceId());
    SpanData task = ended("task");
    assertThat(task.getTraceId()).isEqualTo(request.getTraceId());
    assertThat(task.getParentSpanId()).isEqualTo(request.getSpanId());
  }

  @Test
  void eachTaskRunsInTheContextOfItsOwnSubmitter() throws Exception {
    ExecutorService pool = Spans.wrap(raw);
    String[] seen = new String[2];
    SpanContext first =
        inRequest(
            () -> {
              try {
                seen[0] = pool.submit(Spans::traceId).get(5, TimeUnit.SECONDS);
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
    SpanContext second =
        inRequest(
            () -> {
              try {
                seen[1] = pool.submit(Spans::traceId).get(5, TimeUnit.SECONDS);
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
    String outside = pool.submit(Spans::traceId).get(5, TimeUnit.SECONDS);

    assertThat(first.getTraceId()).isNotEqualTo(second.getTraceId());
    assertThat(seen).containsExactly(first.getTraceId(), second.getTraceId());
    assertThat(outside).isEmpty();
  }

  @Test
  void supplyAsyncWithTheWrappedExecutorKeepsTheTraceThroughTheChain() {
    String[] seen = new String[1];
    SpanContext request =
        inRequest(
            () -> {
              var traced = Spans.currentContextExecutor(raw);
              seen[0] =
                  CompletableFuture.supplyAsync(Spans::traceId, traced)
                      .thenApplyAsync(first -> first + " " + Spans.traceId(), traced)
                      .thenApplyAsync(
                          both -> Spans.inSpan("stage", () -> both + " " + Spans.traceId()), traced)
                      .join();
            });

    String id = request.getTraceId();
    assertThat(seen[0]).isEqualTo(id + " " + id + " " + id);
    assertThat(ended("stage").getParentSpanId()).isEqualTo(request.getSpanId());
  }

  @Test
  void currentContextExecutorKeepsTheTraceWhenAStageIsSubmittedFromAnUntracedThread() {
    String[] seen = new String[1];
    SpanContext request =
        inRequest(
            () -> {
              var traced = Spans.currentContextExecutor(raw);
              // the first stage completes on a thread outside any trace (like an HTTP client's)
              CompletableFuture<String> untraced = new CompletableFuture<>();
              CompletableFuture<String> chain =
                  untraced.thenApplyAsync(v -> v + Spans.traceId(), traced);
              raw.execute(() -> untraced.complete("trace "));
              seen[0] = chain.join();
            });
    assertThat(seen[0]).isEqualTo("trace " + request.getTraceId());
  }

  @Test
  void wrappedRunnableAndCallableRunInTheContextOfTheirWrapping() throws Exception {
    String[] seen = new String[2];
    SpanContext request =
        inRequest(
            () -> {
              Runnable runnable =
                  Spans.wrap(
                      () -> {
                        seen[0] = Spans.traceId();
                      });
              var callable = Spans.wrap(() -> Spans.traceId());
              Thread thread = new Thread(runnable);
              thread.start();
              try {
                thread.join(5_000);
                seen[1] = raw.submit(callable).get(5, TimeUnit.SECONDS);
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
    assertThat(seen).containsExactly(request.getTraceId(), request.getTraceId());
  }

  @Test
  void scheduledTaskOfAWrappedScheduledPoolSeesTheTrace() {
    ScheduledExecutorService scheduler = Spans.wrap(rawScheduled);
    String[] seen = new String[1];
    SpanContext request =
        inRequest(
            () -> {
              try {
                seen[0] =
                    scheduler
                        .schedule(Spans::traceId, 10, TimeUnit.MILLISECONDS)
                        .get(5, TimeUnit.SECONDS);
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
    assertThat(seen[0]).isEqualTo(request.getTraceId());
  }

  @Test
  void plainExecutorIsWrappedToo() {
    String[] seen = new String[1];
    SpanContext request =
        inRequest(
            () -> {
              CompletableFuture<String> done = new CompletableFuture<>();
              Spans.wrap((java.util.concurrent.Executor) raw)
                  .execute(() -> done.complete(Spans.traceId()));
              seen[0] = done.join();
            });
    assertThat(seen[0]).isEqualTo(request.getTraceId());
  }

  private static final class Recording implements SpanProcessor {
    final List<SpanData> ended = new CopyOnWriteArrayList<>();

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

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
