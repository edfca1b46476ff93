package com.aicompanion.monitoring.http.internal;

import com.aicompanion.monitoring.HttpServerMetrics;
import com.aicompanion.monitoring.http.RouteResolver;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The Jakarta Servlet filter behind {@code ServletInstrumentation}: the route is the user's
 * template, else the pattern of the servlet mapping that matched (prefixed with the context path);
 * the default servlet ({@code /}) is no match.
 *
 * <pre>{@code
 * context.addFilter(new FilterHolder(new ServletServerFilter(requests, null)), "/*", null);
 * }</pre>
 *
 * <p>Status: the response's; when the chain threw and nothing was committed, 500 (what the
 * container answers). An async request is recorded when it completes.
 */
public final class ServletServerFilter implements Filter {
  private final ServerRequests requests;
  private final @Nullable RouteResolver resolver;

  public ServletServerFilter(ServerRequests requests, @Nullable RouteResolver resolver) {
    this.requests = requests;
    this.resolver = resolver;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest request)
        || !(res instanceof HttpServletResponse response)
        || request.getDispatcherType() != jakarta.servlet.DispatcherType.REQUEST) {
      chain.doFilter(req, res);
      return;
    }
    long start = System.nanoTime();
    String path = request.getRequestURI();
    if (path == null || path.isEmpty()) {
      path = "/";
    }
    String route = resolver == null ? null : requests.route(resolver, path);
    if (route == null) {
      route = mappingRoute(request);
    }
    ServerRequests.Handle h = requests.start(start, new Call(request, response, path, route));
    Throwable error = null;
    boolean async = false;
    try {
      chain.doFilter(request, response);
      if (request.isAsyncStarted()) {
        async = true;
        request.getAsyncContext().addListener(new Completion(h, response));
      }
    } catch (IOException | ServletException | RuntimeException | Error e) {
      error = e;
      throw e;
    } finally {
      try {
        if (!async) {
          if (error == null
              && request.getAttribute(jakarta.servlet.RequestDispatcher.ERROR_EXCEPTION)
                  instanceof Throwable handled) {
            // the container caught what the servlet threw and answered with an error page
            error = handled;
          }
          int status =
              error != null && !response.isCommitted()
                  ? 500
                  : response.getStatus() > 0 ? response.getStatus() : HttpServerMetrics.NO_RESPONSE;
          requests.finish(h, System.nanoTime(), status, true, unwrap(error));
        }
      } finally {
        requests.detach(h);
      }
    }
  }

  private static @Nullable Throwable unwrap(@Nullable Throwable error) {
    if (error instanceof ServletException && error.getCause() != null) {
      return error.getCause();
    }
    return error;
  }

  static @Nullable String mappingRoute(HttpServletRequest request) {
    HttpServletMapping mapping = request.getHttpServletMapping();
    if (mapping == null || mapping.getMappingMatch() == null) {
      return null;
    }
    String context = request.getContextPath() == null ? "" : request.getContextPath();
    String pattern = mapping.getPattern();
    switch (mapping.getMappingMatch()) {
      case CONTEXT_ROOT:
        return context.isEmpty() ? "/" : context;
      case EXACT:
      case PATH:
        return context + pattern;
      case EXTENSION:
        return context + "/" + pattern;
      case DEFAULT:
      default:
        return null;
    }
  }

  private final class Completion implements AsyncListener {
    private final ServerRequests.Handle handle;
    private final HttpServletResponse response;
    private @Nullable Throwable error;

    Completion(ServerRequests.Handle handle, HttpServletResponse response) {
      this.handle = handle;
      this.response = response;
    }

    @Override
    public void onComplete(AsyncEvent event) {
      requests.finishElsewhere(handle, System.nanoTime(), response.getStatus(), error);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      error = event.getThrowable();
    }

    @Override
    public void onError(AsyncEvent event) {
      error = event.getThrowable();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      event.getAsyncContext().addListener(this);
    }
  }

  private static final class Call extends ServerCall {
    private final HttpServletRequest request;
    private final HttpServletResponse response;

    Call(
        HttpServletRequest request,
        HttpServletResponse response,
        String path,
        @Nullable String route) {
      super(request.getMethod(), path, route);
      this.request = request;
      this.response = response;
    }

    @Override
    public List<String> header(String name) {
      Enumeration<String> values = request.getHeaders(name);
      if (values == null || !values.hasMoreElements()) {
        return List.of();
      }
      String first = values.nextElement();
      if (!values.hasMoreElements()) {
        return List.of(first);
      }
      List<String> all = new ArrayList<>();
      all.add(first);
      all.addAll(Collections.list(values));
      return all;
    }

    @Override
    public List<String> responseHeader(String name) {
      Collection<String> values = response.getHeaders(name);
      return values == null ? List.of() : List.copyOf(values);
    }

    @Override
    public @Nullable String scheme() {
      return request.getScheme();
    }

    @Override
    public @Nullable String query() {
      return request.getQueryString();
    }

    @Override
    public @Nullable String protocolVersion() {
      String protocol = request.getProtocol();
      int slash = protocol == null ? -1 : protocol.indexOf('/');
      return slash < 0 ? null : protocol.substring(slash + 1);
    }

    @Override
    public @Nullable InetSocketAddress peer() {
      return InetSocketAddress.createUnresolved(request.getRemoteAddr(), request.getRemotePort());
    }

    @Override
    public @Nullable InetSocketAddress local() {
      return InetSocketAddress.createUnresolved(request.getLocalAddr(), request.getLocalPort());
    }
  }
}
