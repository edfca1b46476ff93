package com.aicompanion.monitoring.tracing.internal;

import com.aicompanion.monitoring.ConfigKey;
import java.net.URI;
import java.util.List;

/**
 * The {@code MONITORING_TRACING_*} keys, in their canonical form.
 *
 * <pre>{@code
 * config.get(TracingKeys.ENABLED);   // MONITORING_TRACING_ENABLED
 * }</pre>
 */
public final class TracingKeys {
  public static final ConfigKey<Boolean> ENABLED =
      ConfigKey.bool("tracing.enabled", true, "Whether the tracing module installs OpenTelemetry");
  public static final ConfigKey<URI> ENDPOINT =
      ConfigKey.url(
              "tracing.otlp.endpoint",
              "The OTLP collector (else OTEL_EXPORTER_OTLP_ENDPOINT), e.g. http://jaeger:4317")
          .defaultText("OpenTelemetry's default");
  public static final ConfigKey<String> PROTOCOL =
      ConfigKey.oneOf(
              "tracing.otlp.protocol",
              null,
              "grpc or http/protobuf (else OTEL_EXPORTER_OTLP_PROTOCOL)",
              "grpc",
              "http/protobuf")
          .defaultText("OpenTelemetry's default");
  public static final ConfigKey<Double> SAMPLING_RATIO =
      ConfigKey.decimal(
              "tracing.sampling.ratio",
              null,
              0.0,
              1.0,
              "Parent-based ratio sampling of new traces (else OTEL_TRACES_SAMPLER_ARG)")
          .defaultText("1.0");
  public static final ConfigKey<Boolean> CAPTURE_CONTENT =
      ConfigKey.bool(
          "tracing.capture.content",
          false,
          "Whether GenAI spans carry prompts and completions (masked)");
  public static final ConfigKey<Integer> CAPTURE_MAX_LENGTH =
      ConfigKey.integer(
              "tracing.capture.max.length",
              1000,
              1,
              1_000_000,
              "The longest captured prompt or completion")
          .unit("characters");

  /** Every key this module reads. */
  public static final List<ConfigKey<?>> ALL =
      List.of(ENABLED, ENDPOINT, PROTOCOL, SAMPLING_RATIO, CAPTURE_CONTENT, CAPTURE_MAX_LENGTH);

  private TracingKeys() {}
}
