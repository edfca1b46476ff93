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
 * status, outcome, error_type}} with buckets from 5 ms to 60 s, under Micrometer's names so that
 * its dashboards work.
 *
 * <pre>{@code
 * monitor.http().record("POST", "/conversations/{id}", 200, Duration.ofMillis(840));
 * }</pre>
 *
 * <p>Pass the route template, never the raw path: {@code uri} is a label. A given route is kept for
 * every status, so that {@code /conversations/{id}} answering 404 for an unknown id stays {@code
 * /conversations/{id}}. A null or blank route means that no route matched, and is recorded as
 * Micrometer does: {@code REDIRECTION} for a 3xx, {@code NOT_FOUND} for a 404, {@code UNKNOWN}
 * otherwise. An unknown method is recorded as {@code UNKNOWN}, and the cardinality limit still
 * applies.
 *
 * <p>{@code error_type} is empty (which Prometheus treats as absent) unless the request failed with
 * an exception: then it is the exception's class name, e.g. {@code java.io.IOException}. Status
 * {@code 0} means that no response status reached the client (the client went away, or the
 * connection was closed): it is recorded as {@code status="UNKNOWN", outcome="UNKNOWN"}.
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

  /** The {@code status} of a request that ended without a response status. */
  public static final int NO_RESPONSE = 0;

  private record Key(String method, String uri, int status, String errorType) {}

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
    record(method, route, status, null, amount, unit);
  }

  /**
   * Records one request that took {@code amount} {@code unit}s and may have failed.
   *
   * @param route the matched route template, or null when no route matched
   * @param status 100 to 599, or {@link #NO_RESPONSE} when no status reached the client; anything
   *     else is refused and counted in {@code
   *     monitoring_metric_errors_total{reason="invalid_value"}}
   * @param errorType the failure's type (the exception's class name), or null or empty when the
   *     request did not fail with an exception
   */
  public void record(
      @Nullable String method,
      @Nullable String route,
      int status,
      @Nullable String errorType,
      long amount,
      TimeUnit unit) {
    if (amount < 0 || unit == null) {
      refuseDuration(amount + " " + unit + ": pass an amount >= 0 and a unit");
      return;
    }
    if ((status < 100 || status > 599) && status != NO_RESPONSE) {
      errors.refuse(
          RecordingErrors.Reason.INVALID_VALUE,
          "HTTP status "
              + status
              + " for http_server_requests_seconds is not a status code: pass 100 to 599, or 0"
              + " when no response was sent");
      return;
    }
    long nanos = unit.toNanos(amount);
    Key key =
        new Key(method(method), uri(route, status), status, errorType == null ? "" : errorType);
    Timer timer = series.find(key);
    if (timer == null) {
      timer =
          series.getOrCreate(
              key,
              this::register,
              () -> register(new Key(Series.OTHER, Series.OTHER, -1, Series.OTHER)));
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
        .tag("status", status(key.status))
        .tag("outcome", key.status < 0 ? Series.OTHER : outcome(key.status))
        .tag("error.type", key.errorType)
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }

  static String method(@Nullable String method) {
    if (method == null) {
      return "UNKNOWN";
    }
    if (METHODS.contains(method)) {
      return method;
    }
    String upper = method.toUpperCase(Locale.ROOT);
    return METHODS.contains(upper) ? upper : "UNKNOWN";
  }

  static String status(int status) {
    if (status < 0) {
      return Series.OTHER;
    }
    return status == NO_RESPONSE ? "UNKNOWN" : Integer.toString(status);
  }

  /** Micrometer's names for a request that matched no route. */
  static String uri(@Nullable String route, int status) {
    if (route != null && !route.isBlank()) {
      return route;
    }
    if (status >= 300 && status < 400) {
      return "REDIRECTION";
    }
    return status == 404 ? "NOT_FOUND" : "UNKNOWN";
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
