package com.aicompanion.monitoring.otlp.internal;

import com.aicompanion.monitoring.ConfigKey;
import com.aicompanion.monitoring.MonitoringConfig;
import com.aicompanion.monitoring.MonitoringContext;
import com.aicompanion.monitoring.MonitoringModule;
import com.aicompanion.monitoring.ServiceIdentity;
import com.aicompanion.monitoring.otlp.OtlpMetricsKeys;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.ipc.http.HttpUrlConnectionSender;
import io.micrometer.registry.otlp.AggregationTemporality;
import io.micrometer.registry.otlp.OtlpConfig;
import io.micrometer.registry.otlp.OtlpHttpMetricsSender;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import io.micrometer.registry.otlp.OtlpMetricsSender;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the OTLP push when {@code metrics.export} is {@code otlp} or {@code both}: an {@link
 * OtlpMeterRegistry} that mirrors every meter of the monitoring registry ({@link MeterMirror}) and
 * pushes every step, and once more at close.
 */
public final class OtlpMetricsModule implements MonitoringModule {
  /** The name core's {@code metrics.export} check looks for. */
  public static final String NAME = "otlp-metrics";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int order() {
    return 400; // after logging, tracing and health, so their meters exist when the mirror starts
  }

  @Override
  public List<ConfigKey<?>> configKeys() {
    return OtlpMetricsKeys.ALL;
  }

  @Override
  public void start(MonitoringContext context) {
    MonitoringConfig config = context.config();
    if (config.get(MonitoringConfig.METRICS_EXPORT).equals("prometheus")) {
      return;
    }
    Map<String, String> settings = new LinkedHashMap<>();
    config.find(OtlpMetricsKeys.ENDPOINT).map(URI::toString).ifPresent(u -> settings.put("url", u));
    Duration step = config.get(OtlpMetricsKeys.STEP);
    settings.put("step", step.toMillis() + "ms");
    // seconds, as /metrics and the OpenTelemetry semantic conventions have them
    settings.put("baseTimeUnit", "seconds");
    config
        .find(OtlpMetricsKeys.TEMPORALITY)
        .ifPresent(t -> settings.put("aggregationTemporality", t));
    Map<String, String> headers = config.find(OtlpMetricsKeys.HEADERS).orElse(Map.of());
    Map<String, String> resource = resourceAttributes(config.identity());
    OtlpConfig otlp =
        new OtlpConfig() {
          @Override
          public String get(String key) {
            return settings.get(key.substring(key.indexOf('.') + 1));
          }

          @Override
          public Map<String, String> resourceAttributes() {
            // the configured identity first, then what OTEL_RESOURCE_ATTRIBUTES adds
            Map<String, String> all = new LinkedHashMap<>(OtlpConfig.super.resourceAttributes());
            all.putAll(resource);
            return all;
          }

          @Override
          public Map<String, String> headers() {
            Map<String, String> all = new LinkedHashMap<>(OtlpConfig.super.headers());
            all.putAll(headers);
            return all;
          }
        };
    PushFailures failures = new PushFailures(context.registry(), otlp.url());
    HistogramFill fill =
        new HistogramFill(otlp.aggregationTemporality() == AggregationTemporality.DELTA);
    OtlpMetricsSender http =
        new OtlpHttpMetricsSender(failures.counting(new HttpUrlConnectionSender()));
    OtlpMeterRegistry registry =
        OtlpMeterRegistry.builder(otlp)
            .clock(Clock.SYSTEM)
            .metricsSender(failures.guard(request -> http.send(fill.fill(request))))
            .build();
    MeterMirror mirror = new MeterMirror(context.registry(), registry, fill);
    mirror.start();
    // close() publishes once more; the shutdown sequence abandons it at the shared deadline
    context.onClose("OTLP metrics push", registry::close);
    context.publish(OtlpMeterRegistry.class, registry);
  }

  private static Map<String, String> resourceAttributes(ServiceIdentity identity) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("service.name", identity.name());
    out.put("service.version", identity.version());
    out.put("deployment.environment.name", identity.environment());
    out.put("service.instance.id", identity.instanceId());
    return out;
  }
}
