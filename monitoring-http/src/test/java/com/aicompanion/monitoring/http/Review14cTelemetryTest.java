package com.aicompanion.monitoring.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.Monitor;
import com.aicompanion.monitoring.http.internal.ServerCall;
import com.aicompanion.monitoring.http.internal.ServerInstrumenter;
import com.aicompanion.monitoring.http.internal.Telemetry;
import com.aicompanion.monitoring.test.CapturedSpans;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Review 14c: the filter and the client wrapper keep the global OpenTelemetry once set (commit
 * 11ec7da), against the library's own Tracing installed, closed and installed again, over real
 * loopback HTTP; and Telemetry under concurrent first calls.
 */
class Review14cTelemetryTest {
  private SimpleMeterRegistry registry;
  private Monitor monitor;
  private ExecutorService executor;
  private HttpServer server;
  private final HttpClient plain = HttpClient.newHttpClient();

  /** What the handler saw: the current span's trace id (null when invalid) and the traceparent. */
  private final AtomicReference<String> handlerTrace = new AtomicReference<>();

  private final AtomicReference<String> handlerTraceparent = new AtomicReference<>();

  @BeforeEach
  void setUp() throws Exception {
    GlobalOpenTelemetry.resetForTest();
    registry = new SimpleMeterRegistry();
    monitor = Monitor.create(registry);
    executor = Executors.newFixedThreadPool(2);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
  }

  @AfterEach
  void tearDown() {
    server.stop(0);
    executor.shutdownNow();
    registry.close();
    GlobalOpenTelemetry.resetForTest();
  }

