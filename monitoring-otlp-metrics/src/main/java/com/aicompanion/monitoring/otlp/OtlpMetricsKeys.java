package com.aicompanion.monitoring.otlp;

import com.aicompanion.monitoring.ConfigKey;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The keys of monitoring-otlp-metrics ({@code MONITORING_METRICS_OTLP_*}); core's {@code
 * metrics.export} turns the push on.
 *
 * <pre>{@code
 * MONITORING_METRICS_EXPORT=otlp
 * MONITORING_METRICS_OTLP_ENDPOINT=http://otel-collector:4318/v1/metrics
 * MONITORING_METRICS_OTLP_STEP=30s
 * MONITORING_METRICS_OTLP_TEMPORALITY=delta
 * MONITORING_METRICS_OTLP_HEADERS=Authorization=Bearer abc
 * }</pre>
 */
public final class OtlpMetricsKeys {
  /**
   * The OTLP/HTTP metrics URL; a URL without a path (or with {@code /}) gets {@code /v1/metrics}
   * appended, any other path is used as written; unset: OpenTelemetry's variables, else
   * localhost:4318.
   */
  public static final ConfigKey<URI> ENDPOINT =
      ConfigKey.url(
              "metrics.otlp.endpoint",
              "The OTLP/HTTP (protobuf) metrics URL, e.g. http://collector:4318/v1/metrics; without a path (or with /) /v1/metrics is appended, any other path is used as written")
          .defaultText(
              "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT, else OTEL_EXPORTER_OTLP_ENDPOINT + /v1/metrics, else http://localhost:4318/v1/metrics");

  /** How often the registry pushes; default {@value #DEFAULT_STEP_SECONDS} s. */
  public static final ConfigKey<Duration> STEP =
      ConfigKey.duration(
          "metrics.otlp.step",
          Duration.ofSeconds(OtlpMetricsKeys.DEFAULT_STEP_SECONDS),
          "How often metrics are pushed (and one last time at close)");

  /** Extra request headers, e.g. an {@code Authorization}; secret (never logged). */
  public static final ConfigKey<Map<String, String>> HEADERS =
      ConfigKey.map(
              "metrics.otlp.headers",
              "Request headers for the OTLP push, e.g. Authorization=Bearer abc",
              (name, value) -> {
                if (!name.matches("[A-Za-z0-9-]+")) {
                  throw new IllegalArgumentException(
                      "has the header name \""
                          + name
                          + "\": a header name is letters, digits and '-'");
                }
              })
          .secret();

  /**
   * Cumulative (each push carries the totals since start, as {@code /metrics} does) or delta (each
   * push carries what was recorded since the previous one); unset: {@code
   * OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE}, else cumulative.
   */
  public static final ConfigKey<String> TEMPORALITY =
      ConfigKey.oneOf(
              "metrics.otlp.temporality",
              null,
              "Aggregation temporality of the push: cumulative (totals since start) or delta (since the previous push)",
              "cumulative",
              "delta")
          .defaultText("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE, else cumulative");

  /** The default push interval in seconds. */
  public static final int DEFAULT_STEP_SECONDS = 60;

  /** Every key of the module. */
  public static final List<ConfigKey<?>> ALL = List.of(ENDPOINT, STEP, TEMPORALITY, HEADERS);

  private OtlpMetricsKeys() {}
}
