package com.aicompanion.monitoring;

import com.aicompanion.monitoring.internal.ConfigKeys;
import com.aicompanion.monitoring.internal.ConfigLoader;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The frozen configuration of one monitored service: defaults &lt; environment &lt; system
 * properties &lt; builder. Keys are written in their canonical dotted form ({@code metrics.port}),
 * read from {@code MONITORING_METRICS_PORT} and {@code -Dmonitoring.metrics.port}.
 *
 * <pre>{@code
 * MonitoringConfig config = MonitoringConfig.fromEnvironment("ai-companion");
 * Optional<URI> es = config.uri("elasticsearch.url");
 * }</pre>
 *
 * <p>The typed getters throw {@link MonitoringException} naming the key as the user spelled it, the
 * bad value and the rule, e.g. {@code MONITORING_METRICS_PORT=abc is not a port number (0-65535)}.
 * Secret values never appear in messages.
 */
public final class MonitoringConfig {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

  private final Map<String, ConfigLoader.Value> values;
  private final String serviceName;
  private final String environment;
  private final String serviceVersion;

  MonitoringConfig(
      Map<String, ConfigLoader.Value> values, String defaultName, String defaultVersion) {
    this.values = Map.copyOf(values);
    this.serviceName = nonBlank("service.name", defaultName);
    this.environment = nonBlank("environment", "dev");
    this.serviceVersion = nonBlank("service.version", defaultVersion);
  }

  /**
   * The configuration of {@code serviceName} from the environment and system properties alone, for
   * modules installed without {@link Monitoring}.
   */
  public static MonitoringConfig fromEnvironment(String serviceName) {
    return load(serviceName, "unknown", System.getenv(), System.getProperties(), Map.of());
  }

  static MonitoringConfig load(
      String serviceName,
      String defaultVersion,
      Map<String, String> env,
      Properties properties,
      Map<String, String> builder) {
    if (serviceName == null || serviceName.isBlank()) {
      throw new IllegalArgumentException(
          "service name is "
              + (serviceName == null ? "null" : "blank")
              + ": pass the service's name, e.g. Monitoring.start(\"ai-companion\")");
    }
    ConfigLoader loader =
        ConfigLoader.load(env, properties, builder, Monitoring.Builder::methodFor);
    return new MonitoringConfig(loader.values(), serviceName, defaultVersion);
  }

  /**
   * The service name: {@code MONITORING_SERVICE_NAME}, else {@code OTEL_SERVICE_NAME}, else the
   * name given to start().
   */
  public String serviceName() {
    return serviceName;
  }

  /** {@code MONITORING_ENVIRONMENT}, default {@code dev}. */
  public String environment() {
    return environment;
  }

  /**
   * {@code MONITORING_SERVICE_VERSION}, default the application jar's manifest version, else {@code
   * unknown}.
   */
  public String serviceVersion() {
    return serviceVersion;
  }

  /**
   * The raw value of {@code key} (canonical form, e.g. {@code elasticsearch.url}), if set and not
   * blank.
   */
  public Optional<String> get(String key) {
    ConfigLoader.Value v = values.get(key);
    return v == null || v.value().isBlank() ? Optional.empty() : Optional.of(v.value());
  }

  /**
   * How the user set {@code key}, for messages: {@code MONITORING_LOG_LEVEL=TRACEE}, {@code
   * -Dmonitoring.log.level=x}, {@code metricsPort(70000)}; the environment name when unset. Secret
   * values are masked.
   */
  public String describe(String key) {
    ConfigLoader.Value v = values.get(key);
    return v == null ? ConfigKeys.envName(key) : v.describe(key);
  }

  /** {@code key} as a string, or {@code defaultValue}. */
  public String string(String key, String defaultValue) {
    return get(key).orElse(defaultValue);
  }

