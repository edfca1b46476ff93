package com.aicompanion.monitoring.http.internal;

import com.aicompanion.monitoring.HttpServerMetrics;
import com.aicompanion.monitoring.http.RouteResolver;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The JDK HTTP server filter behind {@code HttpServerInstrumentation}: resolves the route (the
 * user's templates first, then the context path), runs the chain inside a SERVER span and records
 * the request.
 *
 * <pre>{@code
 * server.createContext("/", handler).getFilters().add(new JdkServerFilter(requests, templates));
 * }</pre>
 *
 * <p>Status: what the handler sent; when it threw before sending headers, 500 for an exception of
 * the handler and {@code NO_RESPONSE} for an {@link IOException} (the client went away); when it
 * returned without sending headers, {@code NO_RESPONSE}. The exception is rethrown unchanged.
 */
public final class JdkServerFilter extends Filter {
  private final ServerRequests requests;
  private final @Nullable RouteResolver resolver;

  public JdkServerFilter(ServerRequests requests, @Nullable RouteResolver resolver) {
    this.requests = requests;
    this.resolver = resolver;
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    long start = System.nanoTime();
    String path = exchange.getRequestURI().getRawPath();
    if (path == null || path.isEmpty()) {
      path = "/";
    }
    String route = resolver == null ? null : requests.route(resolver, path);
    if (route == null) {
      route = contextRoute(exchange.getHttpContext().getPath(), path);
    }
    ServerRequests.Handle h = requests.start(start, new Call(exchange, path, route));
    Throwable error = null;
    try {
      chain.doFilter(exchange);
    } catch (IOException | RuntimeException | Error e) {
      error = e;
      throw e;
    } finally {
      int sent = exchange.getResponseCode();
      int status;
      if (sent > 0) {
        status = sent;
      } else if (error == null || error instanceof IOException) {
        status = HttpServerMetrics.NO_RESPONSE;
      } else {
        status = 500;
      }
      try {
        requests.finish(h, System.nanoTime(), status, sent > 0, error);
      } finally {
        requests.detach(h);
      }
    }
  }

  /**
   * The route the server itself matched: the context path for a request to it exactly, {@code
   * <context>/**} below a context other than the root, none below the root (whose handler routes by
   * itself, unknown to us).
   */
  static @Nullable String contextRoute(String context, String path) {
    if (path.equals(context)) {
      return context;
    }
    if (context.equals("/")) {
      return null;
    }
    return context.endsWith("/") ? context + "**" : context + "/**";
  }

  @Override
  public String description() {
    return "companion-monitoring HTTP server metrics, span and log trace ids";
  }

  private static final class Call extends ServerCall {
    private final HttpExchange exchange;

    Call(HttpExchange exchange, String path, @Nullable String route) {
      super(exchange.getRequestMethod(), path, route);
      this.exchange = exchange;
    }

    @Override
    public List<String> header(String name) {
      List<String> values = exchange.getRequestHeaders().get(name);
      return values == null ? List.of() : values;
    }

    @Override
    public List<String> responseHeader(String name) {
      List<String> values = exchange.getResponseHeaders().get(name);
      return values == null ? List.of() : values;
    }

    @Override
    public String scheme() {
      return exchange instanceof HttpsExchange ? "https" : "http";
    }

    @Override
    public @Nullable String query() {
      return exchange.getRequestURI().getRawQuery();
    }

    @Override
    public @Nullable String protocolVersion() {
      String protocol = exchange.getProtocol();
      int slash = protocol == null ? -1 : protocol.indexOf('/');
      return slash < 0 ? null : protocol.substring(slash + 1);
    }

    @Override
    public @Nullable InetSocketAddress peer() {
      return exchange.getRemoteAddress();
    }

    @Override
    public @Nullable InetSocketAddress local() {
      return exchange.getLocalAddress();
    }
  }
}
