package com.aicompanion.monitoring.http;

import com.aicompanion.monitoring.Monitor;
import com.aicompanion.monitoring.http.internal.ServerRequests;
import com.aicompanion.monitoring.http.internal.ServletServerFilter;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.servlet.Filter;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Instruments a Jakarta Servlet 6 container (Jetty 12 ee10, Tomcat 10.1, ...) with one filter.
 *
 * <pre>{@code
 * context.addFilter(ServletInstrumentation.filter(monitor), "/*", EnumSet.of(DispatcherType.REQUEST));
 *
 * // with templates for a servlet that routes by itself:
 * Filter filter = ServletInstrumentation.builder(monitor).routes("/api/conversations/{id}").filter();
 * }</pre>
 *
 * <p>Records what {@link HttpServerInstrumentation} records. Route ({@code uri}): the first
 * matching template (matched against the request URI's path, context path included), else the
 * pattern of the servlet mapping that matched, prefixed with the context path ({@code /api/chat},
 * {@code /api/files/*}); a request only the default servlet ({@code /}) takes matched no route.
 * Status: the response's; when the chain threw before the response was committed, 500 (what the
 * container answers), with {@code error_type} the exception's class (the cause of a {@code
 * ServletException}). An async request is recorded when it completes. Needs jakarta.servlet-api 6,
 * which the container provides.
 */
public final class ServletInstrumentation {
  private ServletInstrumentation() {}

  /** A filter with the servlet mappings as routes and the global OpenTelemetry. */
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
     * Route templates tried before the servlet mapping; see {@link RouteResolver#templates}.
     * Default: none.
     *
     * @throws IllegalArgumentException for a malformed template, naming it
     */
    public Builder routes(String... templates) {
      this.resolver = RouteResolver.templates(templates);
      return this;
    }

    /** The resolver tried before the servlet mapping (replaces {@link #routes}). */
    public Builder routeResolver(RouteResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /** The OpenTelemetry for spans. Default: the global one, looked up per request. */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
      return this;
    }

    /** A new filter. */
    public Filter filter() {
      return new ServletServerFilter(new ServerRequests(monitor, openTelemetry), resolver);
    }
  }
}
