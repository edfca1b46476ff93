package com.aicompanion.monitoring.tracing;

import static com.aicompanion.monitoring.tracing.internal.TracingKeys.CAPTURE_CONTENT;
import static com.aicompanion.monitoring.tracing.internal.TracingKeys.CAPTURE_MAX_LENGTH;
import static com.aicompanion.monitoring.tracing.internal.TracingKeys.ENDPOINT;
import static com.aicompanion.monitoring.tracing.internal.TracingKeys.PROTOCOL;
import static com.aicompanion.monitoring.tracing.internal.TracingKeys.SAMPLING_RATIO;

import com.aicompanion.monitoring.MonitoringConfig;
import com.aicompanion.monitoring.MonitoringException;
import java.time.Duration;
import java.util.Optional;

/**
 * The builder's settings merged over the {@code MONITORING_*} configuration, validated.
 *
 * <pre>{@code
 * TracingOptions options = TracingOptions.resolve(builder, MonitoringConfig.fromEnvironment("svc"));
 * }</pre>
 */
record TracingOptions(
    String serviceName,
    String version,
    String environment,
    String endpoint,
    String endpointSource,
    String protocol,
    String protocolSource,
    Double samplingRatio,
    boolean captureContent,
    int captureMaxLength,
    Duration shutdownTimeout) {

  static TracingOptions resolve(Tracing.Builder b, MonitoringConfig cfg) {
    String endpoint;
    String endpointSource;
    if (b.endpoint != null) {
      endpoint = b.endpoint.toString();
      endpointSource = "otlpEndpoint(" + endpoint + ")";
    } else {
      endpoint = cfg.get(ENDPOINT).orElse(null);
      endpointSource = cfg.describe(ENDPOINT);
    }
    String protocol;
    String protocolSource;
    if (b.protocol != null) {
      protocol = b.protocol;
      protocolSource = "protocol(" + protocol + ")";
    } else {
      protocol = cfg.get(PROTOCOL).orElse(null);
      protocolSource = cfg.describe(PROTOCOL);
    }
    Double ratio = b.samplingRatio != null ? b.samplingRatio : ratio(cfg);
    return new TracingOptions(
        cfg.serviceName(),
        b.version != null ? b.version : cfg.serviceVersion(),
        b.environment != null ? b.environment : cfg.environment(),
        endpoint,
        endpointSource,
        protocol,
        protocolSource,
        ratio,
        b.captureContent != null ? b.captureContent : cfg.bool(CAPTURE_CONTENT, false),
        b.captureMaxLength != null
            ? b.captureMaxLength
            : cfg.integer(CAPTURE_MAX_LENGTH, 1000, 1, 1_000_000),
        b.shutdownTimeout != null
            ? b.shutdownTimeout
            : cfg.duration("shutdown.timeout", Duration.ofSeconds(10)));
  }

  private static Double ratio(MonitoringConfig cfg) {
    Optional<String> raw = cfg.get(SAMPLING_RATIO);
    if (raw.isEmpty()) {
      return null;
    }
    try {
      double value = Double.parseDouble(raw.get());
      if (value >= 0.0 && value <= 1.0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below with the rule
    }
    throw new MonitoringException(
        cfg.describe(SAMPLING_RATIO) + " is not a ratio: use a number from 0.0 to 1.0, e.g. 0.25");
  }
}
