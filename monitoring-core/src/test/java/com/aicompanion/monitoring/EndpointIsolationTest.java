package com.aicompanion.monitoring;

import static com.aicompanion.monitoring.RawHttpClient.ascii;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The endpoint server's time limits apply to it alone: the application's own JDK server keeps the
 * JDK's behaviour, while a stalled client of the endpoint server is cut at the limit.
 */
class EndpointIsolationTest {
  private static final Duration LIMIT = Duration.ofSeconds(2);
  private static final Duration STREAM = Duration.ofSeconds(5);
  private static final int EVENTS = 20;

  private static Monitoring startWithShortLimits(String service) {
    Properties properties = new Properties();
    properties.setProperty("monitoring.test.modules", "a");
    return TestMonitoring.builder(service, Map.of(), properties)
        .endpointLimits(LIMIT, LIMIT)
        .start();
  }

  @Test
  void applicationsOwnServerStreamsLongerThanEveryEndpointLimit() throws Exception {
    Properties before = (Properties) System.getProperties().clone();
    try (Monitoring monitoring = startWithShortLimits("isolation-stream")) {
      assertThat(System.getProperties().stringPropertyNames())
          .as("system properties set by start()")
          .noneMatch(name -> name.startsWith("sun.net.httpserver."))
          .containsExactlyInAnyOrderElementsOf(before.stringPropertyNames());

      // the application's own server, created after start() as docs/getting-started.md orders it
      HttpServer app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      ExecutorService appThreads = Executors.newFixedThreadPool(2);
      app.setExecutor(appThreads);
      app.createContext(
          "/events",
          exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
              for (int i = 1; i <= EVENTS; i++) {
                out.write(("data: event " + i + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                sleep(STREAM.toMillis() / EVENTS);
              }
            }
          });
      app.start();
      try {
        long start = System.nanoTime();
        HttpResponse<String> response =
            TestMonitoring.HTTP.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.getAddress().getPort() + "/events"))
                    .timeout(STREAM.multipliedBy(3))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isGreaterThan(LIMIT.multipliedBy(2));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body().lines().filter(l -> l.startsWith("data: ")))
            .hasSize(EVENTS)
            .last()
            .isEqualTo("data: event " + EVENTS);
        assertThat(TestMonitoring.scrape(monitoring)).contains("app_info");
      } finally {
        app.stop(0);
        appThreads.shutdownNow();
        appThreads.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void stalledClientIsCutAtTheRequestLimitWhileScrapesGoOn() throws Exception {
    try (Monitoring monitoring = startWithShortLimits("isolation-stall");
        Socket stalled = new Socket()) {
      int port = monitoring.metricsAddress().getPort();
      stalled.connect(new InetSocketAddress("127.0.0.1", port));
      stalled.setSoTimeout((int) LIMIT.multipliedBy(4).toMillis());
      long start = System.nanoTime();
      stalled.getOutputStream().write(ascii("GET /metr"));
      stalled.getOutputStream().flush();

      List<Integer> scrapes = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        scrapes.add(TestMonitoring.get(monitoring, "/metrics").statusCode());
      }
      int status = RawHttpClient.readStatus(stalled.getInputStream(), LIMIT.multipliedBy(4));
      Duration cut = Duration.ofNanos(System.nanoTime() - start);

      assertThat(status).as("closed without an answer").isEqualTo(-1);
      assertThat(cut).isBetween(LIMIT.minusMillis(100), LIMIT.plusSeconds(2));
      assertThat(scrapes).containsOnly(200);
      assertThat(TestMonitoring.get(monitoring, "/metrics").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void clientThatDoesNotReadItsAnswerIsCutAtTheResponseLimit() throws Exception {
    try (Monitoring monitoring = startWithShortLimits("isolation-reader");
        Socket lazy = new Socket()) {
      lazy.setReceiveBufferSize(4096);
      lazy.connect(new InetSocketAddress("127.0.0.1", monitoring.metricsAddress().getPort()));
      long start = System.nanoTime();
      lazy.getOutputStream().write(ascii("GET /test-large HTTP/1.1\r\nHost: x\r\n\r\n"));
      lazy.getOutputStream().flush();
      Thread.sleep(LIMIT.plusSeconds(1).toMillis()); // not reading: the server's write blocks

      long received = drain(lazy.getInputStream(), LIMIT.multipliedBy(4));
      Duration cut = Duration.ofNanos(System.nanoTime() - start);

      assertThat(received).as("bytes before the cut").isLessThan(64L * 1024 * 1024);
      assertThat(cut).isLessThan(LIMIT.multipliedBy(4));
      assertThat(TestMonitoring.get(monitoring, "/metrics").statusCode()).isEqualTo(200);
    }
  }

  /** Reads until the server closes; the byte count. */
  private static long drain(InputStream in, Duration bound) throws IOException {
    long total = 0;
    byte[] buffer = new byte[64 * 1024];
    long deadline = System.nanoTime() + bound.toNanos();
    try {
      int n;
      while ((n = in.read(buffer)) != -1) {
        total += n;
        if (System.nanoTime() > deadline) {
          throw new AssertionError("still receiving after " + bound + ": " + total + " bytes");
        }
      }
    } catch (java.net.SocketException reset) {
      // closed by the server mid-answer
    }
    return total;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
