package com.aicompanion.monitoring.tracing;

import static com.aicompanion.monitoring.tracing.internal.TracingKeys.CAPTURE_CONTENT;
import static com.aicompanion.monitoring.tracing.internal.TracingKeys.CAPTURE_MAX_LENGTH;
import static com.aicompanion.monitoring.tracing.internal.TracingKeys.ENDPOINT;
import static com.aicompanion.monitoring.tracing.internal.TracingKeys.PROTOCOL;
import static com.aicompanion.monitoring.tracing.internal.TracingKeys.SAMPLING_RATIO;

import com.aicompanion.monitoring.MonitoringConfig;
import com.aicompanion.monitoring.SecretMasking;
import java.time.Duration;

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
    String instanceId,
    String endpoint,
    String endpointSource,
    String protocol,
    String protocolSource,
    Double samplingRatio,
    boolean captureContent,
    int captureMaxLength,
    Duration shutdownTimeout,
    SecretMasking masking) {

  static TracingOptions resolve(Tracing.Builder b, MonitoringConfig cfg) {
    String endpoint;
    String endpointSource;
    if (b.endpoint != null) {
      endpoint = b.endpoint.toString();
      endpointSource = "otlpEndpoint(" + endpoint + ")";
    } else {
      endpoint = cfg.find(ENDPOINT).map(Object::toString).orElse(null);
      endpointSource = cfg.describe(ENDPOINT);
    }
    String protocol;
    String protocolSource;
    if (b.protocol != null) {
      protocol = b.protocol;
      protocolSource = "protocol(" + protocol + ")";
    } else {
      protocol = cfg.find(PROTOCOL).orElse(null);
      protocolSource = cfg.describe(PROTOCOL);
    }
    Double ratio =
        b.samplingRatio != null ? b.samplingRatio : cfg.find(SAMPLING_RATIO).orElse(null);
    return new TracingOptions(
        cfg.serviceName(),
        b.version != null ? b.version : cfg.serviceVersion(),
        b.environment != null ? b.environment : cfg.environment(),
        cfg.isExplicit("instance") ? cfg.identity().instanceId() : null,
        endpoint,
        endpointSource,
        protocol,
        protocolSource,
        ratio,
        b.captureContent != null ? b.captureContent : cfg.get(CAPTURE_CONTENT),
        b.captureMaxLength != null ? b.captureMaxLength : cfg.get(CAPTURE_MAX_LENGTH),
        b.shutdownTimeout != null ? b.shutdownTimeout : cfg.get(MonitoringConfig.SHUTDOWN_TIMEOUT),
        // the policy every signal shares (the same instance under Monitoring.start)
        cfg.masking());
  }
}
