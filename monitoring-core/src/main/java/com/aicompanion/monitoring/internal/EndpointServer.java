package com.aicompanion.monitoring.internal;

import com.aicompanion.monitoring.EndpointAccess;
import com.aicompanion.monitoring.EndpointHandler;
import com.aicompanion.monitoring.MonitoringException;
import com.aicompanion.monitoring.internal.RequestWatchdog.ServerLimits;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
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
 * EndpointServer server =
 *     EndpointServer.bind("127.0.0.1", 0, null, "port 0", ServerLimits.DEFAULT, errors);
 * server.route("/metrics", EndpointAccess.TOKEN, handler);
 * server.start();
 * }</pre>
 *
 * <p>The JDK server reads a request with blocking I/O on a pool thread and, by default, waits
 * forever for a request that never completes. Its own limits are JVM-wide system properties that
 * would change the application's JDK servers too, so none is set: the {@link RequestWatchdog} on
 * this server's pool cuts a request that has not arrived within 10 s and an answer not taken within
 * 60 s, and the dispatcher refuses a request line over {@value #MAX_URI_CHARS} characters (414) and
 * headers over {@value #MAX_HEADER_BYTES} bytes or {@value #MAX_HEADER_LINES} lines (431). The
 * JDK's own defaults stay in force before that (request line and headers up to 380 KiB, 200
 * distinct header names: larger ones close the connection), as do its idle-connection sweep (30 s
 * idle, checked every 10 s) and its Nagle setting (no {@code TCP_NODELAY}; see
 * docs/configuration.md).
 */
public final class EndpointServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointServer.class);

  /**
   * Pool threads; idle ones end after 60 s. More than a scrape needs, so that a few clients that
   * stall mid-request (each holds a thread until {@code maxReqTime}) do not delay scrapes.
   */
  static final int THREADS = 16;

  static final int QUEUE = 256;

  /** Request-target characters beyond which a request gets 414. */
  static final int MAX_URI_CHARS = 8 * 1024;

  /** Bytes of header names and values (plus ": " and CRLF) beyond which a request gets 431. */
  static final int MAX_HEADER_BYTES = 64 * 1024;

  /** Header lines beyond which a request gets 431. */
  static final int MAX_HEADER_LINES = 100;

  private record Route(EndpointAccess access, EndpointHandler handler) {}

  private final HttpServer server;
  private final ThreadPoolExecutor executor;
  private final RequestWatchdog watchdog;
  private final byte[] tokenDigest;
  private final Map<String, Route> routes = new ConcurrentHashMap<>();
  private final RecordingErrors errors;
  private final java.util.concurrent.atomic.AtomicBoolean started =
      new java.util.concurrent.atomic.AtomicBoolean();

  private EndpointServer(
      HttpServer server,
      ThreadPoolExecutor executor,
      ServerLimits limits,
      String token,
      RecordingErrors errors) {
    this.server = server;
    this.executor = executor;
    this.watchdog = new RequestWatchdog(executor, limits);
    this.tokenDigest = token == null ? null : sha256(token);
    this.errors = errors;
    server.createContext("/", this::dispatch);
    server.setExecutor(watchdog);
  }

  /**
   * Binds {@code host:port} (0 for an ephemeral port) without serving yet.
   *
   * @param token the bearer token that {@link EndpointAccess#TOKEN} routes require, or {@code null}
   * @param portSetting how the user set the port, for the error message
   * @param limits this server's request and response time limits
   * @throws MonitoringException when the port is taken or the host cannot be bound
   */
  public static EndpointServer bind(
      String host,
      int port,
      String token,
      String portSetting,
      ServerLimits limits,
      RecordingErrors errors) {
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new MonitoringException(
          "metrics host \""
              + host
              + "\" cannot be resolved; set MONITORING_METRICS_HOST to an address of this machine, e.g. 0.0.0.0");
    }
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
    return new EndpointServer(server, executor, limits, token, errors);
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

  /**
   * Serves. The JDK server's dispatcher thread takes the daemon status of the thread that starts
   * it, so it is started from a daemon thread: the endpoint server never keeps the JVM alive after
   * the application's own threads end (a batch job exits when its main() returns).
   */
  public void start() {
    if (!started.compareAndSet(false, true)) {
      return;
    }
    Thread starter = new Thread(server::start, "monitoring-http-start");
    starter.setDaemon(true);
    starter.start();
    try {
      starter.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MonitoringException("interrupted while starting the endpoint server", e);
    }
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  /**
   * Stops serving and frees the port. A server that was bound but never started (a module failed
   * during {@code Monitoring.start}) is started first: the JDK server closes its listening socket
   * only through its dispatcher's selector, so without a dispatcher the port would stay bound.
   */
  @Override
  public void close() {
    start();
    server.stop(0);
    executor.shutdownNow();
    watchdog.close();
  }

  private void dispatch(HttpExchange exchange) {
    watchdog.responding();
    // One request per connection. The JDK server writes the headers and the body in two
    // segments and cannot set TCP_NODELAY for one server only (only JVM-wide, which the library
    // never changes), so on a kept-alive connection a small answer waits ~40 ms for the client's
    // delayed ACK (Nagle). Closing after the answer sends it at once; scrapers and probes pay a
    // new loopback/LAN connection instead (kubelet opens one per probe anyway).
    exchange.getResponseHeaders().set("Connection", "close");
    try {
      if (exchange.getRequestURI().toString().length() > MAX_URI_CHARS) {
        exchange.getResponseHeaders().set("Connection", "close");
        sendText(exchange, 414, "URI Too Long: at most " + MAX_URI_CHARS + " characters\n");
        return;
      }
      if (headersTooLarge(exchange.getRequestHeaders())) {
        exchange.getResponseHeaders().set("Connection", "close");
        sendText(
            exchange,
            431,
            "Request Header Fields Too Large: at most "
                + MAX_HEADER_LINES
                + " lines and "
                + MAX_HEADER_BYTES
                + " bytes\n");
        return;
      }
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

  static boolean headersTooLarge(Headers headers) {
    int lines = 0;
    long bytes = 0;
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      for (String value : header.getValue()) {
        lines++;
        bytes += header.getKey().length() + value.length() + 4;
      }
    }
    return lines > MAX_HEADER_LINES || bytes > MAX_HEADER_BYTES;
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
