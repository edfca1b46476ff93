package com.aicompanion.monitoring.otlp.internal;

import java.net.URI;

/**
 * The rule for {@code metrics.otlp.endpoint}: a URL whose path is empty or {@code /} is a base URL
 * (the {@code OTEL_EXPORTER_OTLP_ENDPOINT} habit) and gets OTLP/HTTP's metrics path {@value #PATH}
 * appended, as OpenTelemetry's exporters do for the generic endpoint; any other path is the
 * receiver's own (a proxy prefix, a vendor path) and is used as written.
 *
 * <pre>{@code
 * MetricsEndpoint.resolve(URI.create("http://collector:4318"))  // http://collector:4318/v1/metrics
 * MetricsEndpoint.resolve(URI.create("http://gw/otlp/v1/metrics"))  // unchanged
 * }</pre>
 */
public final class MetricsEndpoint {
  /** OTLP/HTTP's path for metrics. */
  public static final String PATH = "/v1/metrics";

  private MetricsEndpoint() {}

  /** {@code endpoint} with {@value #PATH} when its path is empty or {@code /}, else unchanged. */
  public static URI resolve(URI endpoint) {
    if (!appendsPath(endpoint)) {
      return endpoint;
    }
    StringBuilder url = new StringBuilder();
    url.append(endpoint.getScheme()).append("://").append(endpoint.getRawAuthority()).append(PATH);
    if (endpoint.getRawQuery() != null) {
      url.append('?').append(endpoint.getRawQuery());
    }
    if (endpoint.getRawFragment() != null) {
      url.append('#').append(endpoint.getRawFragment());
    }
    return URI.create(url.toString());
  }

  /** Whether {@link #resolve} appends the path: a hierarchical URL whose path is empty or "/". */
  public static boolean appendsPath(URI endpoint) {
    String path = endpoint.getRawPath();
    return !endpoint.isOpaque()
        && endpoint.getRawAuthority() != null
        && (path == null || path.isEmpty() || path.equals("/"));
  }

  /** {@code url} for a log line: a user-info part (credentials) is replaced with {@code ***}. */
  static String forLog(String url) {
    try {
      URI uri = URI.create(url);
      String userInfo = uri.getRawUserInfo();
      return userInfo == null ? url : url.replace(userInfo + "@", "***@");
    } catch (IllegalArgumentException e) {
      return "(an unparsable URL)";
    }
  }
}
