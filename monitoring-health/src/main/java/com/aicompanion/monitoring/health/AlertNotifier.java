package com.aicompanion.monitoring.health;

import com.aicompanion.monitoring.MonitoringConfig;
import com.aicompanion.monitoring.health.internal.HealthKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends application-side alerts to Prometheus Alertmanager ({@code POST /api/v2/alerts}), without
 * blocking the caller: alerts go through a bounded queue to one sender thread that retries with
 * backoff while Alertmanager is down, and re-sends active alerts before Alertmanager's resolve
 * timeout would close them.
 *
 * <pre>{@code
 * AlertNotifier alerts = monitoring.get(AlertNotifier.class);   // off unless MONITORING_ALERTMANAGER_URL
 * alerts.fire(Alert.builder("LlmBudgetExceeded").severity(Severity.WARNING)
 *     .summary("LLM spend is over the daily budget").label("model", "gpt-4o").build());
 * alerts.resolve(sameAlert);
 * }</pre>
 *
 * <p>Every alert carries the labels {@code alertname}, {@code severity}, {@code service}, {@code
 * environment} and {@code team}, the labels Alertmanager routes on; {@code service}, {@code
 * environment} and {@code team} come from the builder ({@link Builder#config(MonitoringConfig)}:
 * {@code MONITORING_SERVICE_NAME}, {@code MONITORING_ENVIRONMENT}, {@code MONITORING_ALERTS_TEAM},
 * default {@code backend}) unless the alert sets them itself. An alert's identity is its full label
 * set without {@code severity}, as Alertmanager sees it: firing it with another severity resolves
 * the old one at once. An annotation name Alertmanager refuses ({@code runbook-url}) is renamed
 * ({@code runbook_url}) with a WARN naming both, once per name, and counted in {@code
 * monitoring_alert_annotations_renamed_total}: {@code fire} never throws for it and the alert still
 * goes out. Each posted alert is counted in {@code monitoring_alerts_total{outcome}}: {@code sent},
 * {@code failed} (an attempt that will be retried), {@code rejected} (Alertmanager refused it with
 * a 4xx answer: not retried, logged with Alertmanager's message; one invalid alert does not hold
 * back the others) or {@code dropped} (queue full, or not sent at close). Sending runs on the
 * library's {@link com.aicompanion.monitoring.Delivery} component. With {@link #healthListener()} a
 * critical check that turns {@code fail} fires {@code HealthCheckFailed{check=...}} and resolves it
 * when the check passes again.
 */
public final class AlertNotifier implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AlertNotifier.class);

  /** The alert a failing critical health check fires. */
  public static final String HEALTH_CHECK_FAILED = "HealthCheckFailed";

  /** The default of the {@code team} label ({@code MONITORING_ALERTS_TEAM}). */
  public static final String DEFAULT_TEAM = "backend";

  private static final int MAX_WARNED_NAMES = 256;

  /** A team name as the stack's routes spell them (alertmanager.yml: {@code team="backend"}). */
  private static final java.util.regex.Pattern TEAM =
      java.util.regex.Pattern.compile("[a-z][a-z0-9_-]*");

  private record Active(Alert alert, Instant startsAt) {}

  private final AlertSender sender;
  private final Clock clock;
  private final Map<String, String> defaults;
  private final Map<Map<String, String>, Active> active = new ConcurrentHashMap<>();
  private final Set<String> warnedNames = ConcurrentHashMap.newKeySet();
  private final Counter renamed;

  private AlertNotifier(Builder b) {
    this.clock = b.clock;
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("service", b.service);
    labels.put("environment", b.environment);
    labels.put("team", b.team);
    this.defaults = Map.copyOf(labels);
    this.renamed =
        b.url == null
            ? null
            : Counter.builder("monitoring_alert_annotations_renamed")
                .description(
                    "Alert annotations renamed because Alertmanager refuses their name (e.g."
                        + " runbook-url sent as runbook_url)")
                .register(b.meterRegistry);
    this.sender =
        b.url == null
            ? null
            : new AlertSender(
                alertsEndpoint(b.url),
                defaults,
                b.queueCapacity,
                b.resendInterval,
                b.retryBackoff,
                b.maxRetryBackoff,
                b.clock,
                b.meterRegistry,
                this::resendActive);
  }

  /**
   * {@code POST /api/v2/alerts} under {@code base}, keeping its path: {@code http://host:9093/am}
   * (Alertmanager's {@code --web.route-prefix=/am}, or a proxy) posts to {@code
   * http://host:9093/am/api/v2/alerts}. A query or fragment is dropped.
   */
  static URI alertsEndpoint(URI base) {
    String path = base.getRawPath() == null ? "" : base.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return URI.create(base.getScheme() + "://" + base.getRawAuthority() + path + "/api/v2/alerts");
  }

  /**
   * A notifier for Alertmanager at {@code alertmanagerUrl} (e.g. {@code http://alertmanager:9093});
   * null builds a disabled notifier.
   */
  public static Builder builder(@Nullable URI alertmanagerUrl) {
    return new Builder(alertmanagerUrl);
  }

  /** A notifier that accepts alerts and sends nothing (no Alertmanager configured). */
  public static AlertNotifier disabled() {
    return new Builder(null).build();
  }

  /** Whether an Alertmanager URL is configured. */
  public boolean isEnabled() {
    return sender != null;
  }

  /**
   * Fires {@code alert} (or refreshes it, keeping its start time) and keeps re-sending it until
   * {@link #resolve(Alert)}. Firing an active alert with another severity resolves the old one and
   * starts the new one. Never blocks or throws for a non-null alert; a full queue drops and counts
   * it (the next re-send delivers it); an annotation name Alertmanager refuses is renamed (see the
   * class documentation).
   *
   * @throws NullPointerException when {@code alert} is null
   */
  public void fire(Alert alert) {
    Objects.requireNonNull(alert, "alert");
    Alert checked = checkAnnotations(alert);
    // the state change and its posting happen under the map's lock of this identity, so the
    // postings of one alert are queued in the order of its state changes (a fire racing a resolve
    // reaches Alertmanager in the order the map saw them)
    active.compute(
        identity(checked),
        (key, old) -> {
          Instant now = clock.instant();
          Active next;
          if (old != null && old.alert().severity() != checked.severity()) {
            post(old, now);
            next = new Active(checked, now);
          } else {
            // a start in the future (the clock was ahead and has been set back) becomes now
            next =
                new Active(
                    checked, old == null || old.startsAt().isAfter(now) ? now : old.startsAt());
          }
          post(next, null);
          return next;
        });
  }

  /**
   * Resolves the active alert with the same name and labels, whatever its severity; nothing happens
   * if it is not active. Never blocks or throws for a non-null alert.
   *
   * @throws NullPointerException when {@code alert} is null
   */
  public void resolve(Alert alert) {
    Objects.requireNonNull(alert, "alert");
    active.computeIfPresent(
        identity(alert),
        (key, old) -> {
          post(old, clock.instant());
          return null;
        });
  }

  /** Queues one state of an alert (firing when {@code resolvedAt} is null); never blocks. */
  private void post(Active alert, @Nullable Instant resolvedAt) {
    if (sender != null) {
      sender.offer(alert.alert(), alert.startsAt(), resolvedAt);
    }
  }

  /**
   * On the sender's worker: offers every active alert again, each under its identity's lock, so
   * that a re-send read before a resolve cannot be queued after it.
   */
  private void resendActive(AlertSender to) {
    for (Map<String, String> key : active.keySet()) {
      active.computeIfPresent(
          key,
          (k, current) -> {
            to.offer(current.alert(), current.startsAt(), null);
            return current;
          });
    }
  }

  /**
   * The alert's labels as Alertmanager receives them, without {@code severity}: {@code alertname},
   * the notifier's {@code service/environment/team} and the alert's own labels, which win.
   */
  private Map<String, String> identity(Alert alert) {
    Map<String, String> labels = new TreeMap<>(defaults);
    labels.putAll(alert.labels());
    labels.put("alertname", alert.name());
    return labels;
  }

  /** {@code alert} with the annotation names Alertmanager refuses renamed. */
  private Alert checkAnnotations(Alert alert) {
    Map<String, String> annotations = alert.annotations();
    boolean valid = true;
    for (String name : annotations.keySet()) {
      valid &= Alert.LABEL_NAME.matcher(name).matches();
    }
    if (valid) {
      return alert;
    }
    Map<String, String> fixed = new TreeMap<>();
    annotations.forEach(
        (name, value) -> {
          if (Alert.LABEL_NAME.matcher(name).matches()) {
            fixed.put(name, value);
          }
        });
    annotations.forEach(
        (name, value) -> {
          if (!Alert.LABEL_NAME.matcher(name).matches()) {
            String fixedName = Alert.fixedName(name);
            // a valid annotation of that name wins
            fixed.putIfAbsent(fixedName, value);
            if (renamed != null) {
              renamed.increment();
            }
            if (warnedNames.size() < MAX_WARNED_NAMES && warnedNames.add(name)) {
              LOG.warn(
                  "Alert {}: Alertmanager refuses the annotation name \"{}\" (names must match"
                      + " [a-zA-Z_][a-zA-Z0-9_]*), so it is sent as \"{}\"; name it \"{}\" in the"
                      + " code that builds the alert (logged once per name)",
                  alert.name(),
                  name,
                  fixedName,
                  fixedName);
            }
          }
        });
    return alert.withAnnotations(fixed);
  }

  /** The alerts fired and not resolved. */
  public List<Alert> active() {
    return active.values().stream().map(Active::alert).toList();
  }

  /**
   * A {@link HealthRegistry.StatusListener} that fires {@code HealthCheckFailed{check=<name>}}
   * (severity critical) when a critical check reports {@code fail} and resolves it when the check
   * reports anything else.
   */
  public HealthRegistry.StatusListener healthListener() {
    return (check, options, previous, current) -> {
      if (!options.isCritical()) {
        return;
      }
      Alert.Builder alert =
          Alert.builder(HEALTH_CHECK_FAILED)
              .severity(Severity.CRITICAL)
              .label("check", check)
              .summary("Health check " + check + " fails");
      if (current.status() == CheckResult.Status.FAIL) {
        if (current.output() != null) {
          alert.description(current.output());
        }
        fire(alert.build());
      } else if (previous != null && previous.status() == CheckResult.Status.FAIL) {
        resolve(alert.build());
      }
    };
  }

  /**
   * Stops the sender after delivering what is queued, within 5 seconds (at once when Alertmanager
   * fails: no backoff is waited out); what remains is counted as dropped. Active alerts are not
   * resolved: Alertmanager closes them when their {@code endsAt} passes. Idempotent.
   */
  @Override
  public void close() {
    if (sender != null) {
      sender.close();
    }
  }

  /** Settings of an {@link AlertNotifier}, frozen at {@link #build()}. */
  public static final class Builder {
    private final URI url;
    private String service = "unknown";
    private String environment = "dev";
    private String team = DEFAULT_TEAM;
    private int queueCapacity = 1000;
    private Duration resendInterval = Duration.ofMinutes(1);
    private Duration retryBackoff = Duration.ofMillis(500);
    private Duration maxRetryBackoff = Duration.ofSeconds(30);
    private MeterRegistry meterRegistry = Metrics.globalRegistry;
    private Clock clock = Clock.systemUTC();

    private Builder(URI url) {
      if (url != null && com.aicompanion.monitoring.ConfigKey.httpUrl(url.toString()) == null) {
        throw new IllegalArgumentException(
            "Alertmanager URL " + url + " is not an http(s) URL, e.g. http://alertmanager:9093");
      }
      this.url = url;
    }

    /**
     * The service name, environment and team from {@code config} ({@code MONITORING_SERVICE_NAME},
     * {@code MONITORING_ENVIRONMENT}, {@code MONITORING_ALERTS_TEAM}; a blank value is unset, so
     * the default applies).
     */
    public Builder config(MonitoringConfig config) {
      return service(config.serviceName())
          .environment(config.environment())
          .team(config.get(HealthKeys.ALERTS_TEAM));
    }

    /**
     * The {@code team} label Alertmanager routes on; default {@value AlertNotifier#DEFAULT_TEAM}
     * ({@code MONITORING_ALERTS_TEAM}). An alert's own {@code team} label wins. Alertmanager's
     * routes match team names exactly and in lower case ({@code team="backend"}), so a team must
     * match {@code [a-z][a-z0-9_-]*}: {@code Backend} would silently miss its route and reach the
     * fallback receiver.
     *
     * @throws IllegalArgumentException when {@code team} does not match {@code [a-z][a-z0-9_-]*}
     *     (the message names the value, the rule and the lower-case fix)
     * @throws NullPointerException when {@code team} is null
     */
    public Builder team(String team) {
      com.aicompanion.monitoring.Arguments.required(team, "team");
      if (!TEAM.matcher(team).matches()) {
        String fix =
            team.strip().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_-]+", "-");
        throw new IllegalArgumentException(
            "team \""
                + team
                + "\" (MONITORING_ALERTS_TEAM) does not match [a-z][a-z0-9_-]*: Alertmanager routes"
                + " match team names exactly in lower case (team=\"backend\"), so this team would"
                + " reach the fallback receiver; write it as a route's team, e.g. \""
                + (fix.isEmpty() || !Character.isLetter(fix.charAt(0)) ? DEFAULT_TEAM : fix)
                + "\"");
      }
      this.team = team;
      return this;
    }

    /** The {@code service} label; default {@code unknown} ({@code MONITORING_SERVICE_NAME}). */
    public Builder service(String service) {
      this.service = com.aicompanion.monitoring.Arguments.required(service, "service");
      return this;
    }

    /** The {@code environment} label; default {@code dev} ({@code MONITORING_ENVIRONMENT}). */
    public Builder environment(String environment) {
      this.environment = com.aicompanion.monitoring.Arguments.required(environment, "environment");
      return this;
    }

    /** Alerts waiting to be sent before new ones are dropped; default 1,000. */
    public Builder queueCapacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("queueCapacity(" + capacity + ") must be at least 1");
      }
      this.queueCapacity = capacity;
      return this;
    }

    /**
     * How often active alerts are re-sent; default 1 minute. Each firing alert is sent with {@code
     * endsAt} four intervals ahead, so Alertmanager resolves it by itself if this service dies.
     */
    public Builder resendInterval(Duration interval) {
      if (interval == null || interval.toMillis() < 10) {
        throw new IllegalArgumentException("resendInterval(" + interval + ") must be >= 10ms");
      }
      this.resendInterval = interval;
      return this;
    }

    /** The first and the longest wait between attempts while Alertmanager is down (500ms, 30s). */
    public Builder retryBackoff(Duration first, Duration max) {
      if (first == null || max == null || first.toMillis() < 1 || max.compareTo(first) < 0) {
        throw new IllegalArgumentException(
            "retryBackoff(" + first + ", " + max + ") needs 1ms <= first <= max");
      }
      this.retryBackoff = first;
      this.maxRetryBackoff = max;
      return this;
    }

    /** Where {@code monitoring_alerts_total} goes; default Micrometer's global registry. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** The clock for {@code startsAt}/{@code endsAt}; default the UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public AlertNotifier build() {
      AlertNotifier notifier = new AlertNotifier(this);
      if (url == null) {
        LOG.debug("Alerts are off: MONITORING_ALERTMANAGER_URL is not set");
      }
      return notifier;
    }
  }
}
