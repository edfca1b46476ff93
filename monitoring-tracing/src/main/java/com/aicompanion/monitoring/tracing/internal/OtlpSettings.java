package com.aicompanion.monitoring.tracing.internal;

import com.aicompanion.monitoring.MonitoringException;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Our layer of OpenTelemetry autoconfigure properties. {@link #defaults} go under every {@code
 * OTEL_*} variable; {@link #overrides} (what the builder or a {@code MONITORING_TRACING_*} key set)
 * go over them, and also settle the OTLP protocol and check it against the endpoint's port.
 *
 * <pre>{@code
 * OtlpSettings settings = new OtlpSettings("ai-companion", endpoint, "builder otlpEndpoint(...)",
 *     null, null, 0.5, Map.of());
 * sdkBuilder.addPropertiesSupplier(settings::defaults).addPropertiesCustomizer(settings::overrides);
 * }</pre>
 */
public final class OtlpSettings {
  public static final String GRPC = "grpc";
  public static final String HTTP = "http/protobuf";
  static final int GRPC_PORT = 4317;
  static final int HTTP_PORT = 4318;

  private final String serviceName;
  private final String endpoint;
  private final String endpointSource;
  private final String protocol;
  private final String protocolSource;
  private final Double samplingRatio;
  private final Map<String, String> otelOverrides;
  private volatile String resolvedEndpoint = "http://localhost:" + GRPC_PORT;
  private volatile String resolvedProtocol = GRPC;

  /**
   * @param endpoint our explicit OTLP endpoint or {@code null}
   * @param endpointSource how the user set it, for messages, e.g. {@code
   *     MONITORING_TRACING_OTLP_ENDPOINT=http://x:4318}
   * @param protocol our explicit protocol or {@code null}
   * @param samplingRatio our explicit sampling ratio or {@code null}
   * @param otelOverrides raw {@code otel.*} properties that win over everything
   */
  public OtlpSettings(
      String serviceName,
      String endpoint,
      String endpointSource,
      String protocol,
      String protocolSource,
      Double samplingRatio,
      Map<String, String> otelOverrides) {
    this.serviceName = serviceName;
    this.endpoint = endpoint;
    this.endpointSource = endpointSource;
    this.protocol = protocol;
    this.protocolSource = protocolSource;
    this.samplingRatio = samplingRatio;
    this.otelOverrides = Map.copyOf(otelOverrides);
  }

  /** What we set when no {@code OTEL_*} variable or system property does. */
  public Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("otel.service.name", serviceName);
    d.put("otel.traces.sampler", "parentbased_traceidratio");
    d.put("otel.traces.sampler.arg", "1.0");
    d.put("otel.propagators", "tracecontext,baggage");
    // metrics go to Prometheus through Micrometer; logs through the logging module
    d.put("otel.metrics.exporter", "none");
    d.put("otel.logs.exporter", "none");
    return d;
  }

  /**
   * Our explicit settings over {@code config}, the settled protocol, and the protocol/port check.
   *
   * @throws MonitoringException when the protocol is unknown, the endpoint is not an http(s) URL,
   *     or the two do not match
   */
  public Map<String, String> overrides(ConfigProperties config) {
    Map<String, String> o = new LinkedHashMap<>();
    if (samplingRatio != null) {
      o.put("otel.traces.sampler", "parentbased_traceidratio");
      o.put("otel.traces.sampler.arg", samplingRatio.toString());
    }
    String exporters = pick(config, "otel.traces.exporter", "otlp");
    if (!exporters.contains("otlp")) {
      o.putAll(otelOverrides);
      return o;
    }
    String userProtocol =
        protocol != null
            ? protocol
            : first(config, "otel.exporter.otlp.traces.protocol", "otel.exporter.otlp.protocol");
    String protocolWhere =
        protocol != null
            ? protocolSource
            : get(config, "otel.exporter.otlp.traces.protocol") != null
                ? "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=" + userProtocol
                : "OTEL_EXPORTER_OTLP_PROTOCOL=" + userProtocol;
    String url;
    String urlWhere;
    boolean signalSpecific;
    if (endpoint != null) {
      url = endpoint;
      urlWhere = endpointSource;
      signalSpecific = false;
    } else if (get(config, "otel.exporter.otlp.traces.endpoint") != null) {
      url = get(config, "otel.exporter.otlp.traces.endpoint");
      urlWhere = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=" + url;
      signalSpecific = true;
    } else {
      url = get(config, "otel.exporter.otlp.endpoint");
      urlWhere = "OTEL_EXPORTER_OTLP_ENDPOINT=" + url;
      signalSpecific = false;
    }
    URI uri = url == null ? null : parse(url, urlWhere);
    String settled;
    if (userProtocol == null) {
      // no one chose: the well-known port decides, else the default, gRPC to Jaeger
      settled = uri != null && uri.getPort() == HTTP_PORT ? HTTP : GRPC;
    } else {
      settled = userProtocol.toLowerCase(Locale.ROOT);
      if (!settled.equals(GRPC) && !settled.equals(HTTP)) {
        throw new MonitoringException(
            protocolWhere
                + " is not an OTLP protocol this exporter speaks: use grpc (port 4317) or"
                + " http/protobuf (port 4318)");
      }
      if (uri != null) {
        checkMatch(settled, protocolWhere, uri, urlWhere);
      }
    }
    if (uri == null) {
      uri = URI.create("http://localhost:" + (settled.equals(GRPC) ? GRPC_PORT : HTTP_PORT));
    }
    String tracesUrl = tracesUrl(uri, settled, signalSpecific);
    o.put("otel.exporter.otlp.traces.protocol", settled);
    o.put("otel.exporter.otlp.traces.endpoint", tracesUrl);
    resolvedEndpoint = tracesUrl;
    resolvedProtocol = settled;
    o.putAll(otelOverrides);
    return o;
  }

  /** The traces endpoint the exporter sends to, once {@link #overrides} has run. */
  public String resolvedEndpoint() {
    return resolvedEndpoint;
  }

  /** {@code grpc} or {@code http/protobuf}, once {@link #overrides} has run. */
  public String resolvedProtocol() {
    return resolvedProtocol;
  }

  private static void checkMatch(String protocol, String protocolWhere, URI uri, String urlWhere) {
    int port = uri.getPort();
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (protocol.equals(GRPC) && (port == HTTP_PORT || path.endsWith("/v1/traces"))) {
      throw new MonitoringException(
          urlWhere
              + " is an OTLP/HTTP address but "
              + protocolWhere
              + " asks for gRPC: use port "
              + GRPC_PORT
              + " without a path for gRPC, or set OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf");
    }
    if (protocol.equals(HTTP) && port == GRPC_PORT) {
      throw new MonitoringException(
          urlWhere
              + " is the OTLP/gRPC port but "
              + protocolWhere
              + " asks for HTTP: use port "
              + HTTP_PORT
              + " for http/protobuf, or set OTEL_EXPORTER_OTLP_PROTOCOL=grpc");
    }
  }

  private static String tracesUrl(URI uri, String protocol, boolean signalSpecific) {
    String text = uri.toString();
    if (protocol.equals(GRPC) || signalSpecific || text.endsWith("/v1/traces")) {
      return text;
    }
    return (text.endsWith("/") ? text.substring(0, text.length() - 1) : text) + "/v1/traces";
  }

  private static URI parse(String url, String where) {
    URI uri = com.aicompanion.monitoring.ConfigKey.httpUrl(url);
    if (uri != null) {
      return uri;
    }
    throw new MonitoringException(
        where + " is not an http(s) URL: use e.g. http://localhost:4317 (OTLP/gRPC)");
  }

  private String first(ConfigProperties config, String key, String fallbackKey) {
    String value = get(config, key);
    return value != null ? value : get(config, fallbackKey);
  }

  /** A raw override wins over the merged environment, system properties and defaults. */
  private String get(ConfigProperties config, String key) {
    String value = otelOverrides.get(key);
    return value != null ? value : config.getString(key);
  }

  private String pick(ConfigProperties config, String key, String defaultValue) {
    String value = get(config, key);
    return value != null ? value : defaultValue;
  }
}
