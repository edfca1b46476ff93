package com.aicompanion.monitoring.http;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.Monitor;
import com.aicompanion.monitoring.test.CapturedLogs;
import com.aicompanion.monitoring.test.CapturedSpans;
import com.aicompanion.monitoring.test.MetricsAssert;
import com.aicompanion.monitoring.test.SpansAssert;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The servlet filter in a real embedded Jetty 12 (ee10) on loopback. */
class ServletInstrumentationTest {
  private static final Logger LOG = LoggerFactory.getLogger("test.servlet");

  private PrometheusMeterRegistry registry;
  private Monitor monitor;
  private CapturedSpans spans;
  private CapturedLogs logs;
  private Server jetty;
  private int port;
  private final HttpClient plain = HttpClient.newHttpClient();

  @BeforeEach
  void setUp() throws Exception {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    monitor = Monitor.create(registry);
    spans = CapturedSpans.install("servlet-test");
    logs = CapturedLogs.attach("test.servlet");
    jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/api");
    context.addServlet(new ServletHolder(new Conversations()), "/conversations/*");
    context.addServlet(new ServletHolder(new Failing()), "/boom");
    context.addFilter(
        new FilterHolder(ServletInstrumentation.filter(monitor)),
        "/*",
        EnumSet.of(DispatcherType.REQUEST));
    jetty.setHandler(context);
    jetty.start();
    port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
  }

  @AfterEach
  void tearDown() throws Exception {
    jetty.stop();
    logs.close();
    spans.close();
    registry.close();
  }

  @SuppressWarnings("serial")
  static final class Conversations extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      LOG.info("conversation {}", req.getPathInfo());
      if ("/known".equals(req.getPathInfo())) {
        resp.getWriter().write("hello");
      } else if ("/broken".equals(req.getPathInfo())) {
        resp.sendError(502);
      } else {
        resp.sendError(404);
      }
    }
  }

  @SuppressWarnings("serial")
  static final class Failing extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
      throw new IllegalStateException("servlet bug");
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return plain.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The filter ends the span after the response went out: the caller may be faster. */
  private void awaitSpans(int count) {
    org.awaitility.Awaitility.await().until(() -> spans.spans().size() >= count);
  }

  @Test
  void aRequestIsRecordedUnderItsServletMappingInASpanContinuingTheCaller() throws Exception {
    assertThat(get("/api/conversations/known").body()).isEqualTo("hello");
    awaitSpans(1);

    SpanData server = spans.named("GET /api/conversations/*").get(0);
    assertThat(server.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(server.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
    SpansAssert.assertThat(spans)
        .span("GET /api/conversations/*")
        .hasKind(SpanKind.SERVER)
        .hasAttribute(stringKey("http.route"), "/api/conversations/*");
    MetricsAssert.assertThat(monitor)
        .histogram("http_server_requests_seconds")
        .withLabels(
            "method", "GET", "uri", "/api/conversations/*", "status", "200", "outcome", "SUCCESS")
        .hasCount(1);
    assertThat(logs.events())
        .singleElement()
        .satisfies(
            e -> assertThat(e.getMDCPropertyMap()).containsEntry("trace.id", server.getTraceId()));
  }

  @Test
  void aMatchedServletsOwn404KeepsItsRouteWhileAnUnmappedPathIsNotFound() throws Exception {
    assertThat(get("/api/conversations/unknown").statusCode()).isEqualTo(404);
    assertThat(get("/api/nothing/here").statusCode()).isEqualTo(404);
    awaitSpans(2);

    MetricsAssert.assertThat(monitor)
        .histogram("http_server_requests_seconds")
        .withLabels("uri", "/api/conversations/*", "status", "404")
        .hasCount(1);
    MetricsAssert.assertThat(monitor)
        .histogram("http_server_requests_seconds")
        .withLabels("uri", "NOT_FOUND", "status", "404")
        .hasCount(1);
  }

  @Test
  void a5xxAndAThrowingServletAreServerErrors() throws Exception {
    assertThat(get("/api/conversations/broken").statusCode()).isEqualTo(502);
    assertThat(get("/api/boom").statusCode()).isEqualTo(500);
    awaitSpans(2);

    SpansAssert.assertThat(spans)
        .span("GET /api/conversations/*")
        .hasStatus(StatusData.error())
        .hasAttribute(stringKey("error.type"), "502");
    SpansAssert.assertThat(spans)
        .span("GET /api/boom")
        .hasStatus(StatusData.error())
        // the container answered 500: OpenTelemetry's rule makes the status the error.type
        .hasAttribute(stringKey("error.type"), "500");
    assertThat(spans.named("GET /api/boom").get(0).getEvents())
        .anySatisfy(event -> assertThat(event.getName()).isEqualTo("exception"));
    MetricsAssert.assertThat(monitor)
        .histogram("http_server_requests_seconds")
        .withLabels(
            "uri",
            "/api/boom",
            "status",
            "500",
            "outcome",
            "SERVER_ERROR",
            "error_type",
            "java.lang.IllegalStateException")
        .hasCount(1);
  }
}
