package com.aicompanion.monitoring.internal;

import com.aicompanion.monitoring.EndpointAccess;
import com.aicompanion.monitoring.EndpointHandler;
import com.aicompanion.monitoring.MonitoringException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded endpoint server on the JDK's HTTP server: exact-path routes, GET and HEAD only,
 * optional bearer token, a bounded pool of daemon threads. When the pool and its queue are full the
 * accepting thread serves the request itself, which slows accepting instead of dropping requests.
 *
 * <pre>{@code
 * EndpointServer server = EndpointServer.bind("127.0.0.1", 0, null, "port 0", errors);
 * server.route("/metrics", EndpointAccess.TOKEN, handler);
 * server.start();
 * }</pre>
 *
 * <p>The JDK server reads a request with blocking I/O on a pool thread and, by default, waits
 * forever for a request that never completes. Before the first server of the JVM is created, {@link
 * #SERVER_LIMITS} are set as system properties where the user has not set them (the JDK reads them
 * once per JVM): a request must arrive within 10 s, a response be taken within 60 s, headers stay
 * under 64 KiB and 100 lines, and idle connections are checked every second.
 */
public final class EndpointServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointServer.class);

  /**
   * Pool threads; idle ones end after 60 s. More than a scrape needs, so that a few clients that
   * stall mid-request (each holds a thread until {@code maxReqTime}) do not delay scrapes.
   */
  static final int THREADS = 16;

  static final int QUEUE = 256;

  /**
   * The JDK server's limits we set when the user has not: {@code maxReqTime} (seconds to receive a
   * request line and headers), {@code maxRspTime} (seconds to send a response), {@code
   * maxReqHeaderSize} (bytes of request line and headers), {@code maxReqHeaders} (header lines),
   * {@code clockTick} (milliseconds between idle-connection sweeps; JDK default 10 s), {@code
   * nodelay} (TCP_NODELAY: without it a small response waits for the client's delayed ACK, ~40 ms
   * per answer on Linux).
   */
  public static final Map<String, String> SERVER_LIMITS =
      Map.of(
          "sun.net.httpserver.maxReqTime", "10",
          "sun.net.httpserver.maxRspTime", "60",
          "sun.net.httpserver.maxReqHeaderSize", "65536",
          "sun.net.httpserver.maxReqHeaders", "100",
          "sun.net.httpserver.clockTick", "1000",
          "sun.net.httpserver.nodelay", "true");

  private record Route(EndpointAccess access, EndpointHandler handler) {}

  private final HttpServer server;
  private final ThreadPoolExecutor executor;
  private final byte[] tokenDigest;
  private final Map<String, Route> routes = new ConcurrentHashMap<>();
  private final RecordingErrors errors;

  private EndpointServer(
      HttpServer server, ThreadPoolExecutor executor, String token, RecordingErrors errors) {
    this.server = server;
    this.executor = executor;
    this.tokenDigest = token == null ? null : sha256(token);
    this.errors = errors;
    server.createContext("/", this::dispatch);
    server.setExecutor(executor);
  }

  /**
   * Binds {@code host:port} (0 for an ephemeral port) without serving yet.
   *
   * @param portSetting how the user set the port, for the error message
   * @throws MonitoringException when the port is taken or the host cannot be bound
   */
  public static EndpointServer bind(
      String host, int port, String token, String portSetting, RecordingErrors errors) {
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new MonitoringException(
          "metrics host \""
              + host
              + "\" cannot be resolved; set MONITORING_METRICS_HOST to an address of this machine, e.g. 0.0.0.0");
    }
    applyServerLimits();
    HttpServer server;
    try {
      server = HttpServer.create(address, 128);
    } catch (BindException e) {
      throw new MonitoringException(
          "port "
              + port
              + " is already in use on "
              + host
              + " ("
              + portSetting
              + "); set MONITORING_METRICS_PORT or metricsPort(...) to a free port, or 0 for an ephemeral one",
          e);
    } catch (IOException e) {
      throw new MonitoringException(
          "cannot open the metrics endpoint on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    AtomicInteger threadNumber = new AtomicInteger();
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            r -> {
              Thread t = new Thread(r, "monitoring-http-" + threadNumber.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.CallerRunsPolicy());
    executor.allowCoreThreadTimeOut(true);
    return new EndpointServer(server, executor, token, errors);
  }

  /**
   * Sets each of {@link #SERVER_LIMITS} that is not set yet. Effective only before the JVM's first
   * {@code HttpServer} is created (the JDK reads them once); an explicit {@code -D} always wins.
   */
  static synchronized void applyServerLimits() {
    for (Map.Entry<String, String> limit : SERVER_LIMITS.entrySet()) {
      if (System.getProperty(limit.getKey()) == null) {
        System.setProperty(limit.getKey(), limit.getValue());
      }
    }
  }

  /** Serves {@code handler} at exactly {@code path}. */
  public void route(String path, EndpointAccess access, EndpointHandler handler) {
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("route path \"" + path + "\" must start with \"/\"");
    }
    Route previous = routes.putIfAbsent(path, new Route(access, handler));
    if (previous != null) {
      throw new IllegalArgumentException("route " + path + " is already served by another handler");
    }
  }

  public void start() {
    server.start();
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void dispatch(HttpExchange exchange) {
    try {
      Route route = routes.get(exchange.getRequestURI().getRawPath());
      String method = exchange.getRequestMethod();
      if (route == null) {
        sendText(exchange, 404, "Not Found\n");
        return;
      }
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        sendText(exchange, 405, "Method Not Allowed: use GET or HEAD\n");
        return;
      }
      boolean authorized = isAuthorized(exchange);
      if (route.access() == EndpointAccess.TOKEN && !authorized) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"monitoring\"");
        sendText(exchange, 401, "Unauthorized: send Authorization: Bearer <token>\n");
        return;
      }
      route.handler().handle(exchange, authorized);
    } catch (IOException e) {
      // the client went away; nothing to answer
      LOG.debug("endpoint request failed", e);
    } catch (RuntimeException e) {
      errors.warnOnce(
          "Endpoint handler for " + exchange.getRequestURI().getRawPath() + " failed: " + e);
      if (exchange.getResponseCode() == -1) {
        try {
          sendText(exchange, 500, "Internal Server Error\n");
        } catch (IOException ignored) {
          // the client went away
        }
      }
    } finally {
      exchange.close();
    }
  }

  private boolean isAuthorized(HttpExchange exchange) {
    if (tokenDigest == null) {
      return true;
    }
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    // digests make the comparison constant-time whatever the lengths
    return MessageDigest.isEqual(tokenDigest, sha256(header.substring(7).trim()));
  }

  /** Sends a short plain-text answer; HEAD gets the headers only. */
  public static void sendText(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
