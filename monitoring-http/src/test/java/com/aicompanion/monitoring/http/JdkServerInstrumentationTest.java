package com.aicompanion.monitoring.http;

import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.Monitor;
import com.aicompanion.monitoring.test.CapturedLogs;
import com.aicompanion.monitoring.test.CapturedSpans;
import com.aicompanion.monitoring.test.MetricsAssert;
import com.aicompanion.monitoring.test.SpansAssert;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK server filter and the client wrapper on real loopback servers: a front server whose
 * handler calls a downstream server through the instrumented client.
 */
class JdkServerInstrumentationTest {
  private static final Logger LOG = LoggerFactory.getLogger("test.handler");

  private PrometheusMeterRegistry registry;
  private Monitor monitor;
  private CapturedSpans spans;
  private CapturedLogs logs;
  private ExecutorService executor;
  private HttpServer front;
  private HttpServer downstream;
  private HttpClient client;
  private final HttpClient plain = HttpClient.newHttpClient();

  @BeforeEach
  void setUp() throws IOException {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    monitor = Monitor.create(registry);
    spans = CapturedSpans.install("http-test");
    logs = CapturedLogs.attach("test.handler");
    executor = Executors.newFixedThreadPool(4);
    client = HttpClientInstrumentation.wrap(HttpClient.newHttpClient(), monitor);

    downstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    downstream.setExecutor(executor);
    downstream
        .createContext("/items", e -> respond(e, 200, "item"))
        .getFilters()
        .add(HttpServerInstrumentation.filter(monitor));
    downstream.start();

    front = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    front.setExecutor(executor);
    front
        .createContext("/", this::frontHandler)
        .getFilters()
        .add(
            HttpServerInstrumentation.builder(monitor)
                .routes("/conversations/{id}", "/fail", "/boom")
                .filter());
    front.start();
  }

  @AfterEach
  void tearDown() {
    front.stop(0);
    downstream.stop(0);
    executor.shutdownNow();
    logs.close();
    spans.close();
    registry.close();
  }

  private void frontHandler(HttpExchange e) throws IOException {
    String path = e.getRequestURI().getPath();
    LOG.info("handling {}", path);
    if (path.equals("/conversations/known")) {
      try {
        HttpResponse<String> item =
            client.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + downstream.getAddress().getPort()
                                + "/items/12345"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        respond(e, 200, item.body());
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        respond(e, 503, "interrupted");
      }
    } else if (path.startsWith("/conversations/")) {
      respond(e, 404, "no such conversation");
    } else if (path.equals("/fail")) {
      respond(e, 503, "storage down");
    } else if (path.equals("/boom")) {
      throw new IllegalStateException("handler bug");
    } else {
      respond(e, 404, "no route");
    }
  }

