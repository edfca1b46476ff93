package com.aicompanion.monitoring.http;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.Monitor;
import com.aicompanion.monitoring.test.CapturedSpans;
import com.aicompanion.monitoring.test.MetricsAssert;
import com.aicompanion.monitoring.test.SpansAssert;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Aborted responses, failed client calls, async calls, and the module without tracing. */
class AbortAndFailureTest {
  private PrometheusMeterRegistry registry;
  private Monitor monitor;
  private ExecutorService executor;

  @BeforeEach
  void setUp() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    monitor = Monitor.create(registry);
    executor = Executors.newFixedThreadPool(2);
  }

  @AfterEach
  void tearDown() {
    executor.shutdownNow();
    registry.close();
  }

  @Test
  void aClientThatGoesAwayMidResponseIsRecordedWithTheIoErrorType() throws Exception {
    CountDownLatch clientGone = new CountDownLatch(1);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server
        .createContext(
            "/stream",
            e -> {
              try {
                clientGone.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
              }
              e.sendResponseHeaders(200, 0);
              byte[] chunk = new byte[64 * 1024];
              try (OutputStream out = e.getResponseBody()) {
                // the peer reset the connection: a write fails within a few chunks
                for (int i = 0; i < 10_000; i++) {
                  out.write(chunk);
                  out.flush();
                }
              }
            })
        .getFilters()
        .add(HttpServerInstrumentation.filter(monitor));
    server.start();
    try (Socket socket =
        new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
      socket
          .getOutputStream()
          .write(
              "GET /stream HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      socket.setSoLinger(true, 0); // close with a reset, as a client that crashed
    }
    clientGone.countDown();

    await()
        .untilAsserted(
            () ->
                MetricsAssert.assertThat(monitor)
                    .histogram("http_server_requests_seconds")
                    .withLabels(
                        "uri", "/stream", "status", "200", "error_type", "java.io.IOException")
                    .hasCount(1));
    server.stop(0);
  }

  @Test
  void aRefusedConnectionIsAnIoErrorOnAnErrorClientSpan() throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = probe.getLocalPort();
    }
    try (CapturedSpans spans = CapturedSpans.install("client-test")) {
      HttpClient client = HttpClientInstrumentation.wrap(HttpClient.newHttpClient(), monitor);
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + closedPort + "/v1/models"))
              .build();

      assertThat(catchThrowable(() -> client.send(request, HttpResponse.BodyHandlers.ofString())))
          .isInstanceOf(ConnectException.class);

      MetricsAssert.assertThat(monitor)
          .histogram("http_client_requests_seconds")
          .withLabels(
              "uri",
              "/v1/models",
              "client_name",
              "127.0.0.1",
              "status",
              "IO_ERROR",
              "outcome",
              "UNKNOWN",
              "error_type",
              "java.net.ConnectException")
          .hasCount(1);
      SpansAssert.assertThat(spans)
          .span("GET")
          .hasKind(SpanKind.CLIENT)
          .hasStatus(StatusData.error())
          .hasAttribute(stringKey("error.type"), "java.net.ConnectException");
    }
  }

  @Test
  void anAsyncCallIsRecordedWhenItCompletesAndCarriesTheTraceContext() throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext(
        "/echo",
        e -> {
          String parent = e.getRequestHeaders().getFirst("traceparent");
          byte[] body = String.valueOf(parent).getBytes(StandardCharsets.UTF_8);
          e.sendResponseHeaders(201, body.length);
          try (OutputStream out = e.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    try (CapturedSpans spans = CapturedSpans.install("async-test")) {
      HttpClient client =
          HttpClientInstrumentation.builder(monitor)
              .uriTemplates("/echo")
              .wrap(HttpClient.newHttpClient());
      String traceparent =
          client
              .sendAsync(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/echo"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .thenApply(HttpResponse::body)
              .join();

      await().until(() -> !spans.named("GET").isEmpty());
      var span = spans.named("GET").get(0);
      assertThat(traceparent).startsWith("00-" + span.getTraceId() + "-" + span.getSpanId() + "-");
      MetricsAssert.assertThat(monitor)
          .histogram("http_client_requests_seconds")
          .withLabels("uri", "/echo", "status", "201", "outcome", "SUCCESS")
          .hasCount(1);
      // a failed async call completes exceptionally, unchanged, and is recorded
      Throwable failure =
          catchThrowable(
              () ->
                  client
                      .sendAsync(
                          HttpRequest.newBuilder(URI.create("http://127.0.0.1:1/echo")).build(),
                          HttpResponse.BodyHandlers.ofString())
                      .join());
      assertThat(failure).isInstanceOf(CompletionException.class);
      await()
          .untilAsserted(
              () ->
                  MetricsAssert.assertThat(monitor)
                      .histogram("http_client_requests_seconds")
                      .withLabels("uri", "/echo", "status", "IO_ERROR")
                      .hasCount(1));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void withoutTracingTheFilterRecordsMetricsAndSendsNoTraceIds() throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    String[] seen = new String[2];
    server
        .createContext(
            "/plain",
            e -> {
              seen[0] = org.slf4j.MDC.get("trace.id");
              seen[1] = org.slf4j.MDC.get("url.path");
              e.sendResponseHeaders(204, -1);
              e.close();
            })
        .getFilters()
        .add(HttpServerInstrumentation.filter(monitor));
    server.start();
    try {
      HttpResponse<Void> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:" + server.getAddress().getPort() + "/plain"))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
      assertThat(response.statusCode()).isEqualTo(204);
      await()
          .untilAsserted(
              () ->
                  MetricsAssert.assertThat(monitor)
                      .histogram("http_server_requests_seconds")
                      .withLabels("uri", "/plain", "status", "204", "outcome", "SUCCESS")
                      .hasCount(1));
      assertThat(seen[0]).isNull();
      assertThat(seen[1]).isEqualTo("/plain");
    } finally {
      server.stop(0);
    }
  }
}