  /** {@code key} as an int within [min, max], or {@code defaultValue}. */
  public int integer(String key, int defaultValue, int min, int max) {
    Optional<String> raw = get(key);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(raw.get());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below with the rule
    }
    throw new MonitoringException(
        describe(key) + " is not a whole number in [" + min + ", " + max + "]");
  }

  /** {@code key} as {@code true}/{@code false}, or {@code defaultValue}. */
  public boolean bool(String key, boolean defaultValue) {
    Optional<String> raw = get(key);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    return switch (raw.get().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default ->
          throw new MonitoringException(describe(key) + " is not a boolean: use true or false");
    };
  }

  /**
   * {@code key} as a duration: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, a plain number
   * of seconds, or ISO-8601 ({@code PT10S}); else {@code defaultValue}.
   */
  public Duration duration(String key, Duration defaultValue) {
    Optional<String> raw = get(key);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    String text = raw.get().toLowerCase(Locale.ROOT);
    Matcher m = DURATION.matcher(text);
    if (m.matches()) {
      long amount = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      return switch (unit) {
        case "ms" -> Duration.ofMillis(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofSeconds(amount);
      };
    }
    try {
      Duration parsed = Duration.parse(raw.get().toUpperCase(Locale.ROOT));
      if (!parsed.isNegative()) {
        return parsed;
      }
    } catch (DateTimeParseException e) {
      // reported below with the rule
    }
    throw new MonitoringException(
        describe(key) + " is not a duration: use e.g. 500ms, 10s, 5m or PT10S");
  }

  /** {@code key} as an absolute http(s) URI, if set. */
  public Optional<URI> uri(String key) {
    Optional<String> raw = get(key);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(raw.get());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return Optional.of(uri);
      }
    } catch (URISyntaxException e) {
      // reported below with the rule
    }
    throw new MonitoringException(
        describe(key) + " is not an http(s) URL: use e.g. http://localhost:9200");
  }

  /** One of {@code allowed} (case-insensitive, returned in lower case), or {@code defaultValue}. */
  public String oneOf(String key, String defaultValue, String... allowed) {
    Optional<String> raw = get(key);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    String value = raw.get().toLowerCase(Locale.ROOT);
    for (String a : allowed) {
      if (a.equals(value)) {
        return value;
      }
    }
    throw new MonitoringException(describe(key) + " is not one of " + String.join(", ", allowed));
  }

  /** Parses every core key once, so that a bad value fails start() before anything runs. */
  void validateCore() {
    metricsHost();
    metricsPort();
    metricsPath();
    cardinalityLimit();
    shutdownTimeout();
    shutdownDrain();
    jvmMetrics();
  }

  // core keys

  String metricsHost() {
    return string("metrics.host", "0.0.0.0");
  }

  int metricsPort() {
    Optional<String> raw = get("metrics.port");
    if (raw.isEmpty()) {
      return 8000;
    }
    try {
      int port = Integer.parseInt(raw.get());
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below with the rule
    }
    throw new MonitoringException(describe("metrics.port") + " is not a port number (0-65535)");
  }

  String metricsPath() {
    String path = string("metrics.path", "/metrics");
    if (!path.startsWith("/") || path.length() < 2 || path.contains("?") || path.contains(" ")) {
      throw new MonitoringException(
          describe("metrics.path")
              + " is not a path: it must start with \"/\" and name a path, e.g. /metrics");
    }
    return path;
  }

  Optional<String> endpointToken() {
    return get("endpoint.token");
  }

  int cardinalityLimit() {
    return integer("cardinality.limit", 1000, 1, 1_000_000);
  }

  Duration shutdownTimeout() {
    return duration("shutdown.timeout", Duration.ofSeconds(10));
  }

  /** How long close() lets readiness answer 503 before stopping the endpoint server. */
  Duration shutdownDrain() {
    return duration("shutdown.drain", Monitoring.DEFAULT_SHUTDOWN_DRAIN);
  }

  boolean jvmMetrics() {
    return bool("jvm.metrics", true);
  }

  private String nonBlank(String key, String defaultValue) {
    ConfigLoader.Value v = values.get(key);
    if (v == null) {
      return defaultValue;
    }
    if (v.value().isBlank()) {
      throw new MonitoringException(describe(key) + " is blank: set a value or unset it");
    }
    return v.value();
  }

  /** The summary logged at start: every set key, secrets masked. */
  String summary() {
    StringBuilder text = new StringBuilder();
    values.forEach(
        (key, value) -> text.append(text.length() == 0 ? "" : ", ").append(value.describe(key)));
    return text.toString();
  }

  Map<String, ConfigLoader.Value> values() {
    return values;
  }
}
