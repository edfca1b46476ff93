package com.aicompanion.monitoring.logging;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP proxy on 127.0.0.1 in front of the OpenSearch node, as a load balancer or ingress
 * would stand there: it forwards every request and relays the answer, except that it answers 413
 * for a {@code _bulk} body over {@link #maxBody(int)} (the index template passes), can leave {@code
 * _bulk} requests unanswered ({@link #hangBulk()}), and can lose the answer of the next {@code
 * _bulk} requests after the node took them ({@link #loseBulkAnswers(int)}).
 */
final class NodeProxy implements AutoCloseable {
  private final URI node;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Integer> bulkSizes = new CopyOnWriteArrayList<>();
  private final List<Integer> forwardedBulkSizes = new CopyOnWriteArrayList<>();
  private final AtomicInteger tooLarge = new AtomicInteger();
  private final AtomicInteger loseAnswers = new AtomicInteger();
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile int maxBody = Integer.MAX_VALUE;
  private volatile boolean hangBulk;

  NodeProxy(URI node) {
    this.node = node;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Answers 413 to a {@code _bulk} request whose body is longer than {@code bytes}. */
  NodeProxy maxBody(int bytes) {
    this.maxBody = bytes;
    return this;
  }

  /** Accepts {@code _bulk} requests and never answers them (until {@link #close()}). */
  NodeProxy hangBulk() {
    this.hangBulk = true;
    return this;
  }

  /** Forwards the next {@code n} {@code _bulk} requests but closes the connection unanswered. */
  NodeProxy loseBulkAnswers(int n) {
    loseAnswers.set(n);
    return this;
  }

  /** The body sizes of every {@code _bulk} request received. */
  List<Integer> bulkSizes() {
    return List.copyOf(bulkSizes);
  }

  /** The body sizes of the {@code _bulk} requests forwarded to the node. */
  List<Integer> forwardedBulkSizes() {
    return List.copyOf(forwardedBulkSizes);
  }

  /** How many requests were answered 413. */
  int tooLargeAnswers() {
    return tooLarge.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    String path = exchange.getRequestURI().getRawPath();
    boolean bulk = path.endsWith("/_bulk");
    if (bulk) {
      bulkSizes.add(body.length);
    }
    if (bulk && body.length > maxBody) {
      tooLarge.incrementAndGet();
      answer(exchange, 413, "{\"error\":\"request entity too large\"}".getBytes());
      return;
    }
    if (bulk && hangBulk) {
      try {
        released.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
      return;
    }
    String query = exchange.getRequestURI().getRawQuery();
    HttpRequest.Builder forward =
        HttpRequest.newBuilder(node.resolve(path + (query == null ? "" : "?" + query)))
            .timeout(Duration.ofSeconds(30))
            .method(
                exchange.getRequestMethod(),
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type != null) {
      forward.header("Content-Type", type);
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      answer(exchange, 502, ("{\"error\":\"" + e + "\"}").getBytes());
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.close();
      return;
    }
    if (bulk) {
      forwardedBulkSizes.add(body.length);
      if (loseAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        exchange.close(); // the node took it; the client never hears
        return;
      }
    }
    answer(exchange, response.statusCode(), response.body());
  }

  private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
