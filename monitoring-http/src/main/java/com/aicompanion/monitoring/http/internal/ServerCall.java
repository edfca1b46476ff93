package com.aicompanion.monitoring.http.internal;

import java.net.InetSocketAddress;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One server request as the HTTP semantic conventions read it, over the JDK exchange or a servlet
 * request.
 *
 * <pre>{@code
 * ServerCall call = new JdkServerCall(exchange, route);
 * }</pre>
 */
public abstract class ServerCall {
  final String method;
  final String path;
  final @Nullable String route;

  protected ServerCall(String method, String path, @Nullable String route) {
    this.method = method;
    this.path = path;
    this.route = route;
  }

  /** The values of request header {@code name} (case-insensitive); empty when absent. */
  public abstract List<String> header(String name);

  /** The values of response header {@code name}; empty when absent. */
  public abstract List<String> responseHeader(String name);

  public abstract @Nullable String scheme();

  public abstract @Nullable String query();

  public abstract @Nullable String protocolVersion();

  public abstract @Nullable InetSocketAddress peer();

  public abstract @Nullable InetSocketAddress local();

  public String method() {
    return method;
  }

  public String path() {
    return path;
  }

  public @Nullable String route() {
    return route;
  }
}
