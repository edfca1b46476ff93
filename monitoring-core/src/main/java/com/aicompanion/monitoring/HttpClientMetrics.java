package com.aicompanion.monitoring;

import com.aicompanion.monitoring.internal.Guarded;
import com.aicompanion.monitoring.internal.RecordingErrors;
import com.aicompanion.monitoring.internal.Series;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.noop.NoopMeter;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * HTTP client request metrics: the histogram {@code http_client_requests_seconds{method, uri,
 * client_name, status, outcome, error_type}} with the buckets of {@link HttpServerMetrics}, under
 * Micrometer's names.
 *
 * <pre>{@code
 * monitor.httpClient().record("GET", "/v1/models/{id}", "api.openai.com", 200, null, 84, MILLISECONDS);
 * monitor.httpClient().record("POST", "/v1/chat", "api.openai.com", HttpClientMetrics.NO_RESPONSE,
 *     "java.net.ConnectException", 3, MILLISECONDS);
 * }</pre>
 *
 * <p>Pass the URI template, never the raw path: {@code uri} is a label ({@code UNKNOWN} when null
 * or blank). {@code client_name} is the target host. A request that got no response (connection
 * refused, timeout, I/O error) is recorded with {@code status="IO_ERROR", outcome="UNKNOWN"} and
 * its {@code error_type}, as Micrometer's client conventions do. The cardinality limit of the
 * {@link Monitor} applies; bad values are refused and counted like {@link HttpServerMetrics}'.
 */
public final class HttpClientMetrics {
  /** The {@code status} of a request that got no response. */
  public static final int NO_RESPONSE = 0;

  private record Key(String method, String uri, String client, int status, String errorType) {}

  private final MeterRegistry registry;
  private final RecordingErrors errors;
  private final Series<Key, Timer> series;

  HttpClientMetrics(MeterRegistry registry, int cardinalityLimit, RecordingErrors errors) {
    this.registry = registry;
    this.errors = errors;
    this.series = new Series<>("http_client_requests", cardinalityLimit, registry);
  }

  /**
   * Records one client request that took {@code amount} {@code unit}s.
   *
   * @param method the request method; unknown methods are recorded as {@code UNKNOWN}
   * @param uriTemplate the URI template, e.g. {@code /v1/models/{id}}; null or blank is {@code
   *     UNKNOWN}
   * @param clientName the target host; null or blank is {@code UNKNOWN}
   * @param status 100 to 599, or {@link #NO_RESPONSE}; anything else is refused and counted in
   *     {@code monitoring_metric_errors_total{reason="invalid_value"}}
   * @param errorType the exception's class name when the call failed, else null or empty
   * @param amount {@code >= 0}; a negative amount or a null unit is refused and counted
   */
  public void record(
      @Nullable String method,
      @Nullable String uriTemplate,
      @Nullable String clientName,
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
              + " for http_client_requests_seconds is not a status code: pass 100 to 599, or 0"
              + " when no response came");
      return;
    }
    long nanos = unit.toNanos(amount);
    Key key =
        new Key(
            HttpServerMetrics.method(method),
            blank(uriTemplate) ? "UNKNOWN" : uriTemplate,
            blank(clientName) ? "UNKNOWN" : clientName,
            status,
            errorType == null ? "" : errorType);
    Timer timer = series.find(key);
    if (timer == null) {
      timer =
          series.getOrCreate(
              key,
              this::register,
              () -> register(new Key(Series.OTHER, Series.OTHER, Series.OTHER, -1, Series.OTHER)));
    }
    if (timer instanceof NoopMeter) {
      errors.refuse(
          RecordingErrors.Reason.REGISTRY_REJECTED,
          "Metric http_client_requests_seconds was not registered: the meter registry returned a"
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
  void removed(Meter meter) {
    if (meter.getId().getName().equals("http.client.requests")) {
      series.clear();
    }
  }

  private static boolean blank(@Nullable String s) {
    return s == null || s.isBlank();
  }

  private void refuseDuration(String problem) {
    errors.refuse(
        RecordingErrors.Reason.INVALID_VALUE,
        "HTTP request duration for http_client_requests_seconds was " + problem);
  }

  private Timer register(Key key) {
    String status =
        key.status < 0
            ? Series.OTHER
            : key.status == NO_RESPONSE ? "IO_ERROR" : Integer.toString(key.status);
    String outcome =
        key.status < 0
            ? Series.OTHER
            : key.status == NO_RESPONSE ? "UNKNOWN" : HttpServerMetrics.outcome(key.status);
    return Timer.builder("http.client.requests")
        .description("Duration of HTTP client requests")
        .tag("method", key.method)
        .tag("uri", key.uri)
        .tag("client.name", key.client)
        .tag("status", status)
        .tag("outcome", outcome)
        .tag("error.type", key.errorType)
        .serviceLevelObjectives(HttpServerMetrics.BUCKETS)
        .register(registry);
  }
}
