package com.aicompanion.monitoring;

import com.aicompanion.monitoring.internal.Guarded;
import com.aicompanion.monitoring.internal.RecordingErrors;
import com.aicompanion.monitoring.internal.Series;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.noop.NoopMeter;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * HTTP server request metrics: the histogram {@code http_server_requests_seconds{method, uri,
 * status, outcome}} with buckets from 5 ms to 60 s, under Micrometer's names so that its dashboards
 * work.
 *
 * <pre>{@code
 * monitor.http().record("POST", "/conversations/{id}", 200, Duration.ofMillis(840));
 * }</pre>
 *
 * <p>Pass the route template, never the raw path: {@code uri} is a label. A 404 is always recorded
 * as {@code uri="NOT_FOUND"}, an unknown method as {@code UNKNOWN}, and the cardinality limit still
 * applies.
 */
public final class HttpServerMetrics {
  static final Duration[] BUCKETS = {
    Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
    Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
    Duration.ofSeconds(60)
  };
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT");

  private record Key(String method, String uri, int status) {}

  private final MeterRegistry registry;
  private final RecordingErrors errors;
  private final Series<Key, Timer> series;

  HttpServerMetrics(MeterRegistry registry, int cardinalityLimit, RecordingErrors errors) {
    this.registry = registry;
    this.errors = errors;
    this.series = new Series<>("http_server_requests", cardinalityLimit, registry);
  }

  /**
   * Records one request that took {@code duration}.
   *
   * @param duration {@code >= 0}; null, negative or longer than {@code Long.MAX_VALUE} nanoseconds
   *     is refused and counted in {@code monitoring_metric_errors_total{reason="invalid_value"}}
   */
  public void record(
      @Nullable String method, @Nullable String route, int status, Duration duration) {
    String problem = RecordingErrors.durationProblem(duration);
    if (problem != null) {
      refuseDuration(problem);
      return;
    }
    record(method, route, status, duration.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Records one request that took {@code amount} {@code unit}s; a negative amount or a null unit is
   * refused and counted like a bad {@link Duration}.
   */
  public void record(
      @Nullable String method, @Nullable String route, int status, long amount, TimeUnit unit) {
    if (amount < 0 || unit == null) {
      refuseDuration(amount + " " + unit + ": pass an amount >= 0 and a unit");
      return;
    }
    if (status < 100 || status > 599) {
      errors.refuse(
          RecordingErrors.Reason.INVALID_VALUE,
          "HTTP status "
              + status
              + " for http_server_requests_seconds is not a status code: pass 100 to 599");
      return;
    }
    long nanos = unit.toNanos(amount);
    Key key = new Key(method(method), uri(route, status), status);
    Timer timer = series.find(key);
    if (timer == null) {
      timer =
          series.getOrCreate(
              key, this::register, () -> register(new Key(Series.OTHER, Series.OTHER, -1)));
    }
    if (timer instanceof NoopMeter) {
      errors.refuse(
          RecordingErrors.Reason.REGISTRY_REJECTED,
          "Metric http_server_requests_seconds was not registered: the meter registry returned a"
              + " no-op meter (a MeterFilter denied it, or its name clashes), so its recordings are"
              + " lost");
      return;
    }
    String problem = Guarded.timerProblem(nanos, timer);
    if (problem != null) {
      refuseDuration(problem);
      return;
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Forgets the series when one of their meters left the registry. */
  void removed(io.micrometer.core.instrument.Meter meter) {
    if (meter.getId().getName().equals("http.server.requests")) {
      series.clear();
    }
  }

  private void refuseDuration(String problem) {
    errors.refuse(
        RecordingErrors.Reason.INVALID_VALUE,
        "HTTP request duration for http_server_requests_seconds was " + problem);
  }

  private Timer register(Key key) {
    return Timer.builder("http.server.requests")
        .description("Duration of HTTP server requests")
        .tag("method", key.method)
        .tag("uri", key.uri)
        .tag("status", key.status < 0 ? Series.OTHER : Integer.toString(key.status))
        .tag("outcome", key.status < 0 ? Series.OTHER : outcome(key.status))
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }

  private static String method(String method) {
    if (method == null) {
      return "UNKNOWN";
    }
    if (METHODS.contains(method)) {
      return method;
    }
    String upper = method.toUpperCase(Locale.ROOT);
    return METHODS.contains(upper) ? upper : "UNKNOWN";
  }

  private static String uri(String route, int status) {
    if (status == 404) {
      return "NOT_FOUND";
    }
    return route == null || route.isBlank() ? "UNKNOWN" : route;
  }

  /** Micrometer's outcome names, by status class. */
  static String outcome(int status) {
    if (status >= 100 && status < 200) {
      return "INFORMATIONAL";
    } else if (status >= 200 && status < 300) {
      return "SUCCESS";
    } else if (status >= 300 && status < 400) {
      return "REDIRECTION";
    } else if (status >= 400 && status < 500) {
      return "CLIENT_ERROR";
    } else if (status >= 500 && status < 600) {
      return "SERVER_ERROR";
    }
    return "UNKNOWN";
  }
}
