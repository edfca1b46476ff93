package com.aicompanion.monitoring.health;

import com.aicompanion.monitoring.MonitoringConfig;
import com.aicompanion.monitoring.health.internal.HealthKeys;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's health checks: registered by name, run in parallel on a bounded pool, each with its
 * own timeout, results cached so that probes cannot stampede a dependency.
 *
 * <pre>{@code
 * HealthRegistry health = monitoring.get(HealthRegistry.class);     // or HealthRegistry.builder().build()
 * health.register("postgres", HealthChecks.jdbc(dataSource),
 *     CheckOptions.critical().timeout(Duration.ofSeconds(2)));
 * health.register("cache", HealthChecks.redis("localhost", 6379), CheckOptions.nonCritical());
 * HealthReport ready = health.check(CheckOptions.Group.READINESS);
 * }</pre>
 *
 * <p>Every run ends within the check's timeout with a result whose output names how it ended: the
 * check's result, {@code fail} for {@code null} or any {@code Throwable} ({@code ExceptionType:
 * message}), {@code timed out after 2s} (interrupted), {@code timed out after 2s waiting for a
 * thread} (expired in the queue, never started); a non-critical check's failure is reported as
 * {@code warn}. No ending stops the next probe from running the check. A run that ignores the
 * interrupt is abandoned: it gives its pool place back, is counted in {@code
 * health_check_abandoned_runs{check}}, and at most {@link Builder#maxAbandonedRuns(int)} of them
 * per check are outstanding. Every result updates {@code health_check_status{check}} (1 pass, 0.5
 * warn, 0 fail; one series per check, updated in place) and {@code
 * health_check_duration_seconds{check,status}}; {@link StatusListener}s learn of status changes.
 */
public final class HealthRegistry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HealthRegistry.class);
  private static final Comparator<CheckEntry> SUBMISSION_ORDER =
      Comparator.comparing((CheckEntry e) -> !e.options.isCritical())
          .thenComparing(e -> e.options.timeout())
          .thenComparing(e -> e.name);

  /** Learns when a check's reported status changes (and of its first result). */
  @FunctionalInterface
  public interface StatusListener {
    /**
     * Called on the thread that finished the run; must not block.
     *
     * @param previous the previous result, or null for the first one
     */
    void statusChanged(
        String check, CheckOptions options, @Nullable CheckResult previous, CheckResult current);
  }

  private final Map<String, CheckEntry> entries = new ConcurrentSkipListMap<>();
  private final List<StatusListener> listeners = new CopyOnWriteArrayList<>();
  private final Duration cacheInterval;
  private final Clock clock;
  private final RunPool pool;
  private final ScheduledThreadPoolExecutor timer;
  private final CheckMetrics metrics;
  private final int maxAbandonedRuns;
  private final String serviceId;
  private final String version;

  private HealthRegistry(Builder builder) {
    this.cacheInterval = builder.cacheInterval;
    this.clock = builder.clock;
    this.maxAbandonedRuns = builder.maxAbandonedRuns;
    this.serviceId = builder.serviceId;
    this.version = builder.version;
    this.metrics = new CheckMetrics(builder.meterRegistry);
    this.pool = new RunPool(builder.threads, builder.queue);
    this.timer = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "monitoring-health-timer"));
    timer.setRemoveOnCancelPolicy(true);
    if (!builder.refreshInterval.isZero()) {
      long ms = builder.refreshInterval.toMillis();
      timer.scheduleWithFixedDelay(this::refresh, ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  /** A registry with the defaults: see {@link Builder}. */
  public HealthRegistry() {
    this(new Builder());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Registers a critical check with the default options ({@link CheckOptions#critical()}). */
  public void register(String name, HealthCheck check) {
    register(name, check, CheckOptions.critical());
  }

  /**
   * Registers {@code check} under {@code name}.
   *
   * @throws IllegalArgumentException when the name is blank or already registered
   */
  public void register(String name, HealthCheck check, CheckOptions options) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("health check name is blank: use e.g. \"postgres\"");
    }
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(options, "options");
    if (closed) {
      throw new IllegalStateException(
          "health check \""
              + name
              + "\" registered after the registry was closed: register checks"
              + " before close()");
    }
    Duration interval = options.cacheInterval() != null ? options.cacheInterval() : cacheInterval;
    CheckEntry entry =
        new CheckEntry(
            name, check, options, interval, pool, timer, clock, this::onResult, maxAbandonedRuns);
    CheckEntry previous = entries.putIfAbsent(name, entry);
    if (previous != null) {
      throw new IllegalArgumentException(
          "health check \"" + name + "\" is already registered; unregister it first");
    }
    metrics.register(name, options.isCritical(), entry, CheckEntry::abandoned);
  }

  /** Removes the check and its metrics; returns whether it was registered. */
  public boolean unregister(String name) {
    CheckEntry removed = entries.remove(name);
    if (removed != null) {
      metrics.remove(name);
    }
    return removed != null;
  }

  public void addListener(StatusListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Runs (or reuses) every check; returns within the longest check timeout. */
  public HealthReport check() {
    return check(entry -> true);
  }

  /**
   * Runs (or reuses) the checks of {@code group}; an empty group is {@code pass}. After {@link
   * #drain()}, {@code READINESS} is {@code fail} at once with the single check {@value
   * #DRAIN_CHECK}: {@code shutting down} (also the document's own {@code output}, which anonymous
   * callers see), and no check runs for it.
   */
  public HealthReport check(CheckOptions.Group group) {
    Objects.requireNonNull(group, "group");
    if (draining && group == CheckOptions.Group.READINESS) {
      return new HealthReport(
          Map.of(DRAIN_CHECK, CheckResult.fail("shutting down")),
          serviceId,
          version,
          "shutting down");
    }
    return check(entry -> entry.options.groups().contains(group));
  }

  /** The name of the check that readiness reports during a drain. */
  public static final String DRAIN_CHECK = "shutdown";

  /**
   * Starts a graceful shutdown: from now on readiness ({@link #check(CheckOptions.Group)} with
   * {@code READINESS}) answers {@code fail}, so that load balancers and Kubernetes stop sending
   * traffic while the service still serves what is in flight; liveness and {@link #check()} are
   * unchanged. {@link com.aicompanion.monitoring.Monitoring#close()} calls it at the start of its
   * drain period ({@code MONITORING_SHUTDOWN_DRAIN}); a service using this registry alone calls it
   * from its own shutdown hook. Idempotent; there is no way back.
   */
  public void drain() {
    draining = true;
  }

  /** Whether {@link #drain()} was called. */
  public boolean isDraining() {
    return draining;
  }

  /** Names of the registered checks, sorted. */
  public List<String> names() {
    return new ArrayList<>(entries.keySet());
  }

  private volatile boolean draining;
  private volatile boolean closed;

  private HealthReport check(Predicate<CheckEntry> selected) {
    List<CheckEntry> chosen = new ArrayList<>();
    for (CheckEntry entry : entries.values()) {
      if (selected.test(entry)) {
        chosen.add(entry);
      }
    }
    // critical checks and short timeouts first, so that a slow check does not make a quick one
    // expire while it waits for a thread
    chosen.sort(SUBMISSION_ORDER);
    Map<String, CompletableFuture<CheckResult>> running = new TreeMap<>();
    for (CheckEntry entry : chosen) {
      running.put(entry.name, entry.result());
    }
    Map<String, CheckResult> results = new TreeMap<>();
    running.forEach((name, future) -> results.put(name, future.join()));
    return new HealthReport(results, serviceId, version);
  }

  private void onResult(CheckEntry entry, CheckResult previous, CheckResult current) {
    if (entries.get(entry.name) != entry) {
      // the check was unregistered (perhaps re-registered under its name) while this run went on
      return;
    }
    metrics.record(entry.name, current);
    if (previous == null || previous.status() != current.status()) {
      if (current.status() == CheckResult.Status.FAIL || previous != null) {
        LOG.info(
            "Health check {} is {}{}",
            entry.name,
            current.status().text(),
            previous == null ? "" : " (was " + previous.status().text() + ")");
      }
      for (StatusListener listener : listeners) {
        try {
          listener.statusChanged(entry.name, entry.options, previous, current);
        } catch (Throwable e) { // NOPMD: a listener must not end the run's thread
          LOG.warn("Health status listener {} failed for check {}", listener, entry.name, e);
        }
      }
    }
  }

  private void refresh() {
    try {
      check();
    } catch (RuntimeException e) {
      LOG.warn("Background health refresh failed", e);
    }
  }

  /** How many times the named check has actually run (for tests and diagnostics); 0 if unknown. */
  long runs(String name) {
    CheckEntry entry = entries.get(name);
    return entry == null ? 0 : entry.runs();
  }

  /** Runs of the named check that timed out, ignored the interrupt and have not returned. */
  int abandonedRuns(String name) {
    CheckEntry entry = entries.get(name);
    return entry == null ? 0 : entry.abandoned();
  }

  /**
   * Stops the pool and the timer; checks still running are interrupted, and probes waiting for them
   * get {@code fail} at once. Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
    pool.close();
    entries.values().forEach(CheckEntry::stop);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Settings of a {@link HealthRegistry}, frozen at {@link #build()}. */
  public static final class Builder {
    private MeterRegistry meterRegistry = Metrics.globalRegistry;
    private Duration cacheInterval = HealthKeys.CACHE_INTERVAL.defaultValue();
    private Duration refreshInterval = HealthKeys.REFRESH_INTERVAL.defaultValue();
    private int threads = 4;
    private int queue = 64;
    private int maxAbandonedRuns = 2;
    private Clock clock = Clock.systemUTC();
    private String serviceId;
    private String version;

    private Builder() {}

    /**
     * Reads {@code MONITORING_HEALTH_CACHE_INTERVAL} and {@code MONITORING_HEALTH_REFRESH_INTERVAL}
     * from {@code config}, with the same defaults as {@link #cacheInterval} and {@link
     * #refreshInterval}.
     *
     * @throws com.aicompanion.monitoring.MonitoringException for a bad value, naming it
     */
    public Builder config(MonitoringConfig config) {
      cacheInterval(config.get(HealthKeys.CACHE_INTERVAL));
      return refreshInterval(config.get(HealthKeys.REFRESH_INTERVAL));
    }

    /** Where the health metrics go; default Micrometer's global registry. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * How long a result is reused unless a check sets its own; default 1s ({@code
     * MONITORING_HEALTH_CACHE_INTERVAL}).
     */
    public Builder cacheInterval(Duration interval) {
      if (interval == null || interval.isNegative()) {
        throw new IllegalArgumentException("cacheInterval(" + interval + ") must be 0 or more");
      }
      this.cacheInterval = interval;
      return this;
    }

    /**
     * Runs all checks in the background this often, so that status listeners (and alerts) react
     * without probes; default 10s, the same as through {@code Monitoring} ({@code
     * MONITORING_HEALTH_REFRESH_INTERVAL}); {@code Duration.ZERO} runs checks only when probed.
     */
    public Builder refreshInterval(Duration interval) {
      if (interval == null || interval.isNegative()) {
        throw new IllegalArgumentException("refreshInterval(" + interval + ") must be 0 or more");
      }
      this.refreshInterval = interval;
      return this;
    }

    /**
     * How many checks run at once; default 4. At most one run per check is in flight; further runs
     * wait in a queue of 64 and, when their timeout passes first, end as {@code fail} with {@code
     * timed out after 2s waiting for a thread}. A run abandoned after its timeout gives its place
     * back even while its thread is still blocked.
     *
     * @throws IllegalArgumentException when not in [1, 64]
     */
    public Builder threads(int threads) {
      if (threads < 1 || threads > 64) {
        throw new IllegalArgumentException(
            "threads(" + threads + ") must be in [1, 64]; the default is 4");
      }
      this.threads = threads;
      return this;
    }

    /**
     * How many abandoned runs of one check (runs that overran their timeout and ignored the
     * interrupt, so their thread is still blocked) may be outstanding before the check is no longer
     * started: it then reports {@code fail} with {@code not run: 2 earlier run(s) timed out,
     * ignored interruption and still hold 2 threads ...} until one returns. Default 2: a second run
     * gets its chance (a frozen pooled connection often affects one run only), a check that always
     * hangs holds at most 2 threads. Exposed as {@code health_check_abandoned_runs{check}}.
     *
     * @throws IllegalArgumentException when not in [1, 16]
     */
    public Builder maxAbandonedRuns(int runs) {
      if (runs < 1 || runs > 16) {
        throw new IllegalArgumentException(
            "maxAbandonedRuns(" + runs + ") must be in [1, 16]; the default is 2");
      }
      this.maxAbandonedRuns = runs;
      return this;
    }

    /**
     * The {@code serviceId} of the health+json documents ({@link HealthReport#toJson(boolean)});
     * default null = left out. {@code Monitoring} sets the service name.
     */
    public Builder serviceId(String serviceId) {
      this.serviceId = serviceId;
      return this;
    }

    /**
     * The {@code version} of the health+json documents; default null = left out. {@code Monitoring}
     * sets the service version.
     */
    public Builder version(String version) {
      this.version = version;
      return this;
    }

    /** The clock for result timestamps; default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public HealthRegistry build() {
      return new HealthRegistry(this);
    }
  }
}
