package com.aicompanion.monitoring.logging.internal;

import ch.qos.logback.classic.Level;
import com.aicompanion.monitoring.MonitoringConfig;
import com.aicompanion.monitoring.MonitoringException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The logging module's settings: builder values over the {@link MonitoringConfig}, validated with
 * messages that name the key as the user spelled it, the value and the fix.
 *
 * <pre>{@code
 * LoggingSettings settings = LoggingSettings.resolve(config, builderValues, levels, masks);
 * LogbackSetup.install(settings.options(null, counters));
 * }</pre>
 */
public final class LoggingSettings {
  /** Keys this module reads beyond those monitoring-core documents. */
  public static final Set<String> EXTRA_KEYS =
      Set.of(
          "log.levels",
          "log.mask.emails",
          "log.queue.capacity",
          "log.close.timeout",
          "elasticsearch.queue.capacity",
          "elasticsearch.batch.size",
          "elasticsearch.batch.bytes",
          "elasticsearch.flush.interval",
          "elasticsearch.max.backoff");

  private final MonitoringConfig config;
  private final Map<String, String> builder;
  private final Map<String, String> levels;
  private final List<Pattern> extraMasks;

  private LoggingSettings(
      MonitoringConfig config,
      Map<String, String> builder,
      Map<String, String> levels,
      List<Pattern> extraMasks) {
    this.config = config;
    this.builder = builder;
    this.levels = levels;
    this.extraMasks = extraMasks;
  }

  public static LoggingSettings resolve(
      MonitoringConfig config,
      Map<String, String> builder,
      Map<String, String> levels,
      List<Pattern> extraMasks) {
    return new LoggingSettings(config, Map.copyOf(builder), Map.copyOf(levels), extraMasks);
  }

  /** Validates every setting and freezes them. */
  public LogbackSetup.Options options(OutputStream output, ShippingCounters counters) {
    String format = raw("log.format").orElse("json").toLowerCase(Locale.ROOT);
    if (!format.equals("json") && !format.equals("text")) {
      throw bad("log.format", "is not one of json, text");
    }
    Level root = level("log.level", raw("log.level").orElse("INFO"));
    Map<String, Level> perLogger = new LinkedHashMap<>();
    raw("log.levels")
        .ifPresent(
            list -> {
              for (String item : list.split(",")) {
                String[] parts = item.trim().split("=", 2);
                if (parts.length != 2 || parts[0].isBlank()) {
                  throw bad("log.levels", "is not a list of logger=LEVEL, e.g. com.zaxxer=WARN");
                }
                perLogger.put(parts[0].trim(), level("log.levels", parts[1].trim()));
              }
            });
    levels.forEach((name, value) -> perLogger.put(name, level(name, value)));
    SecretMasker masker = SecretMasker.defaults(bool("log.mask.emails", false), extraMasks);
    Duration closeTimeout = duration("log.close.timeout", Duration.ofSeconds(5));
    EcsEncoders.Identity identity =
        new EcsEncoders.Identity(
            config.serviceName(), config.serviceVersion(), config.environment(), hostname());
    return new LogbackSetup.Options(
        identity,
        format.equals("json"),
        root,
        perLogger,
        masker,
        output == null ? System.out : output,
        integer("log.queue.capacity", 8192, 16, 10_000_000),
        closeTimeout,
        elasticsearch(closeTimeout),
        counters);
  }

  private ElasticsearchAppender.Settings elasticsearch(Duration closeTimeout) {
    Optional<String> url = raw("elasticsearch.url");
    if (url.isEmpty()) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(url.get());
    } catch (java.net.URISyntaxException e) {
      uri = null;
    }
    if (uri == null
        || uri.getHost() == null
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw bad("elasticsearch.url", "is not an http(s) URL: use e.g. http://localhost:9200");
    }
    String authorization = null;
    Optional<String> apiKey = raw("elasticsearch.api.key");
    Optional<String> user = raw("elasticsearch.username");
    Optional<String> password = raw("elasticsearch.password");
    if (apiKey.isPresent() && user.isPresent()) {
      throw new MonitoringException(
          describe("elasticsearch.api.key")
              + " and "
              + describe("elasticsearch.username")
              + " are both set: use either an API key or a username and password");
    }
    if (apiKey.isPresent()) {
      authorization = "ApiKey " + apiKey.get();
    } else if (user.isPresent() != password.isPresent()) {
      throw new MonitoringException(
          describe(user.isPresent() ? "elasticsearch.username" : "elasticsearch.password")
              + " is set without "
              + (user.isPresent() ? "MONITORING_ELASTICSEARCH_PASSWORD" : "_USERNAME")
              + ": set both for basic auth");
    } else if (user.isPresent()) {
      String pair = user.get() + ":" + password.get();
      authorization =
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
    return new ElasticsearchAppender.Settings(
        uri,
        authorization,
        config.serviceName(),
        config.environment(),
        integer("elasticsearch.queue.capacity", 10_000, 1, 10_000_000),
        integer("elasticsearch.batch.size", 500, 1, 100_000),
        integer("elasticsearch.batch.bytes", 5 * 1024 * 1024, 1024, 100 * 1024 * 1024),
        duration("elasticsearch.flush.interval", Duration.ofSeconds(1)),
        closeTimeout,
        duration("elasticsearch.max.backoff", Duration.ofSeconds(5)));
  }

  private Optional<String> raw(String key) {
    String value = builder.get(key);
    if (value != null) {
      return value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
    return config.get(key).map(String::trim);
  }

  private String describe(String key) {
    if (builder.containsKey(key)) {
      boolean secret = key.contains("password") || key.endsWith(".key");
      return "config(\"" + key + "\", " + (secret ? "****" : "\"" + builder.get(key) + "\"") + ")";
    }
    return config.describe(key);
  }

  private MonitoringException bad(String key, String rule) {
    return new MonitoringException(describe(key) + " " + rule);
  }

  private Level level(String key, String value) {
    Level level = Level.toLevel(value.toUpperCase(Locale.ROOT), null);
    if (level == null) {
      String where = builder.containsKey(key) || config.get(key).isPresent() ? describe(key) : key;
      throw new MonitoringException(
          where
              + " has the level "
              + value
              + ", which is not one of TRACE, DEBUG, INFO, WARN, ERROR, OFF");
    }
    return level;
  }

  private int integer(String key, int defaultValue, int min, int max) {
    Optional<String> value = raw(key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    try {
      int parsed = Integer.parseInt(value.get());
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below with the rule
    }
    throw bad(key, "is not a whole number in [" + min + ", " + max + "]");
  }

  private boolean bool(String key, boolean defaultValue) {
    Optional<String> value = raw(key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    return switch (value.get().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw bad(key, "is not a boolean: use true or false");
    };
  }

  private Duration duration(String key, Duration defaultValue) {
    Optional<String> value = raw(key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    java.util.regex.Matcher m =
        Pattern.compile("(\\d+)\\s*(ms|s|m)?").matcher(value.get().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw bad(key, "is not a duration: use e.g. 500ms, 10s or 1m");
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofSeconds(amount);
    };
  }

  private static String hostname() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }
}
