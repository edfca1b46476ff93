package com.aicompanion.monitoring.http;

import com.aicompanion.monitoring.Monitor;
import com.aicompanion.monitoring.http.internal.JdkServerFilter;
import com.aicompanion.monitoring.http.internal.ServerRequests;
import com.sun.net.httpserver.Filter;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Instruments the JDK HTTP server ({@code com.sun.net.httpserver}) with one filter per context.
 *
 * <pre>{@code
 * server.createContext("/", handler).getFilters().add(HttpServerInstrumentation.filter(monitor));
 *
 * // with route templates for a context that routes by itself:
 * Filter filter = HttpServerInstrumentation.builder(monitor)
 *     .routes("/chat", "/conversations/{id}")
 *     .filter();
 * }</pre>
 *
 * <p>Per request the filter records {@code http_server_requests_seconds{method, uri, status,
 * outcome, error_type}} ({@link Monitor#http()}), runs the handler inside a SERVER span that
 * continues the caller's W3C {@code traceparent} (attributes, name and error status after
 * OpenTelemetry's HTTP semantic conventions), and puts {@code trace.id}, {@code span.id}, {@code
 * http.request.method} and {@code url.path} in the MDC for the request's log lines; the histogram
 * is recorded inside the span, so that it keeps the trace as an exemplar.
 *
 * <p>Route ({@code uri}): the first matching {@link #builder template}, else the context path for a
 * request to exactly that path, else {@code <context>/**} below a context other than {@code /},
 * else no route: an unmatched 404 is {@code NOT_FOUND}, a matched route keeps its route for every
 * status. Spans come from the OpenTelemetry given to the builder, else the global one (the
 * monitoring-tracing {@code Tracing}, or {@code GlobalOpenTelemetry}); without tracing the filter
 * records metrics and the MDC fields only. Failures of the instrumentation never reach the handler:
 * they are logged once. What the handler throws is recorded and rethrown unchanged.
 */
public final class HttpServerInstrumentation {
  private HttpServerInstrumentation() {}

  /**
   * A filter with the context path as route and the global OpenTelemetry.
   *
   * @param monitor where the metrics go; not null
   */
  public static Filter filter(Monitor monitor) {
    return builder(monitor).filter();
  }

  /** A builder for a filter with route templates or its own OpenTelemetry. */
  public static Builder builder(Monitor monitor) {
    return new Builder(Objects.requireNonNull(monitor, "monitor"));
  }

  /** Settings of a filter, frozen by {@link #filter()}. Not thread-safe. */
  public static final class Builder {
    private final Monitor monitor;
    private @Nullable RouteResolver resolver;
    private @Nullable OpenTelemetry openTelemetry;

    private Builder(Monitor monitor) {
      this.monitor = monitor;
    }

    /**
     * Route templates tried before the context path; see {@link RouteResolver#templates}. Default:
     * none.
     *
     * @throws IllegalArgumentException for a malformed template, naming it
     */
    public Builder routes(String... templates) {
      this.resolver = RouteResolver.templates(templates);
      return this;
    }

    /**
     * The resolver tried before the context path (replaces {@link #routes}). Default: none.
     *
     * @param resolver must return templates, never raw paths; not null
     */
    public Builder routeResolver(RouteResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /**
     * The OpenTelemetry for spans and propagation. Default: the global one, looked up per request
     * so that a {@code Tracing} installed later is used.
     */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
      return this;
    }

    /** A new filter; add it to each context with {@code context.getFilters().add(filter)}. */
    public Filter filter() {
      return new JdkServerFilter(new ServerRequests(monitor, openTelemetry), resolver);
    }
  }
}
