package com.aicompanion.monitoring.logging;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test helper: a real HTTP server on 127.0.0.1 that forwards to the node ({@code node} may be
 * null: then it answers {@link #status} to everything) and answers a fixed status to {@code _bulk}
 * (or to every request) while told to; or, with {@link #silent()}, a raw socket that accepts
 * connections and never reads nor answers.
 */
final class FaultyNodeProxy implements AutoCloseable {
  private final URI node;
  private final HttpServer server;
  private final ServerSocket silentSocket;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final List<String> requests = new CopyOnWriteArrayList<>();
  final List<Integer> bulkSizes = new CopyOnWriteArrayList<>();
  final AtomicInteger overridden = new AtomicInteger();
  volatile int bulkStatus;
  volatile int allStatus;
  volatile int templateStatus;
  volatile long bulkStatusUntilNanos = Long.MAX_VALUE;

  private FaultyNodeProxy(URI node, boolean silent) {
    this.node = node;
    try {
      if (silent) {
        server = null;
        silentSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        executor.execute(
            () -> {
              while (!silentSocket.isClosed()) {
                try {
                  accepted.add(silentSocket.accept());
                } catch (IOException e) {
                  return;
                }
              }
            });
      } else {
        silentSocket = null;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static FaultyNodeProxy forwarding(URI node) {
    return new FaultyNodeProxy(node, false);
  }

  static FaultyNodeProxy silent() {
    return new FaultyNodeProxy(null, true);
  }

  URI uri() {
    int port = server != null ? server.getAddress().getPort() : silentSocket.getLocalPort();
    return URI.create("http://127.0.0.1:" + port);
  }

  int acceptedConnections() {
    return accepted.size();
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    String path = exchange.getRequestURI().getRawPath();
    requests.add(exchange.getRequestMethod() + " " + path);
    boolean bulk = path.endsWith("/_bulk");
    if (bulk) {
      bulkSizes.add(body.length);
    }
    if (allStatus != 0) {
      overridden.incrementAndGet();
      answer(exchange, allStatus, "{\"error\":\"the proxy says no\"}".getBytes());
      return;
    }
    if (path.startsWith("/_index_template") && templateStatus != 0) {
      overridden.incrementAndGet();
      answer(
          exchange,
          templateStatus,
          ("{\"error\":{\"type\":\"security_exception\",\"reason\":\"action"
                  + " [indices:admin/index_template/put] is unauthorized\"},\"status\":403}")
              .getBytes());
      return;
    }
    if (bulk && bulkStatus != 0 && System.nanoTime() < bulkStatusUntilNanos) {
      overridden.incrementAndGet();
      answer(exchange, bulkStatus, "{\"error\":\"the proxy says no\"}".getBytes());
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
    try {
      HttpResponse<byte[]> response =
          http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
      answer(exchange, response.statusCode(), response.body());
    } catch (IOException e) {
      answer(exchange, 502, ("{\"error\":\"" + e + "\"}").getBytes());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.close();
    }
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
    if (server != null) {
      server.stop(0);
    }
    if (silentSocket != null) {
      try {
        silentSocket.close();
        for (Socket s : accepted) {
          s.close();
        }
      } catch (IOException e) {
        // closing
      }
    }
    executor.shutdownNow();
  }
}
