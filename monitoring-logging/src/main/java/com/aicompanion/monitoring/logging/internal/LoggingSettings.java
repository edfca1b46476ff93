package com.aicompanion.monitoring.logging.internal;

import ch.qos.logback.classic.Level;
import com.aicompanion.monitoring.ConfigKey;
import com.aicompanion.monitoring.Delivery;
import com.aicompanion.monitoring.MonitoringConfig;
import com.aicompanion.monitoring.MonitoringException;
import com.aicompanion.monitoring.ServiceIdentity;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

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
  /** How the docs show the default spool directory. */
  static final String DEFAULT_SPOOL_TEXT =
      "${java.io.tmpdir}/companion-monitoring/spool/<service>-<environment>";

  public static final ConfigKey<String> FORMAT =
      ConfigKey.oneOf(
          "log.format", "json", "json (ECS lines) or text (for a terminal)", "json", "text");
  public static final ConfigKey<String> LEVEL =
      ConfigKey.string(
          "log.level", "INFO", "The root log level: TRACE, DEBUG, INFO, WARN, ERROR, OFF");
  public static final ConfigKey<Map<String, String>> LEVELS =
      ConfigKey.map(
          "log.levels",
          "Per-logger levels, e.g. com.zaxxer=WARN,org.eclipse.jetty=INFO",
          (logger, level) -> {
            if (Level.toLevel(level.toUpperCase(Locale.ROOT), null) == null) {
              throw new IllegalArgumentException(
                  "has the level "
                      + level
                      + " for "
                      + logger
                      + ", which is not one of TRACE, DEBUG, INFO, WARN, ERROR, OFF");
            }
          });
  public static final ConfigKey<Integer> QUEUE_CAPACITY =
      ConfigKey.integer(
          "log.queue.capacity",
          8192,
          16,
          10_000_000,
          "Lines the stdout queue holds before dropping");
  public static final ConfigKey<Duration> CLOSE_TIMEOUT =
      ConfigKey.duration(
          "log.close.timeout", Duration.ofSeconds(5), "How long close() may take to flush");
  public static final ConfigKey<List<URI>> ES_URL =
      ConfigKey.urls(
          "elasticsearch.url",
          "Ship logs to this Elasticsearch/OpenSearch; unset = off. For a cluster, list several"
              + " nodes (same scheme): requests go to the first that answers and fail over to the"
              + " next on a connection failure, a timeout or 502/503/504");
  public static final ConfigKey<String> ES_API_KEY =
      ConfigKey.string("elasticsearch.api.key", null, "An Elasticsearch API key (base64 id:key)")
          .secret();
  public static final ConfigKey<String> ES_USERNAME =
      ConfigKey.string("elasticsearch.username", null, "Basic-auth user (with the password)");
  public static final ConfigKey<String> ES_PASSWORD =
      ConfigKey.string("elasticsearch.password", null, "Basic-auth password").secret();
  public static final ConfigKey<Integer> ES_QUEUE_BYTES =
      ConfigKey.integer(
              "elasticsearch.queue.bytes",
              64 * 1024 * 1024,
              64 * 1024,
              Integer.MAX_VALUE,
              "Encoded log lines the shipping queue holds before new events are dropped (and"
                  + " counted); 64 MiB is about 130,000 events of 500 bytes, several seconds of a"
                  + " stalled node at 20,000 events/s")
          .unit("bytes");

  /** Deprecated: the queue is bounded by bytes ({@link #ES_QUEUE_BYTES}); kept for old setups. */
  public static final ConfigKey<Integer> ES_QUEUE_CAPACITY =
      ConfigKey.integer(
              "elasticsearch.queue.capacity",
              0,
              0,
              10_000_000,
              "Deprecated (use elasticsearch.queue.bytes): when set above 0, the shipping queue is"
                  + " also bounded by this number of events")
          .defaultText("0 (no bound on events; elasticsearch.queue.bytes bounds the queue)");

  public static final ConfigKey<Integer> ES_BATCH_SIZE =
      ConfigKey.integer("elasticsearch.batch.size", 1600, 1, 100_000, "Events per _bulk request");
  public static final ConfigKey<Integer> ES_BATCH_BYTES =
      ConfigKey.integer(
              "elasticsearch.batch.bytes",
              5 * 1024 * 1024,
              1024,
              100 * 1024 * 1024,
              "The largest _bulk request body, action lines included (a 413 answer splits a"
                  + " request and later ones stay under the refused size)")
          .unit("bytes");
  public static final ConfigKey<Duration> ES_FLUSH_INTERVAL =
      ConfigKey.duration(
          "elasticsearch.flush.interval",
          Duration.ofSeconds(1),
          "How often a partial batch is sent");
  public static final ConfigKey<Duration> ES_MAX_BACKOFF =
      ConfigKey.duration(
          "elasticsearch.max.backoff", Duration.ofSeconds(5), "The longest wait between retries");
  public static final ConfigKey<Integer> ES_MAX_IN_FLIGHT =
      ConfigKey.integer(
          "elasticsearch.max.in.flight",
          Delivery.DEFAULT_MAX_IN_FLIGHT,
          1,
          Delivery.MAX_IN_FLIGHT_LIMIT,
          "How many _bulk requests may be in flight at once (1 = one at a time); the spool is"
              + " acknowledged in event order only, so a crash resends, never loses");

  public static final ConfigKey<Boolean> ES_DOCUMENT_IDS =
      ConfigKey.bool(
          "elasticsearch.document.ids",
          true,
          "Give each document its own id (store id and sequence), so that an event sent again after"
              + " a timeout or a restart is refused as a duplicate instead of indexed twice; false"
              + " lets the node make up the ids, which it ingests faster (no look-up of each id)"
              + " at the price of possible duplicates after a resend");

  public static final ConfigKey<Boolean> ES_SPOOL =
      ConfigKey.bool(
          "elasticsearch.spool",
          true,
          "Keep events waiting for the node in a disk spool (bounded by elasticsearch.spool.bytes),"
              + " so that they survive an outage longer than the memory queue and a restart of the"
              + " application; false = memory only");
  public static final ConfigKey<String> ES_SPOOL_DIR =
      ConfigKey.string(
              "elasticsearch.spool.dir",
              null,
              "The spool directory, one per instance (a second process on it is refused). Unset:"
                  + " the default directory, and when that cannot be used (not writable, or held"
                  + " by another instance of the service on this host) shipping runs from memory"
                  + " only, with one WARN; set: a directory that cannot be used fails the set-up")
          .defaultText(DEFAULT_SPOOL_TEXT);
  public static final ConfigKey<Integer> ES_SPOOL_BYTES =
      ConfigKey.integer(
              "elasticsearch.spool.bytes",
              512 * 1024 * 1024,
              1024 * 1024,
              Integer.MAX_VALUE,
              "The bound on the spool's files; when reached, new events are dropped (and"
                  + " counted). 512 MiB is about a million events of 500 bytes, 17 minutes of an"
                  + " outage at 1,000 events/s")
          .unit("bytes");
  public static final ConfigKey<Duration> ES_SPOOL_SYNC_INTERVAL =
      ConfigKey.duration(
          "elasticsearch.spool.sync.interval",
          Duration.ofSeconds(1),
          "How often the spool forces what it wrote to the disk: what a machine crash (not a"
              + " killed process) can lose");

  /** Every key this module reads. */
  public static final List<ConfigKey<?>> KEYS =
      List.of(
          FORMAT,
          LEVEL,
          LEVELS,
          // read by core's masking policy (MonitoringConfig.masking()), declared here
          MonitoringConfig.LOG_MASK_EMAILS,
          QUEUE_CAPACITY,
          CLOSE_TIMEOUT,
          ES_URL,
          ES_API_KEY,
          ES_USERNAME,
          ES_PASSWORD,
          ES_QUEUE_BYTES,
          ES_QUEUE_CAPACITY,
          ES_BATCH_SIZE,
          ES_BATCH_BYTES,
          ES_FLUSH_INTERVAL,
          ES_MAX_BACKOFF,
          ES_MAX_IN_FLIGHT,
          ES_DOCUMENT_IDS,
          ES_SPOOL,
          ES_SPOOL_DIR,
          ES_SPOOL_BYTES,
          ES_SPOOL_SYNC_INTERVAL);

  private final MonitoringConfig config;
  private final Map<String, String> levels;
  private final List<Pattern> extraMasks;

  private LoggingSettings(
      MonitoringConfig config, Map<String, String> levels, List<Pattern> extraMasks) {
    this.config = config;
    this.levels = levels;
    this.extraMasks = extraMasks;
  }

  /**
   * @param config the configuration with the module builder's values on top ({@link
   *     MonitoringConfig#withBuilderValues})
   * @param levels per-logger levels set in code
   */
  public static LoggingSettings resolve(
      MonitoringConfig config, Map<String, String> levels, List<Pattern> extraMasks) {
    return new LoggingSettings(config, Map.copyOf(levels), extraMasks);
  }

  /** Validates every setting and freezes them. */
  public LogbackSetup.Options options(OutputStream output, ShippingCounters counters) {
    String format = config.get(FORMAT);
    Level root = level(config.describe(LEVEL), config.get(LEVEL));
    Map<String, Level> perLogger = new LinkedHashMap<>();
    config
        .get(LEVELS)
        .forEach((logger, value) -> perLogger.put(logger, level(config.describe(LEVELS), value)));
    levels.forEach(
        (name, value) -> perLogger.put(name, level("level(\"" + name + "\", ...)", value)));
    SecretMasker masker = SecretMasker.of(masking());
    Duration closeTimeout = config.get(CLOSE_TIMEOUT);
    ServiceIdentity id = config.identity();
    EcsEncoders.Identity identity =
        new EcsEncoders.Identity(id.name(), id.version(), id.environment(), id.instanceId());
    return new LogbackSetup.Options(
        identity,
        format.equals("json"),
        root,
        perLogger,
        masker,
        output == null ? System.out : output,
        config.get(QUEUE_CAPACITY),
        closeTimeout,
        elasticsearch(closeTimeout),
        counters);
  }

  /**
   * The policy every signal shares ({@link MonitoringConfig#masking()}), plus the builder's own
   * {@code mask(regex)} patterns.
   */
  private com.aicompanion.monitoring.SecretMasking masking() {
    com.aicompanion.monitoring.SecretMasking shared = config.masking();
    if (extraMasks.isEmpty()) {
      return shared;
    }
    try {
      return shared.toBuilder().patterns(extraMasks).build();
    } catch (IllegalArgumentException e) {
      throw new MonitoringException("mask(...): " + e.getMessage(), e);
    }
  }

  private ElasticsearchAppender.Settings elasticsearch(Duration closeTimeout) {
    Optional<List<URI>> url = config.find(ES_URL);
    if (url.isEmpty()) {
      return null;
    }
    Optional<String> apiKey = config.find(ES_API_KEY);
    Optional<String> user = config.find(ES_USERNAME);
    Optional<String> password = config.find(ES_PASSWORD);
    if (apiKey.isPresent() && user.isPresent()) {
      throw new MonitoringException(
          config.describe(ES_API_KEY)
              + " and "
              + config.describe(ES_USERNAME)
              + " are both set: use either an API key or a username and password");
    }
    if (apiKey.isEmpty() && user.isPresent() != password.isPresent()) {
      throw new MonitoringException(
          config.describe(user.isPresent() ? ES_USERNAME : ES_PASSWORD)
              + " is set without "
              + (user.isPresent() ? ES_PASSWORD.envName() : ES_USERNAME.envName())
              + ": set both for basic auth");
    }
    String authorization =
        ElasticsearchAppender.authorization(
            apiKey.orElse(null), user.orElse(null), password.orElse(null));
    return new ElasticsearchAppender.Settings(
        url.get(),
        authorization,
        config.serviceName(),
        config.environment(),
        config.get(ES_QUEUE_BYTES),
        config.get(ES_QUEUE_CAPACITY),
        config.get(ES_BATCH_SIZE),
        config.get(ES_BATCH_BYTES),
        config.get(ES_FLUSH_INTERVAL),
        closeTimeout,
        config.get(ES_MAX_BACKOFF),
        config.get(ES_MAX_IN_FLIGHT),
        config.get(ES_DOCUMENT_IDS),
        // a document refused for a mapping conflict is resent once in its safe form
        SafeDocument::safeForm,
        spool());
  }

  private ElasticsearchAppender.@Nullable Spool spool() {
    if (!config.get(ES_SPOOL)) {
      return null;
    }
    Optional<String> dir = config.find(ES_SPOOL_DIR);
    Path path;
    if (dir.isPresent()) {
      try {
        path = Path.of(dir.get().trim());
      } catch (InvalidPathException e) {
        throw new MonitoringException(
            config.describe(ES_SPOOL_DIR)
                + " is not a path ("
                + e.getReason()
                + "): give a directory, e.g. /var/lib/my-service/log-spool");
      }
    } else {
      path = defaultSpoolDir(config.serviceName(), config.environment());
    }
    String dirSetting =
        dir.isPresent()
            ? config.describe(ES_SPOOL_DIR)
            : ES_SPOOL_DIR.envName() + " (or -D" + ES_SPOOL_DIR.propertyName() + ")";
    return new ElasticsearchAppender.Spool(
        path,
        config.get(ES_SPOOL_BYTES),
        config.get(ES_SPOOL_SYNC_INTERVAL),
        dir.isPresent(),
        dirSetting,
        ES_SPOOL.envName() + "=false");
  }

  /**
   * {@code <java.io.tmpdir>/companion-monitoring/spool/<service>-<environment>}: stable across
   * restarts of the application (so that what it spooled is sent after the next start), one per
   * service and environment (so that two services on a host do not meet), and writable without
   * set-up on every host the JVM runs on.
   */
  public static Path defaultSpoolDir(String service, String environment) {
    return Path.of(System.getProperty("java.io.tmpdir"), "companion-monitoring", "spool")
        .resolve(fileName(service) + "-" + fileName(environment));
  }

  private static String fileName(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "_");
  }

  private static Level level(String where, String value) {
    Level level = Level.toLevel(value.toUpperCase(Locale.ROOT), null);
    if (level == null) {
      throw new MonitoringException(
          where
              + " has the level "
              + value
              + ", which is not one of TRACE, DEBUG, INFO, WARN, ERROR, OFF");
    }
    return level;
  }
}
