package com.aicompanion.monitoring;

import com.aicompanion.monitoring.internal.ConfigKeys;
import com.aicompanion.monitoring.internal.ConfigLoader;
import com.aicompanion.monitoring.internal.MetricNames;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The frozen configuration of one monitored service: defaults &lt; environment &lt; system
 * properties &lt; builder, read through the {@link ConfigKey}s that core and each module declare.
 *
 * <pre>{@code
 * MonitoringConfig config = monitoring.config();
 * int port = config.get(MonitoringConfig.METRICS_PORT);          // MONITORING_METRICS_PORT, default 8000
 * ServiceIdentity id = config.identity();
 * }</pre>
 *
 * <p>{@link #get(ConfigKey)} throws {@link MonitoringException} naming the key as the user spelled
 * it, the bad value (masked for secrets) and the rule, e.g. {@code MONITORING_METRICS_PORT=abc is
 * not a whole number in [0, 65535]}. {@link Monitoring#start} reads every declared key once before
 * anything runs, so a bad value fails start-up, never later.
 */
public final class MonitoringConfig {
  /** The service name; see {@link ServiceIdentity} for the precedence with {@code OTEL_*}. */
  public static final ConfigKey<String> SERVICE_NAME =
      ConfigKey.string(
              "service.name",
              null,
              "The service name on every signal (else OTEL_SERVICE_NAME, else the name given to"
                  + " start())")
          .defaultText("the name given to start()");

  public static final ConfigKey<String> ENVIRONMENT =
      ConfigKey.string(
              "environment",
              null,
              "The environment label and log field, e.g. prod (else deployment.environment.name in"
                  + " OTEL_RESOURCE_ATTRIBUTES)")
          .defaultText("dev");

  public static final ConfigKey<String> SERVICE_VERSION =
      ConfigKey.string(
              "service.version",
              null,
              "The application's version (else service.version in OTEL_RESOURCE_ATTRIBUTES, else"
                  + " the application jar's Implementation-Version)")
          .defaultText("the application jar's version, else unknown");

  public static final ConfigKey<String> SERVICE_INSTANCE_ID =
      ConfigKey.string(
              "service.instance.id",
              null,
              "This instance (else service.instance.id in OTEL_RESOURCE_ATTRIBUTES, else HOSTNAME)")
          .defaultText("the host name");

  public static final ConfigKey<String> METRICS_HOST =
      ConfigKey.string("metrics.host", "0.0.0.0", "The endpoint server's bind address");

  public static final ConfigKey<Integer> METRICS_PORT =
      ConfigKey.port("metrics.port", 8000, "The endpoint server's port; 0 = ephemeral");

  public static final ConfigKey<String> METRICS_PATH =
      ConfigKey.string("metrics.path", "/metrics", "The path of the Prometheus endpoint");

  /**
   * Where metrics go: scraped from {@code /metrics} ({@code prometheus}), pushed over OTLP by the
   * monitoring-otlp-metrics module ({@code otlp}, no {@code /metrics} route), or both.
   */
  public static final ConfigKey<String> METRICS_EXPORT =
      ConfigKey.oneOf(
          "metrics.export",
          "prometheus",
          "prometheus: /metrics to scrape; otlp: push over OTLP (artifact monitoring-otlp-metrics), no /metrics; both",
          "prometheus",
          "otlp",
          "both");

  public static final ConfigKey<String> ENDPOINT_TOKEN =
      ConfigKey.string(
              "endpoint.token",
              null,
              "When set, /metrics and health details need Authorization: Bearer <token>")
          .secret();

  public static final ConfigKey<Integer> CARDINALITY_LIMIT =
      ConfigKey.integer(
          "cardinality.limit",
          1000,
          1,
          1_000_000,
          "Distinct label sets per metric before further sets fold into OTHER");

  public static final ConfigKey<Duration> SHUTDOWN_TIMEOUT =
      ConfigKey.duration(
          "shutdown.timeout", Duration.ofSeconds(10), "The deadline for closing every module");

  public static final ConfigKey<Duration> SHUTDOWN_DRAIN =
      ConfigKey.duration(
          "shutdown.drain",
          Duration.ofSeconds(Monitoring.DEFAULT_DRAIN_SECONDS),
          "How long close() lets readiness answer 503 before anything stops (skipped without a"
              + " readiness route)");

  public static final ConfigKey<Boolean> JVM_METRICS =
      ConfigKey.bool("jvm.metrics", true, "Whether to bind the JVM and process metrics");

  public static final ConfigKey<String> LLM_PRICES_FILE =
      ConfigKey.string("llm.prices.file", null, "A file of LLM prices (see LlmPrices)");

  public static final ConfigKey<Map<String, String>> COMMON_TAGS =
      ConfigKey.map(
          "common.tags",
          "Tags added to every meter, JVM ones included, from the start, e.g. region=eu,team=chat",
          (key, value) -> {
            String problem = MetricNames.checkLabelKey("common.tags", key);
            if (problem != null) {
              throw new IllegalArgumentException(
                  "has the tag key \"" + key + "\", which is not a Prometheus label name");
            }
            if (value.isEmpty()) {
              throw new IllegalArgumentException("has an empty value for tag \"" + key + "\"");
            }
            if (key.equals("le") || key.equals("quantile")) {
              throw new IllegalArgumentException(
                  "has the tag key \""
                      + key
                      + "\", which Prometheus reserves for histogram buckets and summary"
                      + " quantiles: use another key");
            }
          });

  public static final ConfigKey<Boolean> MASK_EMAILS =
      ConfigKey.bool(
          "mask.emails",
          false,
          "Whether e-mail addresses are masked too, on every signal (logs, Sentry, spans, prompts)");

  public static final ConfigKey<List<java.util.regex.Pattern>> MASK_PATTERNS =
      ConfigKey.patterns(
          "mask.patterns",
          "Your own secrets: regular expressions whose every match is masked on every signal,"
              + " separated by blanks, e.g. CUST-\\d{6}; a pattern that overflows the stack on long"
              + " values, e.g. (?:\\d|-)+, is refused with the fix");

  /**
   * The logging module's older name of {@link #MASK_EMAILS}, still read by {@link #masking()}. The
   * logging module declares it (its name space is the module's), so that it is documented there.
   */
  public static final ConfigKey<Boolean> LOG_MASK_EMAILS =
      ConfigKey.bool(
          "log.mask.emails",
          false,
          "Alias of MONITORING_MASK_EMAILS, kept from earlier versions: e-mail addresses are"
              + " masked when either is true");

  /** Every key core declares. */
  public static final List<ConfigKey<?>> CORE_KEYS =
      List.of(
          SERVICE_NAME,
          ENVIRONMENT,
          SERVICE_VERSION,
          SERVICE_INSTANCE_ID,
          METRICS_HOST,
          METRICS_PORT,
          METRICS_PATH,
          METRICS_EXPORT,
          ENDPOINT_TOKEN,
          CARDINALITY_LIMIT,
          SHUTDOWN_TIMEOUT,
          SHUTDOWN_DRAIN,
          JVM_METRICS,
          LLM_PRICES_FILE,
          COMMON_TAGS,
          MASK_EMAILS,
          MASK_PATTERNS);

  /** The keys {@link #masking()} reads. */
  private static final java.util.Set<String> MASKING_KEYS =
      java.util.Set.of(MASK_EMAILS.name(), MASK_PATTERNS.name(), LOG_MASK_EMAILS.name());

  private final Map<String, ConfigLoader.Value> values;
  private final Map<String, ConfigKey<?>> declared;
  private final ServiceIdentity identity;
  private final Map<String, String> identitySources;
  private final Map<String, String> env;
  private final Properties properties;
  private List<String> spellingConflicts = List.of();

  /**
   * The masking policy of this configuration, built on first use; shared with the configurations
   * derived from this one that do not change a masking key, so that every module gets the same.
   */
  private java.util.concurrent.atomic.AtomicReference<SecretMasking> masking =
      new java.util.concurrent.atomic.AtomicReference<>();

  private MonitoringConfig(
      Map<String, ConfigLoader.Value> values,
      Map<String, ConfigKey<?>> declared,
      ServiceIdentity.Sourced identity,
      Map<String, String> env,
      Properties properties) {
    this.values = Map.copyOf(values);
    this.declared = Map.copyOf(declared);
    this.identity = identity.identity();
    this.identitySources = Map.copyOf(identity.sources());
    this.env = env;
    this.properties = properties;
  }

  /**
   * The configuration of {@code serviceName} from the environment and system properties alone, for
   * modules installed without {@link Monitoring}.
   *
   * @throws IllegalArgumentException when {@code serviceName} is null or blank
   */
  public static MonitoringConfig fromEnvironment(String serviceName) {
    return load(
        serviceName,
        Startup.applicationVersion(),
        System.getenv(),
        System.getProperties(),
        Map.of());
  }

  static MonitoringConfig load(
      String serviceName,
      String applicationVersion,
      Map<String, String> env,
      Properties properties,
      Map<String, ConfigLoader.Value> builder) {
    if (serviceName == null || serviceName.isBlank()) {
      throw new IllegalArgumentException(
          "service name is "
              + (serviceName == null ? "null" : "blank")
              + ": pass the service's name, e.g. Monitoring.start(\"ai-companion\")");
    }
    ConfigLoader loader = ConfigLoader.load(env, properties, builder);
    Map<String, ConfigKey<?>> declared = new LinkedHashMap<>();
    CORE_KEYS.forEach(k -> declared.put(k.name(), k));
    MonitoringConfig config =
        new MonitoringConfig(
            loader.values(),
            declared,
            resolveIdentity(loader.values(), env, properties, serviceName, applicationVersion),
            env,
            properties);
    config.spellingConflicts = List.copyOf(loader.spellingConflicts());
    return config;
  }

  private static ServiceIdentity.Sourced resolveIdentity(
      Map<String, ConfigLoader.Value> values,
      Map<String, String> env,
      Properties properties,
      String startName,
      String applicationVersion) {
    Map<String, String[]> raw = new HashMap<>();
    values.forEach(
        (key, value) -> {
          ConfigKey<?> declaredKey =
              CORE_KEYS.stream().filter(k -> k.name().equals(key)).findFirst().orElse(null);
          raw.put(
              key,
              new String[] {
                value.value(), value.describe(declaredKey != null && declaredKey.isSecret())
              });
        });
    return ServiceIdentity.resolve(raw, env, properties, startName, applicationVersion);
  }

  /**
   * This configuration with the keys of {@code modules} declared too, so that {@link #describe}
   * masks their secrets and {@link #unknownKeyWarnings()} knows them.
   */
  MonitoringConfig declaring(Collection<ConfigKey<?>> moduleKeys) {
    Map<String, ConfigKey<?>> all = new LinkedHashMap<>(declared);
    moduleKeys.forEach(k -> all.put(k.name(), k));
    MonitoringConfig config =
        new MonitoringConfig(
            values, all, new ServiceIdentity.Sourced(identity, identitySources), env, properties);
    config.spellingConflicts = spellingConflicts;
    config.masking = masking;
    return config;
  }

  /**
   * This configuration with {@code values} set in code on top, e.g. by a module's own builder used
   * without {@link Monitoring}: each value is named in messages as {@code method(value)}.
   *
   * @param values canonical key -> value; a null value is ignored
   * @param methods canonical key -> the builder method that set it, e.g. {@code elasticsearch}
   */
  public MonitoringConfig withBuilderValues(
      Map<String, String> values, Map<String, String> methods) {
    Map<String, ConfigLoader.Value> merged = new LinkedHashMap<>(this.values);
    boolean maskingChanged = false;
    for (Map.Entry<String, String> entry : values.entrySet()) {
      String key = entry.getKey();
      String value = entry.getValue();
      if (value != null) {
        String method = methods.getOrDefault(key, "config(\"" + key + "\"");
        merged.put(key, new ConfigLoader.Value(value, method, true));
        maskingChanged |= MASKING_KEYS.contains(key);
      }
    }
    // a module builder used alone may name the service, environment, version or instance
    // (config("environment", "prod")): the identity is resolved again with those values on top,
    // the name and version resolved so far staying the fallbacks
    boolean namesIdentity =
        values.entrySet().stream()
            .anyMatch(e -> e.getValue() != null && IDENTITY_KEYS.contains(e.getKey()));
    ServiceIdentity.Sourced sourced =
        namesIdentity
            ? resolveIdentity(
                merged,
                env,
                properties,
                identity.name(),
                identitySource("version").equals(ServiceIdentity.DEFAULT)
                    ? null
                    : identity.version())
            : new ServiceIdentity.Sourced(identity, identitySources);
    MonitoringConfig config = new MonitoringConfig(merged, declared, sourced, env, properties);
    config.spellingConflicts = spellingConflicts;
    if (!maskingChanged) {
      config.masking = masking;
    }
    return config;
  }

  /**
   * The masking policy of every signal, from {@code MONITORING_MASK_EMAILS} (or its older name
   * {@code MONITORING_LOG_MASK_EMAILS}) and {@code MONITORING_MASK_PATTERNS}: built once, and the
   * same instance for the logging, tracing and Sentry parts that {@link Monitoring} starts with
   * this configuration. A module's own {@code mask(regex)} adds to it ({@link
   * SecretMasking#toBuilder()}).
   *
   * @throws MonitoringException naming the key as set, the pattern, the rule and the fix when a
   *     pattern is refused
   */
  public SecretMasking masking() {
    SecretMasking current = masking.get();
    if (current != null) {
      return current;
    }
    SecretMasking built =
        SecretMasking.builder()
            .maskEmails(get(MASK_EMAILS) || get(LOG_MASK_EMAILS))
            .patterns(get(MASK_PATTERNS))
            .build();
    return masking.compareAndExchange(null, built) == null ? built : masking.get();
  }

  /** The keys {@link ServiceIdentity} is resolved from. */
  private static final java.util.Set<String> IDENTITY_KEYS =
      java.util.Set.of("service.name", "environment", "service.version", "service.instance.id");

  /** Who is monitored: name, environment, version, instance, resolved once. */
  public ServiceIdentity identity() {
    return identity;
  }

  /** The service name; see {@link ServiceIdentity}. */
  public String serviceName() {
    return identity.name();
  }

  /** The environment, default {@code dev}; see {@link ServiceIdentity}. */
  public String environment() {
    return identity.environment();
  }

  /** The application's version, else {@code unknown}; see {@link ServiceIdentity}. */
  public String serviceVersion() {
    return identity.version();
  }

  /**
   * The value of {@code key}: the configured value parsed by the key's type, else its default (null
   * for a key without one; use {@link #find} for those).
   *
   * @throws MonitoringException naming how the user set the key, the value and the rule
   */
  public <T> T get(ConfigKey<T> key) {
    return find(key).orElse(key.defaultValue());
  }

  /** The configured value of {@code key}, parsed, if it is set and not blank. */
  public <T> Optional<T> find(ConfigKey<T> key) {
    ConfigLoader.Value v = values.get(key.name());
    if (v == null || v.value().isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(key.parse(v.value()));
    } catch (IllegalArgumentException e) {
      throw new MonitoringException(describe(key) + " " + e.getMessage());
    }
  }

  /** Whether {@code key} is set (to a non-blank value). */
  public boolean isSet(ConfigKey<?> key) {
    ConfigLoader.Value v = values.get(key.name());
    return v != null && !v.value().isBlank();
  }

  /**
   * How the user set {@code key}, for messages: {@code MONITORING_LOG_LEVEL=TRACEE}, {@code
   * -Dmonitoring.log.level=x}, {@code metricsPort(70000)}, {@code config("cardinality.limit",
   * "x")}; the environment name when unset. Secret values are masked.
   */
  public String describe(ConfigKey<?> key) {
    ConfigLoader.Value v = values.get(key.name());
    return v == null ? key.envName() : v.describe(key.isSecret());
  }

  /** Reads every declared key that is set, so that a bad value fails now. */
  void validate() {
    for (ConfigKey<?> key : declared.values()) {
      find(key);
    }
    masking();
    String path = get(METRICS_PATH);
    if (!path.startsWith("/") || path.length() < 2 || path.contains("?") || path.contains(" ")) {
      throw new MonitoringException(
          describe(METRICS_PATH)
              + " is not a path: it must start with \"/\" and name a path, e.g. /metrics");
    }
  }

  /** WARN lines for configured keys that no loaded module declares, and for doubly set keys. */
  List<String> unknownKeyWarnings() {
    List<String> warnings =
        new java.util.ArrayList<>(ConfigLoader.unknownKeyWarnings(values, declared.keySet()));
    warnings.addAll(spellingConflicts);
    return warnings;
  }

  /** Whether an undeclared key is a near miss of a declared secret key (a typo of a password). */
  private boolean nearSecret(String key) {
    for (ConfigKey<?> k : declared.values()) {
      if (k.isSecret() && ConfigLoader.distance(key, k.name()) <= 2) {
        return true;
      }
    }
    return false;
  }

  /** The summary logged at start: every set key, secrets masked, and the identity's sources. */
  String summary() {
    StringBuilder text = new StringBuilder();
    values.forEach(
        (key, value) -> {
          ConfigKey<?> k = declared.get(key);
          boolean secret =
              k != null ? k.isSecret() : ConfigKeys.looksSecret(key) || nearSecret(key);
          text.append(text.length() == 0 ? "" : ", ").append(value.describe(secret));
        });
    return text.toString();
  }

  /**
   * Where the identity's {@code field} ({@code name}, {@code environment}, {@code version}, {@code
   * instance}) came from, as the start-up line names it, e.g. {@code OTEL_SERVICE_NAME}, {@code
   * HOSTNAME} or {@code default}.
   */
  public String identitySource(String field) {
    return identitySources.getOrDefault(field, ServiceIdentity.DEFAULT);
  }

  /**
   * Whether the identity's {@code field} was set by the user (any configured source), not taken
   * from a built-in default or from the host ({@code HOSTNAME}, the local host name).
   */
  public boolean isExplicit(String field) {
    String source = identitySource(field);
    return !source.equals(ServiceIdentity.DEFAULT)
        && !source.equals(ServiceIdentity.HOSTNAME)
        && !source.equals(ServiceIdentity.LOCAL_HOST);
  }

  /** Where each identity field came from, for the start-up line. */
  Map<String, String> identitySources() {
    return identitySources;
  }
}
