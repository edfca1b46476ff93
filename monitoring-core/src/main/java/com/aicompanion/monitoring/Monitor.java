package com.aicompanion.monitoring;

import com.aicompanion.monitoring.internal.GaugeValue;
import com.aicompanion.monitoring.internal.Guarded;
import com.aicompanion.monitoring.internal.MeterStore;
import com.aicompanion.monitoring.internal.MeterStore.Kind;
import com.aicompanion.monitoring.internal.NameSpace;
import com.aicompanion.monitoring.internal.RecordingErrors;
import com.aicompanion.monitoring.internal.RecordingErrors.Reason;
import com.aicompanion.monitoring.internal.Series;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The facade for recording metrics by name, with labels, without declaring meters first.
 *
 * <pre>{@code
 * Monitor monitor = Monitoring.start("ai-companion").monitor();
 * monitor.incrementCounter("custom_events_total", Map.of("event_type", "user_action"));
 * monitor.recordCustomMetric("custom_operation_duration", Duration.ofMillis(120));
 * monitor.setGauge("queue_depth", 17, Map.of("queue", "ingest"));
 * Counter messages = monitor.counter("messages_total", "channel", "web"); // for hot paths
 * }</pre>
 *
 * <p>Names follow Prometheus: {@code [a-zA-Z_][a-zA-Z0-9_]*}. A counter is exposed with exactly one
 * {@code _total}, a timer in seconds with {@code _seconds}. A name keeps the type and the label
 * keys of its first recording.
 *
 * <p>Recording methods never throw and never block on I/O: an invalid name, a null label value, a
 * name reused with another type or other label keys is refused, logged once at WARN naming the
 * metric and the rule, and counted in {@code monitoring_metric_errors_total{reason}}. Each metric
 * holds at most {@code MONITORING_CARDINALITY_LIMIT} (default 1,000) label sets; further sets are
 * folded into one series whose label values are all {@code OTHER}, counted in {@code
 * monitoring_cardinality_overflow_total{metric}}. Methods that return a meter ({@link #counter},
 * {@link #timer}, {@link #cache}) are set-up calls and throw {@link IllegalArgumentException}
 * instead.
 */
public final class Monitor {
  private final MeterRegistry registry;
  private final NameSpace names;
  private final MeterStore store;
  private final RecordingErrors errors;
  private final HttpServerMetrics http;
  private final HttpClientMetrics httpClient;
  private final LlmMetrics llm;
  private final Series<String, CacheMetrics> caches;

  private Monitor(MeterRegistry registry, int cardinalityLimit, LlmPrices prices) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.errors = new RecordingErrors(registry);
    NameSpace names =
        registry instanceof PrometheusMeterRegistry ? NameSpace.install(registry, errors) : null;
    this.names = names;
    this.store = new MeterStore(registry, cardinalityLimit, errors, names);
    this.http = new HttpServerMetrics(registry, cardinalityLimit, errors);
    this.httpClient = new HttpClientMetrics(registry, cardinalityLimit, errors);
    this.llm = new LlmMetrics(registry, cardinalityLimit, prices, errors);
    this.caches = new Series<>("cache", cardinalityLimit, registry);
    registry
        .config()
        .onMeterRemoved(
            meter -> {
              store.removed(meter);
              http.removed(meter);
              httpClient.removed(meter);
              llm.removed(meter);
            });
  }

  /** A facade over {@code registry} with the default limit (1,000) and the default price table. */
  public static Monitor create(MeterRegistry registry) {
    return new Monitor(registry, 1000, LlmPrices.defaults());
  }

  /**
   * A facade over {@code registry}.
   *
   * @param cardinalityLimit distinct label sets per metric before folding into {@code OTHER}
   * @param prices the LLM price table for {@code llm_cost_usd_total}
   */
  public static Monitor create(MeterRegistry registry, int cardinalityLimit, LlmPrices prices) {
    if (cardinalityLimit < 1) {
      throw new IllegalArgumentException(
          "cardinalityLimit(" + cardinalityLimit + ") must be at least 1 label set per metric");
    }
    return new Monitor(registry, cardinalityLimit, Objects.requireNonNull(prices, "prices"));
  }

  /** Adds 1 to counter {@code name} (with or without {@code _total}) without labels. */
  public void incrementCounter(String name) {
    incrementCounter(name, 1.0, Map.of());
  }

  /** Adds 1 to the series {@code labels} of counter {@code name}. */
  public void incrementCounter(String name, Map<String, String> labels) {
    incrementCounter(name, 1.0, labels);
  }

  /**
   * Adds {@code amount} to the series {@code labels} of counter {@code name}.
   *
   * @param amount a finite number {@code >= 0}; NaN, infinities and negative amounts are refused
   *     (counted in {@code monitoring_metric_errors_total{reason="invalid_value"}}), since a
   *     counter that took one would keep it for good
   */
  public void incrementCounter(String name, double amount, Map<String, String> labels) {
    // the value is checked before the lookup, so that a refused value registers nothing
    String problem = Guarded.counterAmountProblem(amount);
    if (problem == null) {
      if (!(store.meter(name, Kind.COUNTER, labels) instanceof Counter counter)) {
        return;
      }
      problem = Guarded.counterOverflowProblem(amount, counter);
      if (problem == null) {
        counter.increment(amount);
        return;
      }
    }
    errors.refuse(Reason.INVALID_VALUE, "Counter \"" + name + "\" was incremented by " + problem);
  }

  /** Records a duration in timer {@code name}, exposed as {@code <name>_seconds}. */
  public void recordCustomMetric(String name, Duration duration) {
    recordCustomMetric(name, duration, Map.of());
  }

  /** Records a duration in the series {@code labels} of timer {@code name}. */
  public void recordCustomMetric(String name, Duration duration, Map<String, String> labels) {
    String problem = RecordingErrors.durationProblem(duration);
    if (problem != null) {
      errors.refuse(
          Reason.INVALID_VALUE, "Timer \"" + name + "\" was given the duration " + problem);
      return;
    }
    recordTimer(name, labels, duration.toNanos());
  }

  /** Records {@code value} in distribution summary {@code name} (count, sum and max). */
  public void recordCustomMetric(String name, double value) {
    recordCustomMetric(name, value, Map.of());
  }

  /**
   * Records {@code value} in the series {@code labels} of distribution summary {@code name}.
   *
   * @param value a finite number {@code >= 0} (Micrometer's summaries hold no negative values);
   *     anything else is refused and counted as {@code invalid_value}
   */
  public void recordCustomMetric(String name, double value, Map<String, String> labels) {
    String problem = Guarded.summaryValueProblem(value);
    if (problem == null) {
      if (!(store.meter(name, Kind.SUMMARY, labels) instanceof DistributionSummary summary)) {
        return;
      }
      problem = Guarded.summaryOverflowProblem(value, summary.totalAmount());
      if (problem == null) {
        summary.record(value);
        return;
      }
    }
    errors.refuse(
        Reason.INVALID_VALUE, "Distribution summary \"" + name + "\" was given " + problem);
  }

  /** Sets gauge {@code name} to {@code value}; the gauge keeps the value until the next set. */
  public void setGauge(String name, double value) {
    setGauge(name, value, Map.of());
  }

  /**
   * Sets the series {@code labels} of gauge {@code name} to {@code value}. Any double is a valid
   * gauge value, NaN and infinities included (Prometheus exposes them as such).
   */
  public void setGauge(String name, double value, Map<String, String> labels) {
    Object gauge = store.meter(name, Kind.GAUGE, labels);
    if (gauge != null) {
      ((GaugeValue) gauge).set(value);
    }
  }

  /**
   * Runs {@code work} and records its duration in timer {@code name}, also when it throws; the
   * exception reaches the caller unchanged.
   */
  public <T> T time(String name, Map<String, String> labels, Supplier<T> work) {
    long start = registry.config().clock().monotonicTime();
    try {
      return work.get();
    } finally {
      recordNanos(name, labels, start);
    }
  }

  /** Runs {@code work} and records its duration in timer {@code name}, also when it throws. */
  public void time(String name, Map<String, String> labels, Runnable work) {
    long start = registry.config().clock().monotonicTime();
    try {
      work.run();
    } finally {
      recordNanos(name, labels, start);
    }
  }

  private void recordNanos(String name, Map<String, String> labels, long start) {
    recordTimer(name, labels, registry.config().clock().monotonicTime() - start);
  }

  private void recordTimer(String name, Map<String, String> labels, long nanos) {
    Object meter = store.meter(name, Kind.TIMER, labels);
    if (meter instanceof Timer timer) {
      String problem = Guarded.timerProblem(nanos, timer);
      if (problem != null) {
        errors.refuse(
            Reason.INVALID_VALUE, "Timer \"" + name + "\" was given the duration " + problem);
        return;
      }
      timer.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * The counter {@code name} with {@code tags} as key/value pairs, for hot paths: keep it and call
   * {@code increment()}.
   *
   * @throws IllegalArgumentException for an invalid name or label, an odd number of tag strings, or
   *     a name used with another type or other label keys
   */
  public Counter counter(String name, String... tags) {
    return Guarded.counter(
        (Counter) store.meter(name, Kind.COUNTER, pairs(name, tags), MeterStore.THROW), errors);
  }

  /** The timer {@code name} with {@code tags} as key/value pairs; see {@link #counter}. */
  public Timer timer(String name, String... tags) {
    return Guarded.timer(
        (Timer) store.meter(name, Kind.TIMER, pairs(name, tags), MeterStore.THROW), errors);
  }

  private static Map<String, String> pairs(String name, String... tags) {
    if (tags.length % 2 != 0) {
      throw new IllegalArgumentException(
          "Tags of metric \""
              + name
              + "\" must be key/value pairs, but "
              + tags.length
              + " strings were given");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < tags.length; i += 2) {
      labels.put(tags[i], tags[i + 1]);
    }
    return labels;
  }

  /** Removes meters found to break the exposition; the endpoint calls it before each scrape. */
  void beforeScrape() {
    if (names != null) {
      names.sweep();
    }
  }

  /**
   * The registry behind the facade, for any Micrometer binder (e.g. HikariCP's setMetricRegistry).
   */
  public MeterRegistry registry() {
    return registry;
  }

  /** HTTP server metrics: {@code http_server_requests_seconds}. */
  public HttpServerMetrics http() {
    return http;
  }

  /** HTTP client metrics: {@code http_client_requests_seconds}. */
  public HttpClientMetrics httpClient() {
    return httpClient;
  }

  /** LLM call metrics after the OpenTelemetry GenAI conventions, and cost. */
  public LlmMetrics llm() {
    return llm;
  }

  /**
   * The metrics of cache {@code name}, under Micrometer's cache names ({@code cache_gets_total}
   * ...), so they sit beside caches bound with Micrometer's own binders.
   *
   * @throws IllegalArgumentException when {@code name} is null or blank
   */
  public CacheMetrics cache(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(
          "cache name is "
              + (name == null ? "null" : "blank")
              + ": pass the cache's name, e.g. cache(\"llm-responses\")");
    }
    CacheMetrics existing = caches.find(name);
    if (existing != null) {
      return existing;
    }
    return caches.getOrCreate(
        name,
        n -> new CacheMetrics(registry, n, errors),
        () -> new CacheMetrics(registry, Series.OTHER, errors));
  }
}