  private void context(String path, boolean instrumented) {
    var ctx =
        server.createContext(
            path,
            e -> {
              var span = Span.current().getSpanContext();
              handlerTrace.set(span.isValid() ? span.getTraceId() : null);
              handlerTraceparent.set(e.getRequestHeaders().getFirst("traceparent"));
              byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
              e.sendResponseHeaders(200, body.length);
              try (OutputStream out = e.getResponseBody()) {
                out.write(body);
              }
            });
    if (instrumented) {
      ctx.getFilters().add(HttpServerInstrumentation.filter(monitor));
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  private void get(HttpClient client, String path) throws Exception {
    handlerTrace.set("unset");
    handlerTraceparent.set("unset");
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
  }

  private static List<SpanData> ofKind(CapturedSpans spans, SpanKind kind) {
    return spans.spans().stream().filter(s -> s.getKind() == kind).toList();
  }

  @Test
  void oneFilterFollowsTracingInstalledClosedAndInstalledAgain() throws Exception {
    context("/a", true);
    server.start();

    get(plain, "/a"); // no tracing yet: the global is unset
    assertThat(handlerTrace.get()).isNull();

    CapturedSpans first = CapturedSpans.install("review-first");
    try {
      get(plain, "/a");
      await().until(() -> ofKind(first, SpanKind.SERVER).size() == 1);
      assertThat(handlerTrace.get()).isEqualTo(ofKind(first, SpanKind.SERVER).get(0).getTraceId());
    } finally {
      first.close();
    }

    get(plain, "/a"); // tracing closed: the kept global forwards to the no-op
    assertThat(handlerTrace.get()).as("no valid span while tracing is closed").isNull();
    assertThat(ofKind(first, SpanKind.SERVER)).hasSize(1);

    CapturedSpans second = CapturedSpans.install("review-second");
    try {
      get(plain, "/a");
      await().until(() -> ofKind(second, SpanKind.SERVER).size() == 1);
      SpanData span = ofKind(second, SpanKind.SERVER).get(0);
      assertThat(handlerTrace.get()).isEqualTo(span.getTraceId());
      assertThat(span.getResource().getAttributes().asMap().values())
          .as("the span went to the second Tracing's SDK")
          .contains("review-second");
    } finally {
      second.close();
    }
  }

  @Test
  void aFilterFirstUsedWhileTracingIsClosedTracesOnceItIsInstalledAgain() throws Exception {
    // the global becomes the library's switchable OpenTelemetry at the first install and stays
    CapturedSpans.install("review-before").close();
    context("/b", true); // a filter that sees its first request only now, tracing closed
    server.start();

    get(plain, "/b");
    assertThat(handlerTrace.get()).isNull();

    try (CapturedSpans spans = CapturedSpans.install("review-after")) {
      get(plain, "/b");
      await().until(() -> ofKind(spans, SpanKind.SERVER).size() == 1);
      assertThat(handlerTrace.get()).isEqualTo(ofKind(spans, SpanKind.SERVER).get(0).getTraceId());
    }
  }

  @Test
  void theClientWrapperSpansAndPropagatesOnlyWhileTracingIsOpen() throws Exception {
    context("/echo", false);
    server.start();
    HttpClient client = HttpClientInstrumentation.wrap(HttpClient.newHttpClient(), monitor);

    get(client, "/echo");
    assertThat(handlerTraceparent.get()).as("no tracing: no traceparent").isNull();

    CapturedSpans first = CapturedSpans.install("review-client-1");
    try {
      get(client, "/echo");
      await().until(() -> ofKind(first, SpanKind.CLIENT).size() == 1);
      SpanData span = ofKind(first, SpanKind.CLIENT).get(0);
      assertThat(handlerTraceparent.get())
          .startsWith("00-" + span.getTraceId() + "-" + span.getSpanId() + "-");
    } finally {
      first.close();
    }

    get(client, "/echo");
    assertThat(handlerTraceparent.get()).as("tracing closed: no traceparent").isNull();

    try (CapturedSpans second = CapturedSpans.install("review-client-2")) {
      get(client, "/echo");
      await().until(() -> ofKind(second, SpanKind.CLIENT).size() == 1);
      SpanData span = ofKind(second, SpanKind.CLIENT).get(0);
      assertThat(handlerTraceparent.get())
          .startsWith("00-" + span.getTraceId() + "-" + span.getSpanId() + "-");
    }
  }

  @Test
  void theClientAndTheFilterTogetherMakeOneTraceAfterAReinstall() throws Exception {
    context("/joined", true);
    server.start();
    HttpClient client = HttpClientInstrumentation.wrap(HttpClient.newHttpClient(), monitor);
    get(client, "/joined"); // both read the unset global
    CapturedSpans.install("review-joined-0").close();
    get(client, "/joined"); // both now keep the switchable global, forwarding to the no-op

    try (CapturedSpans spans = CapturedSpans.install("review-joined")) {
      get(client, "/joined");
      await()
          .until(
              () ->
                  ofKind(spans, SpanKind.SERVER).size() == 1
                      && ofKind(spans, SpanKind.CLIENT).size() == 1);
      SpanData server = ofKind(spans, SpanKind.SERVER).get(0);
      SpanData clientSpan = ofKind(spans, SpanKind.CLIENT).get(0);
      assertThat(server.getTraceId()).isEqualTo(clientSpan.getTraceId());
      assertThat(server.getParentSpanId()).isEqualTo(clientSpan.getSpanId());
    }
  }

  /**
   * Threads call instrumenter() while the global is set under them: once any of them has seen the
   * global, all must end up on one instrumenter, built once (the javadoc: "rebuilt only when that
   * instance changes").
   */
  @Test
  void concurrentCallsWhileTheGlobalIsSetBuildOneInstrumenter() throws Exception {
    // few rounds: each spins 4 threads on what may be 2 cores; the fault showed in every round
    int rounds = 40;
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<String> problems = new ArrayList<>();
    try {
      for (int round = 0; round < rounds && problems.size() < 3; round++) {
        GlobalOpenTelemetry.resetForTest();
        AtomicInteger built = new AtomicInteger();
        Telemetry<ServerCall, Integer> t =
            new Telemetry<>(
                null,
                otel -> {
                  built.incrementAndGet();
                  return ServerInstrumenter.create(otel);
                });
        AtomicBoolean stop = new AtomicBoolean();
        Set<Instrumenter<ServerCall, Integer>> seen = ConcurrentHashMap.newKeySet();
        List<Future<?>> futures =
            spin(
                pool,
                threads,
                stop,
                () -> {
                  Instrumenter<ServerCall, Integer> in = t.instrumenter();
                  if (in != null) {
                    seen.add(in);
                  }
                });
        OpenTelemetrySdk sdk =
            OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().build())
                .build();
        try {
          GlobalOpenTelemetry.set(sdk);
          await()
              .pollInterval(Duration.ofMillis(1))
              .atMost(5, TimeUnit.SECONDS)
              .until(() -> !seen.isEmpty());
          stop.set(true);
          for (Future<?> f : futures) {
            f.get(5, TimeUnit.SECONDS);
          }
          if (built.get() != 1 || seen.size() != 1) {
            problems.add("round " + round + ": built " + built.get() + ", distinct " + seen.size());
          }
          assertThat(t.instrumenter()).isIn(seen);
          assertThat(t.openTelemetry()).isSameAs(GlobalOpenTelemetry.get());
        } finally {
          stop.set(true);
          sdk.close();
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(problems).isEmpty();
  }

  /**
   * The client wrapper calls instrumenter(), starts a span, then injects with openTelemetry(). A
   * thread that read the unset global (the no-op) just before it was set writes its stale read over
   * the settled one; a request that got the SDK's instrumenter then propagates with the no-op: a
   * traced call without a traceparent header.
   */
  @Test
  void openTelemetryNeverFallsBackToTheNoOpAfterTheInstrumenterWasTheGlobals() throws Exception {
    int rounds = 50;
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicInteger inconsistent = new AtomicInteger();
    try {
      for (int round = 0; round < rounds && inconsistent.get() == 0; round++) {
        GlobalOpenTelemetry.resetForTest();
        Telemetry<ServerCall, Integer> t = new Telemetry<>(null, ServerInstrumenter::create);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger traced = new AtomicInteger();
        List<Future<?>> futures =
            spin(
                pool,
                threads,
                stop,
                () -> {
                  Instrumenter<ServerCall, Integer> in = t.instrumenter();
                  io.opentelemetry.api.OpenTelemetry otel = t.openTelemetry();
                  if (in != null) {
                    traced.incrementAndGet();
                    if (otel == io.opentelemetry.api.OpenTelemetry.noop()) {
                      inconsistent.incrementAndGet();
                    }
                  }
                });
        OpenTelemetrySdk sdk =
            OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().build())
                .build();
        try {
          GlobalOpenTelemetry.set(sdk);
          await()
              .atMost(5, TimeUnit.SECONDS)
              .pollInterval(java.time.Duration.ofMillis(1))
              .until(() -> traced.get() > 1000);
        } finally {
          stop.set(true);
          for (Future<?> f : futures) {
            f.get(5, TimeUnit.SECONDS);
          }
          sdk.close();
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(inconsistent)
        .as("calls that got the SDK's instrumenter and then the no-op for propagation")
        .hasValue(0);
  }

  /**
   * Starts {@code threads} tasks that each run {@code body} until {@code stop}, and returns once
   * all are running.
   */
  private static List<Future<?>> spin(
      ExecutorService pool, int threads, AtomicBoolean stop, Runnable body)
      throws InterruptedException {
    CountDownLatch running = new CountDownLatch(threads);
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      futures.add(
          pool.submit(
              () -> {
                running.countDown();
                while (!stop.get()) {
                  body.run();
                }
              }));
    }
    assertThat(running.await(5, TimeUnit.SECONDS)).as("all %d threads running", threads).isTrue();
    return futures;
  }
}
