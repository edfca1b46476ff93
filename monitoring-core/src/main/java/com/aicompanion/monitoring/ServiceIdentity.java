package com.aicompanion.monitoring;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Who is being monitored: the service's name, environment, version and instance, resolved once and
 * given to every signal alike (metrics' {@code app_info}, every log line, the trace resource,
 * Sentry events, {@code /health}).
 *
 * <pre>{@code
 * ServiceIdentity id = Monitoring.start("ai-companion").config().identity();
 * id.name(); id.environment(); id.version(); id.instanceId();
 * }</pre>
 *
 * <p>Each field comes from the first of these that is set (the table is also in
 * docs/configuration.md):
 *
 * <table>
 *   <caption>precedence, highest first</caption>
 *   <tr><th>field</th><th>sources</th></tr>
 *   <tr><td>name</td><td>{@code config("service.name", ..)}, {@code -Dmonitoring.service.name},
 *   {@code MONITORING_SERVICE_NAME}, {@code -Dotel.service.name}, {@code OTEL_SERVICE_NAME},
 *   {@code service.name} in {@code -Dotel.resource.attributes} then {@code
 *   OTEL_RESOURCE_ATTRIBUTES}, the name given to {@code start()}</td></tr>
 *   <tr><td>environment</td><td>{@code environment(..)}, {@code -Dmonitoring.environment}, {@code
 *   MONITORING_ENVIRONMENT}, {@code deployment.environment.name} (or the older {@code
 *   deployment.environment}) in the OTel resource attributes, {@code SENTRY_ENVIRONMENT}, {@code
 *   dev}</td></tr>
 *   <tr><td>version</td><td>{@code version(..)}, {@code -Dmonitoring.service.version}, {@code
 *   MONITORING_SERVICE_VERSION}, {@code service.version} in the OTel resource attributes, the
 *   {@code Implementation-Version} of the application's jar (the first class on the calling stack
 *   that is not this library's or the JDK's), {@code unknown}</td></tr>
 *   <tr><td>instance</td><td>{@code config("service.instance.id", ..)}, {@code
 *   -Dmonitoring.service.instance.id}, {@code MONITORING_SERVICE_INSTANCE_ID}, {@code
 *   service.instance.id} in the OTel resource attributes, {@code HOSTNAME}, the local host name,
 *   {@code unknown}</td></tr>
 * </table>
 *
 * <p>The resolved identity is put into OpenTelemetry's resource above every {@code OTEL_*} setting,
 * so spans can never name another service than logs and metrics.
 *
 * @param name the service name; never blank
 * @param environment e.g. {@code prod}; never blank
 * @param version the application's version, or {@code unknown}; never blank
 * @param instanceId this instance, by default the host name; never blank
 */
public record ServiceIdentity(String name, String environment, String version, String instanceId) {
  /** The source of a field that nobody set: its built-in default. */
  static final String DEFAULT = "default";

  /** The sources of an instance id that the host gave, not the user. */
  static final String HOSTNAME = "HOSTNAME";

  static final String LOCAL_HOST = "the local host name";

  /** The fields' sources as the start-up line names them, e.g. {@code OTEL_SERVICE_NAME}. */
  record Sourced(ServiceIdentity identity, Map<String, String> sources) {}

  /**
   * Resolves the identity from the configuration layers and the OpenTelemetry and Sentry variables.
   *
   * @param values the loaded configuration (builder, system properties, environment) by canonical
   *     key: the value and, second, how the user set it
   * @param startName the name given to {@code start()}
   * @param applicationVersion the application's jar version, or null
   */
  static Sourced resolve(
      Map<String, String[]> values,
      Map<String, String> env,
      Properties properties,
      String startName,
      String applicationVersion) {
    Map<String, String> otelResource = new LinkedHashMap<>();
    otelResource.putAll(resourceAttributes(env.get("OTEL_RESOURCE_ATTRIBUTES")));
    otelResource.putAll(resourceAttributes(properties.getProperty("otel.resource.attributes")));
    String resourceSource =
        properties.getProperty("otel.resource.attributes") != null
            ? "-Dotel.resource.attributes"
            : "OTEL_RESOURCE_ATTRIBUTES";
    Map<String, String> sources = new LinkedHashMap<>();
    String name =
        first(
            sources,
            "name",
            values,
            "service.name",
            new String[] {
              properties.getProperty("otel.service.name"),
              "-Dotel.service.name",
              env.get("OTEL_SERVICE_NAME"),
              "OTEL_SERVICE_NAME",
              otelResource.get("service.name"),
              resourceSource,
              startName,
              "start(\"" + startName + "\")"
            });
    String environment =
        first(
            sources,
            "environment",
            values,
            "environment",
            new String[] {
              otelResource.get("deployment.environment.name"),
              resourceSource,
              otelResource.get("deployment.environment"),
              resourceSource,
              env.get("SENTRY_ENVIRONMENT"),
              "SENTRY_ENVIRONMENT",
              "dev",
              DEFAULT
            });
    String version =
        first(
            sources,
            "version",
            values,
            "service.version",
            new String[] {
              otelResource.get("service.version"),
              resourceSource,
              applicationVersion,
              "the application jar's Implementation-Version",
              "unknown",
              DEFAULT
            });
    String instance =
        first(
            sources,
            "instance",
            values,
            "service.instance.id",
            new String[] {
              otelResource.get("service.instance.id"), resourceSource, env.get(HOSTNAME), HOSTNAME
            });
    if (instance == null) {
      // only now: resolving the local host name can take long on a badly configured host
      String host = localHostName();
      instance = host == null || host.isBlank() ? "unknown" : host;
      sources.put("instance", host == null || host.isBlank() ? DEFAULT : LOCAL_HOST);
    }
    return new Sourced(new ServiceIdentity(name, environment, version, instance), sources);
  }

  private static String first(
      Map<String, String> sources,
      String field,
      Map<String, String[]> values,
      String key,
      String[] fallbacks) {
    String[] configured = values.get(key);
    // a blank value means unset, as for every other key (Helm renders empty entries)
    if (configured != null && !configured[0].isBlank()) {
      sources.put(field, configured[1]);
      return configured[0].trim();
    }
    for (int i = 0; i < fallbacks.length; i += 2) {
      String value = fallbacks[i];
      if (value != null && !value.isBlank()) {
        sources.put(field, fallbacks[i + 1]);
        return value.trim();
      }
    }
    return null;
  }

  /**
   * {@code OTEL_RESOURCE_ATTRIBUTES}: {@code key=value} pairs separated by commas, values
   * percent-encoded (the OpenTelemetry specification's format); malformed pairs are skipped, as the
   * SDK does.
   */
  static Map<String, String> resourceAttributes(String text) {
    Map<String, String> attributes = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return attributes;
    }
    for (String pair : text.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      attributes.put(pair.substring(0, eq).trim(), decode(pair.substring(eq + 1).trim()));
    }
    return attributes;
  }

  /**
   * Percent-decoding as OpenTelemetry's SDK does for resource attributes: {@code %XX} only ({@code
   * +} stays a plus, so {@code 1.0.0+build.5} is kept), and a malformed escape kept as written.
   */
  static String decode(String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%' && i + 2 < text.length()) {
        int hi = Character.digit(text.charAt(i + 1), 16);
        int lo = Character.digit(text.charAt(i + 2), 16);
        if (hi >= 0 && lo >= 0) {
          bytes.write(hi * 16 + lo);
          i += 2;
          continue;
        }
      }
      byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
      bytes.write(raw, 0, raw.length);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
