package com.aicompanion.monitoring.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 15, case 12: Sentry bounded in time (an ingest that accepts connections and never answers)
 * and in size (a 1.5 MB log line as a breadcrumb, an event over 1 MiB), against a receiver that
 * decodes the real envelope format.
 */
class SentryBoundsTest {
  private static final Logger LOG = LoggerFactory.getLogger("com.example.chat.SentryBounds");

  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<JsonNode> events = new CopyOnWriteArrayList<>();
  private final List<Socket> held = new CopyOnWriteArrayList<>();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private HttpServer server;
  private ServerSocket silent;
  private JsonLogging logging;
  private SentrySetup sentry;

  @AfterEach
  void stop() throws IOException {
    if (sentry != null) {
      sentry.close();
    }
    if (logging != null) {
      logging.close();
    }
    if (server != null) {
      server.stop(0);
    }
    if (silent != null) {
      silent.close();
    }
    for (Socket socket : held) {
      socket.close();
    }
  }

  private String receiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/42/envelope/",
        exchange -> {
          InputStream in = exchange.getRequestBody();
          if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            in = new GZIPInputStream(in);
          }
          String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          bodies.add(body);
          String[] lines = body.split("\n");
          for (int i = 1; i + 1 < lines.length; i += 2) {
            JsonNode header = LineSink.JSON.readTree(lines[i]);
            if ("event".equals(header.path("type").asText())) {
              events.add(LineSink.JSON.readTree(lines[i + 1]));
            }
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
    return "http://publickey@127.0.0.1:" + server.getAddress().getPort() + "/42";
  }

  /** A loopback ingest that accepts every connection and never answers. */
  private String silentIngest() throws IOException {
    silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor =
        new Thread(
            () -> {
              while (!silent.isClosed()) {
                try {
                  held.add(silent.accept());
                } catch (IOException e) {
                  return;
                }
              }
            },
            "silent-ingest");
    acceptor.setDaemon(true);
    acceptor.start();
    return "http://publickey@127.0.0.1:" + silent.getLocalPort() + "/42";
  }

  private SentrySetup install(String dsn, long flushMillis) {
    logging = JsonLogging.builder("chat-api").output(new LineSink()).install();
    sentry =
        SentrySetup.builder("chat-api")
            .env(Map.of())
            .dsn(dsn)
            .environment("test")
            .release("1.0.0")
            .flushTimeoutMillis(flushMillis)
            .meterRegistry(meters)
            .install();
    return sentry;
  }

  private double count(String name, String... tags) {
    return meters.get(name).tags(tags).counter().count();
  }

  @Test
  void closeReturnsWithinItsBoundWhenTheIngestAcceptsAndNeverAnswers() throws IOException {
    install(silentIngest(), 1000);
    for (int i = 0; i < 5; i++) {
      LOG.error("payment failed " + i);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> !held.isEmpty());

    long start = System.nanoTime();
    sentry.close();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    sentry = null;

    // the bound is 1 s; sentry-java alone took 25 s against such an ingest
    assertThat(took).isLessThan(Duration.ofMillis(1000 + 1500));
    assertThat(count("monitoring.sentry.events.dropped", "reason", "close_timeout")).isEqualTo(1.0);
  }

  @Test
  void aHugeInfoLineRidesOnLaterErrorsCutToTheBreadcrumbLimit() throws IOException {
    install(receiver(), 5000);
    assertThat(count("monitoring.sentry.breadcrumbs.truncated")).isZero();
    String huge = "x".repeat(1_500_000);
    LOG.info("big payload " + huge);
    LOG.error("first error");
    LOG.error("second error");

    await().atMost(Duration.ofSeconds(30)).until(() -> events.size() >= 2);
    for (JsonNode event : events) {
      JsonNode crumb = null;
      for (JsonNode c : event.path("breadcrumbs")) {
        if (c.path("message").asText().startsWith("big payload")) {
          crumb = c;
        }
      }
      assertThat(crumb).as("the big line is still a breadcrumb, cut").isNotNull();
      assertThat(crumb.path("message").asText())
          .hasSizeLessThan(8 * 1024 + 64)
          .endsWith("... [cut, " + ("big payload ".length() + huge.length()) + " chars]");
    }
    assertThat(bodies).allSatisfy(b -> assertThat(b.length()).isLessThan(100_000));
    assertThat(count("monitoring.sentry.breadcrumbs.truncated")).isEqualTo(1.0);
  }

  @Test
  void anEventOverSentrysSizeLimitIsShrunkAndCounted() throws IOException {
    install(receiver(), 5000);
    LOG.info("a breadcrumb that the size limiting removes");
    for (int i = 0; i < 100; i++) {
      LOG.info("crumb " + i + " " + "y".repeat(8000));
    }
    LOG.error("oversized " + "z".repeat(300_000));

    await().atMost(Duration.ofSeconds(30)).until(() -> !events.isEmpty());
    assertThat(count("monitoring.sentry.events.shrunk")).isEqualTo(1.0);
    // sentry-java's size limiting removed the breadcrumbs to get under 1 MiB
    assertThat(events.get(0).path("breadcrumbs").size()).isZero();
    assertThat(bodies.get(0).length()).isLessThan(1 << 20);
  }
}
