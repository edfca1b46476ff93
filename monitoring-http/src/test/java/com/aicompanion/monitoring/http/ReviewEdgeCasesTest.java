package com.aicompanion.monitoring.http;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.Monitor;
import com.aicompanion.monitoring.test.CapturedSpans;
import com.aicompanion.monitoring.test.MetricsAssert;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Review of issue 14: inputs the other tests did not use. */
class ReviewEdgeCasesTest {
  private PrometheusMeterRegistry registry;
  private Monitor monitor;
  private ExecutorService executor;

  @BeforeEach
  void setUp() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    monitor = Monitor.create(registry);
    executor = Executors.newFixedThreadPool(4);
  }

  @AfterEach
  void tearDown() {
    executor.shutdownNow();
    registry.close();
  }

  private long clientCount(String status) {
    return registry.find("http.client.requests").tag("status", status).timers().stream()
        .mapToLong(Timer::count)
        .sum();
  }

  @Test
  void cancellingTheFutureOfSendAsyncCancelsTheRequestAsTheJdkClientDoes() throws Exception {
    CountDownLatch arrived = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext(
        "/slow",
        e -> {
          arrived.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
          }
          byte[] body = "late".getBytes(StandardCharsets.UTF_8);
          e.sendResponseHeaders(200, body.length);
          try (OutputStream out = e.getResponseBody()) {
            out.write(body);
          } catch (java.io.IOException gone) {
            // the client cancelled
          }
        });
    server.start();
    try {
      HttpClient client = HttpClientInstrumentation.wrap(HttpClient.newHttpClient(), monitor);
      CompletableFuture<HttpResponse<String>> future =
          client.sendAsync(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/slow"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
      future.cancel(true);
      release.countDown();

      // the JDK client (16+) aborts the exchange on cancel(true): the call ends without a response.
      // Through the wrapper the cancel only reaches the whenComplete copy: the request runs on
      // and is recorded as a 200 nobody received.
      await().until(() -> clientCount("IO_ERROR") + clientCount("200") >= 1);
      assertThat(clientCount("200")).isZero();
      assertThat(clientCount("IO_ERROR")).isEqualTo(1);
    } finally {
      server.stop(0);
    }
  }

  @SuppressWarnings("serial")
  static final class CompletesBeforeReturning extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
      AsyncContext async = req.startAsync();
      Thread worker =
          new Thread(
              () -> {
                ((HttpServletResponse) async.getResponse()).setStatus(202);
                async.complete();
              });
      worker.start();
      try {
        worker.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void anAsyncServletThatCompletesBeforeTheFilterReturnsIsRecordedAndItsSpanEnded()
      throws Exception {
    try (CapturedSpans spans = CapturedSpans.install("servlet-async")) {
      Server jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
      ServletContextHandler context = new ServletContextHandler();
      ServletHolder holder = new ServletHolder(new CompletesBeforeReturning());
      holder.setAsyncSupported(true);
      context.addServlet(holder, "/quick");
      FilterHolder filter = new FilterHolder(ServletInstrumentation.filter(monitor));
      filter.setAsyncSupported(true);
      context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
      jetty.setHandler(context);
      jetty.start();
      try {
        int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
        HttpResponse<String> response =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/quick"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(202);
        await()
            .atMost(java.time.Duration.ofSeconds(5))
            .untilAsserted(
                () ->
                    MetricsAssert.assertThat(monitor)
                        .histogram("http_server_requests_seconds")
                        .withLabels("uri", "/quick", "status", "202")
                        .hasCount(1));
        await().atMost(java.time.Duration.ofSeconds(5)).until(() -> !spans.spans().isEmpty());
        SpanData span = spans.spans().get(0);
        assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(span.getAttributes().get(stringKey("http.route"))).isEqualTo("/quick");
      } finally {
        jetty.stop();
      }
    }
  }

  @Test
  void theClientSpansUrlCarriesNoCredentialsOrApiKeys() throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext(
        "/v1/models",
        e -> {
          e.sendResponseHeaders(204, -1);
          e.close();
        });
    server.start();
    try (CapturedSpans spans = CapturedSpans.install("client-secrets")) {
      HttpClient client = HttpClientInstrumentation.wrap(HttpClient.newHttpClient(), monitor);
      client.send(
          HttpRequest.newBuilder(
                  URI.create(
                      "http://bob:hunter2@127.0.0.1:"
                          + server.getAddress().getPort()
                          + "/v1/models?api_key=sk-live-0123456789abcdef&limit=5"))
              .build(),
          HttpResponse.BodyHandlers.discarding());
      await().until(() -> !spans.spans().isEmpty());
      String url = spans.spans().get(0).getAttributes().get(stringKey("url.full"));
      assertThat(url)
          .isNotNull()
          .doesNotContain("hunter2")
          .doesNotContain("sk-live-0123456789abcdef");
    } finally {
      server.stop(0);
    }
  }
}