  private static void respond(HttpExchange e, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    e.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = e.getResponseBody()) {
      out.write(bytes);
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send("GET", path);
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return plain.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + front.getAddress().getPort() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The filter ends the span after the response went out: the caller may be faster. */
  private void awaitSpans(int count) {
    org.awaitility.Awaitility.await().until(() -> spans.spans().size() >= count);
  }

  @Test
  void oneTraceRunsFromTheCallerThroughTheServerAndTheClientToTheDownstreamServer()
      throws Exception {
    assertThat(get("/conversations/known").body()).isEqualTo("item");
    awaitSpans(3);

    SpanData server = spans.named("GET /conversations/{id}").get(0);
    SpanData outgoing = spans.named("GET").get(0);
    SpanData down = spans.named("GET /items/**").get(0);
    assertThat(server.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(server.getParentSpanId()).isEqualTo("b7ad6b7169203331");
    SpansAssert.assertThat(spans)
        .span("GET /conversations/{id}")
        .hasKind(SpanKind.SERVER)
        .hasAttribute(stringKey("http.route"), "/conversations/{id}")
        .hasAttribute(stringKey("url.path"), "/conversations/known")
        .hasAttribute(longKey("http.response.status_code"), 200L);
    SpansAssert.assertThat(spans).span("GET").hasKind(SpanKind.CLIENT).hasParent(server);
    SpansAssert.assertThat(spans)
        .span("GET /items/**")
        .hasKind(SpanKind.SERVER)
        .hasParent(outgoing)
        .hasTraceId(server.getTraceId());
    assertThat(down.getTraceId()).isEqualTo(server.getTraceId());

    MetricsAssert.assertThat(monitor)
        .histogram("http_server_requests_seconds")
        .withLabels(
            "method", "GET", "uri", "/conversations/{id}", "status", "200", "outcome", "SUCCESS")
        .hasCount(1);
    MetricsAssert.assertThat(monitor)
        .histogram("http_server_requests_seconds")
        .withLabels("uri", "/items/**", "status", "200")
        .hasCount(1);
    MetricsAssert.assertThat(monitor)
        .histogram("http_client_requests_seconds")
        .withLabels(
            "method",
            "GET",
            "uri",
            "/items/{id}",
            "client_name",
            "127.0.0.1",
            "status",
            "200",
            "outcome",
            "SUCCESS",
            "error_type",
            "")
        .hasCount(1);

    assertThat(logs.events())
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.getMDCPropertyMap())
                  .containsEntry("trace.id", server.getTraceId())
                  .containsEntry("span.id", server.getSpanId())
                  .containsEntry("http.request.method", "GET")
                  .containsEntry("url.path", "/conversations/known");
            });
  }

  @Test
  void aMatchedRoutesOwn404KeepsItsRouteWhileAnUnmatchedPathIsNotFound() throws Exception {
    assertThat(get("/conversations/unknown").statusCode()).isEqualTo(404);
    assertThat(get("/no/such/page").statusCode()).isEqualTo(404);
    awaitSpans(2);

    MetricsAssert.assertThat(monitor)
        .histogram("http_server_requests_seconds")
        .withLabels("uri", "/conversations/{id}", "status", "404", "outcome", "CLIENT_ERROR")
        .hasCount(1);
    MetricsAssert.assertThat(monitor)
        .histogram("http_server_requests_seconds")
        .withLabels("uri", "NOT_FOUND", "status", "404")
        .hasCount(1);
    // a 404 is not a server span error; an unmatched request's span is named by its method alone
    SpansAssert.assertThat(spans)
        .span("GET /conversations/{id}")
        .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.unset());
    SpansAssert.assertThat(spans).span("GET").hasKind(SpanKind.SERVER);
  }

  @Test
  void a5xxMarksTheServerSpanAsAnErrorWithTheStatusAsErrorType() throws Exception {
    assertThat(get("/fail").statusCode()).isEqualTo(503);
    awaitSpans(1);

    SpansAssert.assertThat(spans)
        .span("GET /fail")
        .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.error())
        .hasAttribute(stringKey("error.type"), "503")
        .hasAttribute(longKey("http.response.status_code"), 503L);
    MetricsAssert.assertThat(monitor)
        .histogram("http_server_requests_seconds")
        .withLabels("uri", "/fail", "status", "503", "outcome", "SERVER_ERROR", "error_type", "")
        .hasCount(1);
  }

  @Test
  void aHandlerExceptionBeforeTheHeadersIsA500WithItsErrorType() {
    // the JDK server closes the connection of a handler that threw: the caller gets no response
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> send("POST", "/boom")))
        .isInstanceOf(IOException.class);

    org.awaitility.Awaitility.await()
        .untilAsserted(
            () ->
                MetricsAssert.assertThat(monitor)
                    .histogram("http_server_requests_seconds")
                    .withLabels(
                        "method",
                        "POST",
                        "uri",
                        "/boom",
                        "status",
                        "500",
                        "outcome",
                        "SERVER_ERROR",
                        "error_type",
                        "java.lang.IllegalStateException")
                    .hasCount(1));
    SpansAssert.assertThat(spans)
        .span("POST /boom")
        .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.error())
        .hasAttribute(stringKey("error.type"), "java.lang.IllegalStateException");
    assertThat(spans.named("POST /boom").get(0).getEvents())
        .anySatisfy(event -> assertThat(event.getName()).isEqualTo("exception"));
  }
}
