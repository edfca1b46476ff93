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
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the OTLP push when {@code metrics.export} is {@code otlp} or {@code both}: an {@link
 * OtlpMeterRegistry} that mirrors every meter of the monitoring registry ({@link MeterMirror}) and
 * pushes every step, and once more at close. A {@code metrics.otlp.endpoint} without a path gets
 * {@value MetricsEndpoint#PATH} ({@link MetricsEndpoint}); the module's start line names the URL it
 * pushes to.
 */
public final class OtlpMetricsModule implements MonitoringModule {
  /** The name core's {@code metrics.export} check looks for. */
  public static final String NAME = "otlp-metrics";

  private static final Logger LOG = LoggerFactory.getLogger(OtlpMetricsModule.class);

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
    URI configured = config.find(OtlpMetricsKeys.ENDPOINT).orElse(null);
    if (configured != null) {
      settings.put("url", MetricsEndpoint.resolve(configured).toString());
    }
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
    LOG.info(
        "OTLP metrics push to {}{} every {}s, {} temporality",
        MetricsEndpoint.forLog(otlp.url()),
        configured != null && MetricsEndpoint.appendsPath(configured)
            ? " ("
                + MetricsEndpoint.PATH
                + " appended to metrics.otlp.endpoint "
                + MetricsEndpoint.forLog(configured.toString())
                + ")"
            : "",
        step.toMillis() / 1000.0,
        otlp.aggregationTemporality().name().toLowerCase(Locale.ROOT));
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
