package com.aicompanion.monitoring.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.aicompanion.monitoring.testsupport.FreePort;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The failover order of {@link ClusterNodes} over real HTTP on 127.0.0.1: a closed port (nothing
 * listens), JDK servers answering 200, 503 or nothing at all.
 */
class ClusterNodesTest {
  private final List<HttpServer> servers = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private LoggerContext context;
  private ListAppender<ILoggingEvent> lines;
  private Logger log;

  @BeforeEach
  void logs() {
    context = new LoggerContext();
    lines = new ListAppender<>();
    lines.setContext(context);
    lines.start();
    log = context.getLogger("com.aicompanion.monitoring.logging.shipping");
    log.addAppender(lines);
  }

  @AfterEach
  void stop() {
    release.countDown();
    servers.forEach(s -> s.stop(0));
    context.stop();
  }

  /** A node answering {@code status} with its own name; counts its requests. */
  private URI node(String name, AtomicInteger status, AtomicInteger requests) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          exchange.getRequestBody().readAllBytes();
          byte[] body = name.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status.get(), body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    servers.add(server);
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** A node that takes requests and never answers (until the test ends). */
  private URI silentNode(AtomicInteger requests) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });
    server.start();
    servers.add(server);
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private static URI closedPort() {
    return URI.create("http://127.0.0.1:" + FreePort.find());
  }

  private ClusterNodes nodes(Duration firstWait, URI... urls) {
    return new ClusterNodes(
        log, List.of(urls), HttpClient.newHttpClient(), firstWait, Duration.ofMinutes(5));
  }

  private static HttpResponse<String> get(ClusterNodes nodes) throws Exception {
    return nodes
        .send(
            "_bulk",
            b -> b.POST(HttpRequest.BodyPublishers.ofString("{}")),
            HttpResponse.BodyHandlers.ofString(),
            Duration.ofSeconds(5))
        .get(10, TimeUnit.SECONDS);
  }

  private List<String> messages() {
    return lines.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
  }

  @Test
  void aClosedPortFailsOverToTheNextNodeWhichThenComesFirstUntilTheWaitRunsOut() throws Exception {
    URI closed = closedPort();
    AtomicInteger requests = new AtomicInteger();
    URI good = node("good", new AtomicInteger(200), requests);
    ClusterNodes nodes = nodes(Duration.ofMinutes(1), closed, good);

    HttpResponse<String> first = get(nodes);
    assertThat(first.body()).isEqualTo("good");
    assertThat(first.uri().getPort()).isEqualTo(good.getPort());
    assertThat(nodes.nodes().get(0).isDown()).isTrue();
    assertThat(nodes.order())
        .extracting(n -> n.root.getPort())
        .containsExactly(good.getPort(), closed.getPort());

    for (int i = 0; i < 5; i++) {
      assertThat(get(nodes).body()).isEqualTo("good");
    }
    assertThat(requests).hasValue(6);
    assertThat(messages())
        .as("one line for the transition, none for the requests after it")
        .hasSize(1)
        .first()
        .asString()
        .startsWith(
            "WARN Log shipping: node " + closed + " of the cluster failed (ConnectException")
        .contains("requests go to the next node, " + good)
        .contains("tried again in 1m");
  }

  @Test
  void a503NodeIsSkippedThenTriedAgainAfterItsWaitAndLoggedBackOnce() throws Exception {
    AtomicInteger firstStatus = new AtomicInteger(503);
    AtomicInteger firstRequests = new AtomicInteger();
    AtomicInteger secondRequests = new AtomicInteger();
    URI a = node("a", firstStatus, firstRequests);
    URI b = node("b", new AtomicInteger(200), secondRequests);
    ClusterNodes nodes = nodes(Duration.ofMillis(300), a, b);

    assertThat(get(nodes).body()).isEqualTo("b");
    assertThat(firstRequests).hasValue(1);
    assertThat(get(nodes).body()).as("a waits: b first").isEqualTo("b");
    assertThat(firstRequests).hasValue(1);

    firstStatus.set(200);
    await("a in its place again after its wait")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> get(nodes).body().equals("a"));
    assertThat(nodes.nodes().get(0).isDown()).isFalse();
    assertThat(get(nodes).body()).isEqualTo("a");
    assertThat(messages()).hasSize(2);
    assertThat(messages().get(0)).startsWith("WARN Log shipping: node " + a).contains("HTTP 503");
    assertThat(messages().get(1))
        .startsWith("INFO Log shipping: node " + a + " of the cluster answers again");
  }

  @Test
  void whenEveryNodeFailsTheLastAnswerOrAnErrorNamingEachNodeIsTheResult() throws Exception {
    URI closed = closedPort();
    URI unavailable = node("busy", new AtomicInteger(503), new AtomicInteger());
    HttpResponse<String> last = get(nodes(Duration.ofSeconds(5), closed, unavailable));
    assertThat(last.statusCode()).as("the caller retries a 503 with backoff").isEqualTo(503);

    URI closed2 = closedPort();
    ClusterNodes none = nodes(Duration.ofSeconds(5), closed, closed2);
    assertThatThrownBy(() -> get(none))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("no node answered (2 of 2 tried): " + closed + ": ConnectException")
        .hasMessageContaining("; " + closed2 + ": ConnectException");
    // both still tried on the next request, in the configured order, although both are down
    assertThat(none.order())
        .extracting(n -> n.root.getPort())
        .containsExactly(closed.getPort(), closed2.getPort());
    assertThatThrownBy(() -> get(none)).cause().hasMessageContaining("2 of 2 tried");
  }

  @Test
  void oneNodeFailsWithItsOwnErrorAndLogsNothingOfItsOwn() throws Exception {
    URI closed = closedPort();
    ClusterNodes one = nodes(Duration.ofSeconds(5), closed);
    assertThatThrownBy(() -> get(one)).cause().isInstanceOf(java.net.ConnectException.class);
    assertThat(messages()).as("the delivery's outage lines say it").isEmpty();
  }

  @Test
  void aNodeThatDoesNotAnswerWithinTheTimeoutIsPassedOverOnTheNextRequest() throws Exception {
    AtomicInteger silentRequests = new AtomicInteger();
    URI silent = silentNode(silentRequests);
    URI good = node("good", new AtomicInteger(200), new AtomicInteger());
    ClusterNodes nodes = nodes(Duration.ofMinutes(1), silent, good);

    var first =
        nodes.send(
            "_bulk",
            b -> b.POST(HttpRequest.BodyPublishers.ofString("{}")),
            HttpResponse.BodyHandlers.ofString(),
            Duration.ofMillis(500));
    assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS))
        .as("the one timeout is spent on the silent node")
        .cause()
        .hasMessageContaining(silent + ": HttpTimeoutException");
    assertThat(get(nodes).body()).isEqualTo("good");
    assertThat(silentRequests).hasValue(1);
    assertThat(messages()).hasSize(1).first().asString().contains("HttpTimeoutException");
  }

  @Test
  void cancellingTheRequestCancelsTheExchangeAndMarksNoNode() throws Exception {
    AtomicInteger silentRequests = new AtomicInteger();
    URI silent = silentNode(silentRequests);
    URI good = node("good", new AtomicInteger(200), new AtomicInteger());
    ClusterNodes nodes = nodes(Duration.ofMinutes(1), silent, good);
    var pending =
        nodes.send(
            "_bulk",
            b -> b.POST(HttpRequest.BodyPublishers.ofString("{}")),
            HttpResponse.BodyHandlers.ofString(),
            Duration.ofSeconds(30));
    await().atMost(Duration.ofSeconds(10)).until(() -> silentRequests.get() == 1);
    pending.cancel(true);
    assertThat(nodes.nodes().get(0).isDown()).isFalse();
    assertThat(messages()).isEmpty();
  }
}
