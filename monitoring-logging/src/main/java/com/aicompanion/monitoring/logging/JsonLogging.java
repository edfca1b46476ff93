package com.aicompanion.monitoring.logging;

import ch.qos.logback.classic.Level;
import com.aicompanion.monitoring.GlobalSlot;
import com.aicompanion.monitoring.MonitoringConfig;
import com.aicompanion.monitoring.MonitoringException;
import com.aicompanion.monitoring.logging.internal.EcsEncoders;
import com.aicompanion.monitoring.logging.internal.ElasticsearchAppender;
import com.aicompanion.monitoring.logging.internal.IndexTemplate;
import com.aicompanion.monitoring.logging.internal.JulRouting;
import com.aicompanion.monitoring.logging.internal.LogbackSetup;
import com.aicompanion.monitoring.logging.internal.LoggingSettings;
import com.aicompanion.monitoring.logging.internal.SecretMasker;
import com.aicompanion.monitoring.logging.internal.ShippingCounters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.logging.LogbackMetrics;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * ECS JSON logs on stdout through Logback, secrets masked, optionally shipped straight to
 * Elasticsearch. The Java counterpart of {@code setup_logging_for_service('ai-companion')}.
 *
 * <pre>{@code
 * JsonLogging.setupForService("ai-companion");          // JSON on stdout, MONITORING_* settings
 * JsonLogging logging = JsonLogging.builder("ai-companion")
 *     .elasticsearch(URI.create("http://es:9200"))
 *     .level("com.zaxxer.hikari", "WARN")
 *     .install();
 * logging.close();                                        // flushes within the close timeout
 * }</pre>
 *
 * <p>Settings come from defaults &lt; environment ({@code MONITORING_LOG_FORMAT}, {@code
 * MONITORING_LOG_LEVEL}, {@code MONITORING_ELASTICSEARCH_URL}, ...) &lt; system properties &lt; the
 * builder; a bad value fails {@link Builder#install()} with a {@link MonitoringException} naming
 * the key, the value and the fix. When a {@code logback.xml} configured Logback, its appenders and
 * levels are kept and only the Elasticsearch shipper is added.
 *
 * <p>Logback's root logger has one owner at a time: the installation built with {@link
 * Builder#registerGlobal(boolean) registerGlobal(true)} (the default) until its {@link #close()};
 * installing another one meanwhile fails naming it. After the close a new installation takes over
 * again. The owner also routes the {@code java.util.logging} records of the library's dependencies
 * (OpenTelemetry, the JDK server, ...) into its output until its close, leaving alone any of those
 * loggers the application configured and the root logger (module README, "Start-up and third-party
 * logs"). Lines logged before {@code install()} are already in the configured format when no
 * logback.xml exists: this artifact makes that Logback's default configuration.
 */
public final class JsonLogging implements AutoCloseable {
  private static final GlobalSlot<JsonLogging> CURRENT =
      new GlobalSlot<>("the current JsonLogging (owner of Logback's root logger)");

  private final LogbackSetup setup;
  private final SecretMasker masker;
  private final ShippingCounters counters;
  private final LogbackMetrics logbackMetrics;
  private final String dataStream;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** The dependencies' java.util.logging loggers routed to SLF4J; only the owner routes. */
  private volatile JulRouting julRouting;

  private JsonLogging(
      LogbackSetup setup,
      SecretMasker masker,
      ShippingCounters counters,
      LogbackMetrics logbackMetrics,
      String dataStream) {
    this.setup = setup;
    this.masker = masker;
    this.counters = counters;
    this.logbackMetrics = logbackMetrics;
    this.dataStream = dataStream;
  }

  /** Installs JSON logging for {@code serviceName} from the environment and system properties. */
  public static JsonLogging setupForService(String serviceName) {
    return builder(serviceName).install();
  }

  /** A builder for {@code serviceName}; its settings override the environment. */
  public static Builder builder(String serviceName) {
    return new Builder(serviceName);
  }

  /** The masking policy in force, for masking text that does not pass through a logger. */
  public String mask(String text) {
    return masker.mask(text);
  }

  /** The data stream events are shipped to ({@code logs-<service>-<environment>}), or null. */
  public @Nullable String dataStream() {
    return dataStream;
  }

  /** Events shipped to Elasticsearch so far. */
  public long shippedEvents() {
    return counters.shipped();
  }

  /** Events dropped (queue full, or not shipped by the close deadline) so far. */
  public long droppedEvents() {
    return counters.dropped();
  }

  /** Events Elasticsearch rejected, or that could not be encoded, so far. */
  public long failedEvents() {
    return counters.failed();
  }

  /** Console (stdout) lines discarded because the console queue was full, so far. */
  public long consoleDroppedEvents() {
    return counters.consoleDropped().sum();
  }

  /** Whether a {@code logback.xml} configured Logback, so that only shipping was added. */
  public boolean keptFileConfiguration() {
    return setup.fileConfigured();
  }

  /** The installation that owns Logback's root logger now, or {@code null}. */
  static JsonLogging current() {
    return CURRENT.current();
  }

  LogbackSetup setup() {
    return setup;
  }

  SecretMasker masker() {
    return masker;
  }

  /**
   * Flushes the console queue and the Elasticsearch shipper within the close timeout and detaches
   * them; gives the routed {@code java.util.logging} loggers back as they were. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    CURRENT.release(this);
    if (logbackMetrics != null) {
      logbackMetrics.close();
    }
    JulRouting routing = julRouting;
    if (routing != null) {
      routing.close();
    }
    setup.close();
  }

  /** Builds and installs {@link JsonLogging}. */
  public static final class Builder {
    private final String serviceName;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> methods = new LinkedHashMap<>();
    private final Map<String, String> levels = new LinkedHashMap<>();
    private final List<Pattern> extraMasks = new ArrayList<>();
    private MonitoringConfig config;
    private MeterRegistry registry;
    private OutputStream output;
    private boolean registerGlobal = true;

    private Builder(String serviceName) {
      if (serviceName == null || serviceName.isBlank()) {
        throw new IllegalArgumentException(
            "service name is blank: pass the service's name, e.g. JsonLogging.builder(\"ai-companion\")");
      }
      this.serviceName = serviceName;
    }

    /**
     * The configuration to read instead of {@link MonitoringConfig#fromEnvironment(String)}; the
     * logging module passes the one {@code Monitoring} loaded.
     */
    public Builder config(MonitoringConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /** {@code json} (default) or {@code text} for a terminal ({@code MONITORING_LOG_FORMAT}). */
    public Builder format(String format) {
      return set("log.format", "format", format);
    }

    /** The root level, e.g. {@code DEBUG} ({@code MONITORING_LOG_LEVEL}, default {@code INFO}). */
    public Builder level(String level) {
      return set("log.level", "level", level);
    }

    /**
     * The level of one logger and its children ({@code MONITORING_LOG_LEVELS}, a comma-separated
     * list of {@code logger=LEVEL}).
     */
    public Builder level(String logger, String level) {
      if (logger == null || level == null) {
        throw new IllegalArgumentException(
            "level("
                + logger
                + ", "
                + level
                + "): pass a logger name and a level, e.g. level(\"com.zaxxer\", \"WARN\")");
      }
      levels.put(logger, level);
      return this;
    }

    /** Ships to this Elasticsearch ({@code MONITORING_ELASTICSEARCH_URL}, default off). */
    public Builder elasticsearch(URI url) {
      return set("elasticsearch.url", "elasticsearch", url == null ? null : url.toString());
    }

    /**
     * Ships to the nodes of one Elasticsearch/OpenSearch cluster ({@code
     * MONITORING_ELASTICSEARCH_URL=http://es1:9200,http://es2:9200}): each request goes to the
     * first node that answers, in this order, and fails over to the next on a connection failure, a
     * timeout or 502/503/504; a node that failed is tried again later. All must use the same scheme
     * (checked at {@code install()}).
     *
     * @throws IllegalArgumentException when {@code nodes} is empty
     */
    public Builder elasticsearch(java.util.List<URI> nodes) {
      if (nodes.isEmpty()) {
        return set("elasticsearch.url", "elasticsearch", null);
      }
      StringBuilder text = new StringBuilder();
      for (URI node : nodes) {
        text.append(text.isEmpty() ? "" : ",").append(node);
      }
      return set("elasticsearch.url", "elasticsearch", text.toString());
    }

    /** Authenticates with an API key ({@code MONITORING_ELASTICSEARCH_API_KEY}). */
    public Builder elasticsearchApiKey(String apiKey) {
      return set("elasticsearch.api.key", "elasticsearchApiKey", apiKey);
    }

    /**
     * Authenticates with basic auth ({@code MONITORING_ELASTICSEARCH_USERNAME} and {@code
     * _PASSWORD}).
     */
    public Builder elasticsearchBasicAuth(String username, String password) {
      set("elasticsearch.username", "elasticsearchBasicAuth", username);
      return set("elasticsearch.password", "elasticsearchBasicAuth", password);
    }

    /**
     * Any key of the logging module in its canonical form, e.g. {@code
     * config("elasticsearch.queue.capacity", "50000")}; see the module README for the list.
     */
    public Builder config(String key, String value) {
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException(
            "config("
                + key
                + ", ...): the key is blank; use the canonical form, e.g. \"elasticsearch.url\"");
      }
      return set(key, "config(\"" + key + "\"", value);
    }

    private Builder set(String key, String method, String value) {
      if (value == null) {
        throw new IllegalArgumentException(
            (method.startsWith("config(") ? method + ", null)" : method + "(null)")
                + ": pass a value; to keep the default, do not set it");
      }
      values.put(key, value);
      methods.put(key, method);
      return this;
    }

    /** Also masks e-mail addresses ({@code MONITORING_LOG_MASK_EMAILS}, default false). */
    public Builder maskEmails(boolean mask) {
      return set("log.mask.emails", "maskEmails", Boolean.toString(mask));
    }

    /** Masks every match of {@code regex} as well as the built-in secrets. */
    public Builder mask(String regex) {
      extraMasks.add(Pattern.compile(regex));
      return this;
    }

    /**
     * Binds {@code logback_events_total} and the shipper's {@code monitoring_log_*} meters (default
     * none; the logging module passes the Monitoring registry).
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = registry;
      return this;
    }

    /** Where lines go instead of {@code System.out} (default stdout). */
    public Builder output(OutputStream output) {
      this.output = Objects.requireNonNull(output, "output");
      return this;
    }

    /**
     * Whether this installation owns Logback's root logger (default true): it replaces Logback's
     * default appenders, sets the levels, and is the current one until its {@link
     * JsonLogging#close()}. With {@code false} it only adds its own appenders beside the existing
     * ones, changes no level, and can run while another installation owns the root logger (e.g. in
     * tests); {@code Monitoring.builder(..).registerGlobal(false)} passes {@code false} here.
     */
    public Builder registerGlobal(boolean register) {
      this.registerGlobal = register;
      return this;
    }

    /**
     * Configures Logback and starts shipping.
     *
     * @throws MonitoringException for a bad setting, naming the key, the value and the fix; or,
     *     with {@code registerGlobal(true)}, when another open installation owns the root logger
     *     (the message names it)
     */
    public JsonLogging install() {
      MonitoringConfig base =
          config != null ? config : MonitoringConfig.fromEnvironment(serviceName);
      LoggingSettings settings =
          LoggingSettings.resolve(base.withBuilderValues(values, methods), levels, extraMasks);
      ShippingCounters counters = new ShippingCounters();
      LogbackSetup.Options options = settings.options(output, counters);
      String owner = "JsonLogging for " + options.identity().service();
      if (registerGlobal) {
        CURRENT.checkFree(owner);
      }
      LogbackSetup setup = LogbackSetup.install(options, registerGlobal);
      // the first event that cannot be encoded as given is described in the application's log
      // (later ones are counted); the line itself is written in its safe form either way
      setup
          .encodingErrors()
          .onFirstFailure(text -> LoggerFactory.getLogger(JsonLogging.class).warn(text));
      LogbackMetrics logbackMetrics = null;
      if (registry != null) {
        counters.bindTo(registry);
        setup.encodingErrors().bindTo(registry);
        // monitoring_mask_errors_total of this installation's policy (Monitoring's own registry
        // binding of the shared policy is idempotent for the same instance)
        options.masker().policy().bindTo(registry);
        logbackMetrics = new LogbackMetrics();
        logbackMetrics.bindTo(registry);
      }
      ElasticsearchAppender.Settings es = options.elasticsearch();
      JsonLogging logging =
          new JsonLogging(
              setup,
              options.masker(),
              counters,
              logbackMetrics,
              es == null ? null : es.dataStream());
      if (registerGlobal) {
        try {
          CURRENT.claim(logging, owner);
        } catch (MonitoringException e) {
          logging.close();
          throw e;
        }
        // the owner's output is the application's: the dependencies' java.util.logging lines
        // (OpenTelemetry, the JDK server) join it, in its format, until close()
        logging.julRouting = JulRouting.install(setup.context());
      }
      LoggerFactory.getLogger(JsonLogging.class)
          .info(
              "Logging for {} installed: format {}, level {}{}{}",
              options.identity().service(),
              options.json() ? "json" : "text",
              levelName(options.rootLevel()),
              es == null
                  ? ""
                  : ", shipping to " + es.destination() + " data stream " + es.dataStream(),
              setup.fileConfigured() ? " (logback.xml kept; its appenders stay)" : "");
      return logging;
    }

    private static String levelName(Level level) {
      return level.toString();
    }
  }

  /**
   * The composable index template the shipper installs for data streams matching {@code
   * indexPattern} (e.g. {@code logs-*}): ECS mapping, {@code @timestamp} as date, other strings as
   * keyword. For teams that install templates with their own tooling; {@code stack/elasticsearch}
   * holds the same mapping.
   */
  public static String indexTemplate(String indexPattern) {
    return IndexTemplate.json(indexPattern);
  }

  /** The ECS version of the field names. */
  public static String ecsVersion() {
    return EcsEncoders.ECS_VERSION;
  }
}
