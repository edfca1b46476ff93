package com.aicompanion.monitoring;

import com.aicompanion.monitoring.internal.ConfigLoader;
import com.aicompanion.monitoring.internal.EndpointServer;
import com.aicompanion.monitoring.internal.MetricNames;
import com.aicompanion.monitoring.internal.MetricsEndpoint;
import com.aicompanion.monitoring.internal.RecordingErrors;
import com.aicompanion.monitoring.internal.RequestWatchdog.ServerLimits;
import com.aicompanion.monitoring.internal.ShutdownSequence;
import com.aicompanion.monitoring.internal.SwitchableSpanContext;
import io.micrometer.core.instrument.Clock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Production metrics, and logs, traces and health checks when those modules are on the classpath,
 * with one line in {@code main()}.
 *
 * <pre>{@code
 * Monitoring monitoring = Monitoring.start("ai-companion");       // serves :8000/metrics
 * monitoring.monitor().incrementCounter("custom_events_total", Map.of("event_type", "user_action"));
 *
 * Monitoring monitoring = Monitoring.builder("ai-companion")
 *     .environment("prod").version("1.4.2").metricsPort(8000)
 *     .start();
 * }</pre>
 *
 * <p>Configuration comes from defaults &lt; environment ({@code MONITORING_*}) &lt; system
 * properties ({@code monitoring.*}) &lt; the builder. A bad value fails {@code start()} with a
 * {@link MonitoringException} naming the key, the value and the fix.
 *
 * <p>{@link #close()} first lets readiness answer 503 for {@code MONITORING_SHUTDOWN_DRAIN}
 * (default 5s; skipped when no module serves readiness) while {@code /metrics} and liveness still
 * answer, then flushes every module and stops the server within {@code MONITORING_SHUTDOWN_TIMEOUT}
 * (default 10s). A JVM shutdown hook calls it; {@link Builder#shutdownHook(boolean) shutdownHook
 * (false)} leaves that to the application, which then calls {@code close()} at the end of its own
 * hook, so that its last lines come first.
 */
public final class Monitoring implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Monitoring.class);
  private static final GlobalSlot<Monitoring> GLOBAL = new GlobalSlot<>("Monitoring.global()");

  /** The name of monitoring-otlp-metrics' module, which {@code metrics.export=otlp|both} needs. */
  static final String OTLP_METRICS_MODULE = "otlp-metrics";

  /** The default drain period of {@link #close()}: {@value #DEFAULT_DRAIN_SECONDS} seconds. */
  public static final long DEFAULT_DRAIN_SECONDS = 5;

  static final Duration DEFAULT_SHUTDOWN_DRAIN = Duration.ofSeconds(DEFAULT_DRAIN_SECONDS);

  private final MonitoringConfig config;
  private final Monitor monitor;
  private final EndpointServer server;
  private final Map<Class<?>, Object> components;
  private final ShutdownSequence shutdown;
  private final List<String> modules;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final java.util.concurrent.CountDownLatch closeDone =
      new java.util.concurrent.CountDownLatch(1);
  private final Thread shutdownHook;

  private Monitoring(
      MonitoringConfig config,
      Monitor monitor,
      EndpointServer server,
      Map<Class<?>, Object> components,
      ShutdownSequence shutdown,
      List<String> modules) {
    this.config = config;
    this.monitor = monitor;
    this.server = server;
    this.components = components;
    this.shutdown = shutdown;
    this.modules = modules;
    this.shutdownHook = new Thread(this::close, "monitoring-shutdown");
  }

  /** Starts monitoring for {@code serviceName} from the environment and system properties. */
  public static Monitoring start(String serviceName) {
    return builder(serviceName).start();
  }

  /**
   * A builder for {@code serviceName}; its settings override the environment and system properties.
   */
  public static Builder builder(String serviceName) {
    return new Builder(serviceName);
  }

  /**
   * The running instance that {@link #start} registered (builders default to {@link
   * Builder#registerGlobal(boolean) registerGlobal(true)}); after its {@link #close()} there is
   * none until the next start. Never null.
   *
   * @throws IllegalStateException when none is running
   */
  public static Monitoring global() {
    Monitoring current = GLOBAL.current();
    if (current == null) {
      throw new IllegalStateException(
          "Monitoring has not been started (or was closed): call Monitoring.start(\"your-service\") in main() first");
    }
    return current;
  }

  public Monitor monitor() {
    return monitor;
  }

  public MonitoringConfig config() {
    return config;
  }

  /** The address the endpoint server is bound to; with port 0, the ephemeral port it got. */
  public InetSocketAddress metricsAddress() {
    return server.address();
  }

  /**
   * A component that a module published, e.g. {@code get(HealthRegistry.class)}.
   *
   * @throws IllegalStateException naming the artifact to add when no module published one
   */
  public <T> T get(Class<T> type) {
    Object component = components.get(type);
    if (component == null) {
      throw new IllegalStateException(
          "No "
              + type.getSimpleName()
              + " is available: add the artifact com.aicompanion.monitoring:"
              + artifactOf(type)
              + " to the classpath"
              + (modules.isEmpty()
                  ? ""
                  : " (running modules: " + String.join(", ", modules) + ")"));
    }
    return type.cast(component);
  }

  /** By package convention: {@code com.aicompanion.monitoring.health.X} is in monitoring-health. */
  static String artifactOf(Class<?> type) {
    String pkg = type.getPackageName();
    String prefix = "com.aicompanion.monitoring.";
    if (pkg.startsWith(prefix)) {
      String rest = pkg.substring(prefix.length());
      int dot = rest.indexOf('.');
      return "monitoring-" + (dot < 0 ? rest : rest.substring(0, dot));
    }
    return "that provides " + type.getName();
  }

  /**
   * Drains, then closes every module in reverse order and the endpoint server, within the shutdown
   * deadline; logs {@code Monitoring for <service> closed} last. Idempotent; blocks for the drain
   * period plus at most the shutdown timeout.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      // a second caller returns only once the first one's close is done
      try {
        closeDone.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    try {
      closeOnce();
    } finally {
      closeDone.countDown();
    }
  }

  private void closeOnce() {
    GLOBAL.release(this);
    if (Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down
      }
    }
    shutdown.drain(config.get(MonitoringConfig.SHUTDOWN_DRAIN), config.serviceName());
    int problems = shutdown.run(config.get(MonitoringConfig.SHUTDOWN_TIMEOUT));
    LOG.info(
        "Monitoring for {} closed{}",
        config.serviceName(),
        problems == 0 ? "" : " (" + problems + " step(s) failed or overran)");
  }

  /**
   * Builds and starts {@link Monitoring}. Each setter overrides the environment and system
   * properties.
   */
  public static final class Builder {
    private final String serviceName;
    private final Map<String, ConfigLoader.Value> values = new LinkedHashMap<>();
    private LlmPrices prices = LlmPrices.defaults();
    private Map<String, String> env = System.getenv();
    private Properties properties = System.getProperties();
    private boolean registerGlobal = true;
    private boolean shutdownHook = true;
    private final Map<String, String> commonTags = new LinkedHashMap<>();
    private ServerLimits endpointLimits = ServerLimits.DEFAULT;

    private Builder(String serviceName) {
      this.serviceName = serviceName;
    }

    /**
     * The environment label and log field ({@code MONITORING_ENVIRONMENT}, default {@code dev}).
     */
    public Builder environment(String environment) {
      return set(MonitoringConfig.ENVIRONMENT, "environment", environment, true);
    }

    /**
     * The version label ({@code MONITORING_SERVICE_VERSION}, default the jar's manifest version).
     */
    public Builder version(String version) {
      return set(MonitoringConfig.SERVICE_VERSION, "version", version, true);
    }

    /** The endpoint server's address ({@code MONITORING_METRICS_HOST}, default {@code 0.0.0.0}). */
    public Builder metricsHost(String host) {
      return set(MonitoringConfig.METRICS_HOST, "metricsHost", host, true);
    }

    /**
     * The endpoint server's port, 0 for ephemeral ({@code MONITORING_METRICS_PORT}, default 8000).
     */
    public Builder metricsPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(
            "metricsPort(" + port + ") is not a port number (0-65535)");
      }
      return set(MonitoringConfig.METRICS_PORT, "metricsPort", Integer.toString(port), false);
    }

    /** The metrics path ({@code MONITORING_METRICS_PATH}, default {@code /metrics}). */
    public Builder metricsPath(String path) {
      return set(MonitoringConfig.METRICS_PATH, "metricsPath", path, true);
    }

    /**
     * Requires {@code Authorization: Bearer <token>} for /metrics and health details ({@code
     * MONITORING_ENDPOINT_TOKEN}).
     */
    public Builder endpointToken(String token) {
      return set(MonitoringConfig.ENDPOINT_TOKEN, "endpointToken", token, true);
    }

    /**
     * Distinct label sets per metric before folding into {@code OTHER} ({@code
     * MONITORING_CARDINALITY_LIMIT}, default 1000).
     */
    public Builder cardinalityLimit(int limit) {
      if (limit < 1) {
        throw new IllegalArgumentException("cardinalityLimit(" + limit + ") must be at least 1");
      }
      return set(
          MonitoringConfig.CARDINALITY_LIMIT, "cardinalityLimit", Integer.toString(limit), false);
    }

    /**
     * The deadline for {@link Monitoring#close()} ({@code MONITORING_SHUTDOWN_TIMEOUT}, default
     * 10s).
     */
    public Builder shutdownTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative()) {
        throw new IllegalArgumentException(
            "shutdownTimeout(" + timeout + ") must be a non-negative duration");
      }
      return set(
          MonitoringConfig.SHUTDOWN_TIMEOUT, "shutdownTimeout", timeout.toMillis() + "ms", false);
    }

    /**
     * How long {@link Monitoring#close()} lets readiness answer 503 before anything closes ({@code
     * MONITORING_SHUTDOWN_DRAIN}, default {@value Monitoring#DEFAULT_DRAIN_SECONDS}s; {@code
     * Duration.ZERO} for none). Skipped when no module serves readiness (monitoring-health absent).
     * Comes on top of the shutdown timeout.
     *
     * @throws IllegalArgumentException when {@code drain} is null or negative
     */
    public Builder shutdownDrain(Duration drain) {
      if (drain == null || drain.isNegative()) {
        throw new IllegalArgumentException(
            "shutdownDrain(" + drain + ") must be a non-negative duration");
      }
      return set(MonitoringConfig.SHUTDOWN_DRAIN, "shutdownDrain", drain.toMillis() + "ms", false);
    }

    /**
     * Whether {@code start()} adds a JVM shutdown hook that calls {@link Monitoring#close()}
     * (default true). The JVM runs all hooks at once, so an application that logs or drains in its
     * own hook passes {@code false} and calls {@code monitoring.close()} as its hook's last step.
     */
    public Builder shutdownHook(boolean enabled) {
      this.shutdownHook = enabled;
      return this;
    }

    /**
     * Whether to bind the JVM and process metrics ({@code MONITORING_JVM_METRICS}, default true).
     */
    public Builder jvmMetrics(boolean enabled) {
      return set(MonitoringConfig.JVM_METRICS, "jvmMetrics", Boolean.toString(enabled), false);
    }

    /**
     * Adds a tag to every meter, JVM ones included, from the start ({@code MONITORING_COMMON_TAGS},
     * e.g. {@code region=eu,team=chat}; builder tags are added to those). A meter's own tag of the
     * same key wins.
     *
     * @throws IllegalArgumentException when {@code key} is not a Prometheus label name or {@code
     *     value} is null or empty
     */
    public Builder commonTag(String key, String value) {
      if (key == null || MetricNames.checkLabelKey("common tags", key) != null) {
        throw new IllegalArgumentException(
            "commonTag("
                + key
                + ", ...): the key must be a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)");
      }
      if (value == null || value.isEmpty()) {
        throw new IllegalArgumentException(
            "commonTag(\"" + key + "\", " + value + "): pass a non-empty value");
      }
      commonTags.put(key, value);
      return this;
    }

    /** Sets the price of one LLM model in US dollars per million tokens; see {@link LlmPrices}. */
    public Builder llmPrice(
        String provider, String model, double inputUsdPerMillion, double outputUsdPerMillion) {
      prices = prices.with(provider, model, inputUsdPerMillion, outputUsdPerMillion);
      return this;
    }

    /** Replaces the whole LLM price table (default {@link LlmPrices#defaults()}). */
    public Builder llmPrices(LlmPrices prices) {
      this.prices = java.util.Objects.requireNonNull(prices, "prices");
      return this;
    }

    /**
     * Sets any configuration key in its canonical form, e.g. {@code config("elasticsearch.url",
     * "http://localhost:9200")} for {@code MONITORING_ELASTICSEARCH_URL}.
     */
    public Builder config(String key, String value) {
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException(
            "config("
                + key
                + ", ...): the key is blank; use the canonical form, e.g. \"elasticsearch.url\"");
      }
      if (value == null) {
        throw new IllegalArgumentException(
            "config(\"" + key + "\", null): pass a value; to keep the default, do not set the key");
      }
      values.put(key, new ConfigLoader.Value(value, "config(\"" + key + "\"", true));
      return this;
    }

    private Builder set(ConfigKey<?> key, String method, String value, boolean quoted) {
      if (value == null) {
        throw new IllegalArgumentException(
            method
                + "(null): pass a value; to keep the default ("
                + (key.defaultText().isEmpty() ? "unset" : key.defaultText())
                + "), do not call "
                + method
                + "()");
      }
      values.put(key.name(), new ConfigLoader.Value(value, method, quoted));
      return this;
    }

    /** Test seam: the environment and system properties to read instead of the process's. */
    Builder sources(Map<String, String> env, Properties properties) {
      this.env = env;
      this.properties = properties;
      return this;
    }

    /**
     * Whether this instance becomes {@link Monitoring#global()} and its modules' components the
     * JVM-wide current ones: the current {@code JsonLogging}, the tracing that {@code Spans} and
     * {@code GlobalOpenTelemetry} use (default true). With {@code false} it claims none of them and
     * runs beside an instance that holds them, e.g. in tests. One owner at a time: {@link #start()}
     * fails while another open instance holds {@link Monitoring#global()}; after that one's {@link
     * Monitoring#close()}, a new start registers again.
     */
    public Builder registerGlobal(boolean register) {
      this.registerGlobal = register;
      return this;
    }

    /**
     * Test seam: the endpoint server's request and response time limits (default 10 s and 60 s), so
     * that tests can show them with short ones.
     */
    Builder endpointLimits(Duration request, Duration response) {
      this.endpointLimits = new ServerLimits(request, response);
      return this;
    }

    /**
     * Reads the configuration, binds the endpoint server, starts every module found on the
     * classpath and serves.
     *
     * @throws MonitoringException for a bad configuration value, a port in use, a module that
     *     failed to start, or (with {@code registerGlobal(true)}) another open instance holding
     *     {@link Monitoring#global()}, named in the message; nothing stays running
     */
    public Monitoring start() {
      if (registerGlobal) {
        GLOBAL.checkFree("Monitoring for " + serviceName);
      }
      List<MonitoringModule> found = Startup.discoverModules();
      MonitoringConfig config =
          MonitoringConfig.load(serviceName, Startup.applicationVersion(), env, properties, values)
              .declaring(Startup.moduleKeys(found));
      // the unknown-key warnings wait until the logging module has started, so that they come
      // out in the service's log format with its identity; on a failure they are logged before
      // the exception reaches the caller, as they may say why (a misspelt key)
      List<String> warnings = new ArrayList<>(config.unknownKeyWarnings());
      try {
        return startWith(found, config, warnings);
      } finally {
        Startup.logWarnings(warnings);
      }
    }

    private Monitoring startWith(
        List<MonitoringModule> found, MonitoringConfig config, List<String> warnings) {
      config.validate();
      LlmPrices table = Startup.pricesWithFile(prices, config);

      // exemplar samplers cost ~145 B per series: only when a module will feed them span contexts
      SwitchableSpanContext spanContext =
          found.stream().anyMatch(m -> m.suppliesExemplars(config))
              ? new SwitchableSpanContext()
              : null;
      PrometheusMeterRegistry registry =
          new PrometheusMeterRegistry(
              PrometheusConfig.DEFAULT, new PrometheusRegistry(), Clock.SYSTEM, spanContext);
      Map<String, String> tags = new LinkedHashMap<>(config.get(MonitoringConfig.COMMON_TAGS));
      tags.putAll(commonTags);
      StandardMeters.configureFilters(registry, tags);
      Monitor monitor =
          Monitor.create(registry, config.get(MonitoringConfig.CARDINALITY_LIMIT), table);
      ShutdownSequence shutdown = new ShutdownSequence();
      shutdown.add("meter registry", registry::close);
      StandardMeters.bind(config, registry, shutdown);

      EndpointServer server;
      try {
        server =
            EndpointServer.bind(
                config.get(MonitoringConfig.METRICS_HOST),
                config.get(MonitoringConfig.METRICS_PORT),
                config.find(MonitoringConfig.ENDPOINT_TOKEN).orElse(null),
                config.describe(MonitoringConfig.METRICS_PORT),
                endpointLimits,
                // the counters at 0 from the start, after the name space's filters
                new RecordingErrors(registry).registerAtZero());
      } catch (RuntimeException e) {
        shutdown.run(config.get(MonitoringConfig.SHUTDOWN_TIMEOUT));
        throw e;
      }
      String export = config.get(MonitoringConfig.METRICS_EXPORT);
      if (!export.equals("otlp")) {
        server.route(
            config.get(MonitoringConfig.METRICS_PATH),
            EndpointAccess.TOKEN,
            new MetricsEndpoint(registry.getPrometheusRegistry(), monitor::beforeScrape));
      }
      shutdown.add("endpoint server", server::close);

      Map<Class<?>, Object> components = new java.util.concurrent.ConcurrentHashMap<>();
      List<String> started = new ArrayList<>();
      ModuleContext context =
          new ModuleContext(
              config, monitor, registry, server, components, shutdown, spanContext, registerGlobal);
      for (MonitoringModule module : found) {
        if (module.order() > MonitoringModule.ORDER_LOGGING) {
          Startup.logWarnings(warnings);
        }
        try {
          module.start(context);
          started.add(module.name());
        } catch (Exception e) {
          shutdown.run(config.get(MonitoringConfig.SHUTDOWN_TIMEOUT));
          if (e instanceof MonitoringException me) {
            throw me;
          }
          throw new MonitoringException(
              "module " + module.name() + " failed to start: " + e.getMessage(), e);
        }
      }
      Startup.logWarnings(warnings);
      if (!export.equals("prometheus") && !started.contains(OTLP_METRICS_MODULE)) {
        shutdown.run(config.get(MonitoringConfig.SHUTDOWN_TIMEOUT));
        throw new MonitoringException(
            config.describe(MonitoringConfig.METRICS_EXPORT)
                + " asks for OTLP push, but no module pushes metrics: add the artifact"
                + " com.aicompanion.monitoring:monitoring-otlp-metrics, or set metrics.export=prometheus");
      }
      Monitoring monitoring =
          new Monitoring(config, monitor, server, components, shutdown, List.copyOf(started));
      if (registerGlobal) {
        try {
          GLOBAL.claim(monitoring, "Monitoring for " + config.serviceName());
        } catch (MonitoringException e) {
          shutdown.run(config.get(MonitoringConfig.SHUTDOWN_TIMEOUT));
          throw e;
        }
      }
      server.start();
      if (shutdownHook) {
        Runtime.getRuntime().addShutdownHook(monitoring.shutdownHook);
      }
      LOG.info(
          "Monitoring started for {} (environment {}, version {}, instance {}; from {}): metrics {}; modules: {}; settings: {}",
          config.serviceName(),
          config.environment(),
          config.serviceVersion(),
          config.identity().instanceId(),
          config.identitySources(),
          whereMetricsGo(export, config, server.address().getPort()),
          started.isEmpty() ? "none" : String.join(", ", started),
          config.summary().isEmpty() ? "defaults" : config.summary());
      return monitoring;
    }

    /** For the start line: {@code at http://host:port/metrics}, and/or pushed over OTLP. */
    private static String whereMetricsGo(String export, MonitoringConfig config, int port) {
      String server = "http://" + config.get(MonitoringConfig.METRICS_HOST) + ":" + port;
      String scrape = "at " + server + config.get(MonitoringConfig.METRICS_PATH);
      return switch (export) {
        case "otlp" ->
            "pushed over OTLP (no "
                + config.get(MonitoringConfig.METRICS_PATH)
                + " at "
                + server
                + ")";
        case "both" -> scrape + " and pushed over OTLP";
        default -> scrape;
      };
    }
  }
}
