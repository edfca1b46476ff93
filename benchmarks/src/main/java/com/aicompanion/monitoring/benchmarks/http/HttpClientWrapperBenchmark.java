package com.aicompanion.monitoring.benchmarks.http;

import com.aicompanion.monitoring.Monitor;
import com.aicompanion.monitoring.http.HttpClientInstrumentation;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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

/**
 * One GET on loopback to a bare JDK HTTP server: a raw {@code HttpClient.send} against the same
 * client wrapped by {@code HttpClientInstrumentation} (metrics, CLIENT span, traceparent injected).
 * Goal: {@code wrapped} within 1.1x of {@code raw}. {@code canned*}: the same around a client that
 * answers without a socket, so that the difference is the wrapper's own cost.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar HttpClientWrapperBenchmark
 * }</pre>
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// the JDK server writes headers and body apart: without TCP_NODELAY, Nagle and delayed ACKs add
// ~40 ms to every round trip and hide what is measured
@Fork(value = 1, jvmArgsAppend = "-Dsun.net.httpserver.nodelay=true")
public class HttpClientWrapperBenchmark {
  private static final byte[] BODY = "{\"id\":\"m-1\"}".getBytes(StandardCharsets.UTF_8);

  /**
   * {@code otlp}: spans through the batch processor and OTLP/HTTP to a live receiver; {@code none}:
   * spans made and ended, not exported ({@link BenchmarkTracing}).
   */
  @Param({"otlp", "none"})
  public String exporter;

  private BenchmarkTracing tracing;
  private PrometheusMeterRegistry registry;
  private ExecutorService executor;
  private HttpServer server;
  private HttpClient raw;
  private HttpClient wrapped;
  private HttpRequest request;
  private HttpClient canned;
  private HttpClient cannedWrapped;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    tracing = BenchmarkTracing.install(exporter);
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Monitor monitor = Monitor.create(registry);
    executor = Executors.newFixedThreadPool(4);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(executor);
    server.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(200, BODY.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(BODY);
          }
        });
    server.start();
    raw = HttpClient.newHttpClient();
    wrapped = HttpClientInstrumentation.wrap(HttpClient.newHttpClient(), monitor);
    canned = new CannedHttpClient();
    cannedWrapped = HttpClientInstrumentation.wrap(new CannedHttpClient(), monitor);
    request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/models/42"))
            .build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    server.stop(0);
    executor.shutdownNow();
    tracing.close();
    registry.close();
  }

  @Benchmark
  public int cannedRaw() throws Exception {
    return canned.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Benchmark
  public int cannedWrapped() throws Exception {
    return cannedWrapped.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Benchmark
  public int raw() throws Exception {
    return raw.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
  }

  @Benchmark
  public int wrapped() throws Exception {
    return wrapped.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
  }
}
