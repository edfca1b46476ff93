package com.aicompanion.monitoring.tracing;

import com.aicompanion.monitoring.MonitoringException;
import com.aicompanion.monitoring.tracing.internal.AdmissionSpanProcessor;
import com.aicompanion.monitoring.tracing.internal.ExportPipeline;
import com.aicompanion.monitoring.tracing.internal.OtlpSettings;
import com.aicompanion.monitoring.tracing.internal.SdkExportLogging;
import com.aicompanion.monitoring.tracing.internal.SpanAccounting;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires OpenTelemetry autoconfigure for {@link Tracing.Builder#install()}: our property layers, the
 * resource, the counting export pipeline and the global registration.
 *
 * <pre>{@code
 * Tracing tracing = TracingInstaller.install(builder, TracingOptions.resolve(builder, config));
 * }</pre>
 */
final class TracingInstaller {
  private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);

  /** The open Tracing that set the global OpenTelemetry, if any. */
  private static Tracing globalOwner;

  /** The tracer provider of the last Tracing of ours that was registered as the global. */
  private static TracerProvider ourGlobalProvider;

  private TracingInstaller() {}

  static synchronized void released(Tracing tracing) {
    if (globalOwner == tracing) {
      globalOwner = null;
    }
  }

  static Tracing install(Tracing.Builder b, TracingOptions o) {
    OtlpSettings settings =
        new OtlpSettings(
            o.serviceName(),
            o.endpoint(),
            o.endpointSource(),
            o.protocol(),
            o.protocolSource(),
            o.samplingRatio(),
            b.otelProperties);
    MeterRegistry registry = b.registry != null ? b.registry : Metrics.globalRegistry;
    SpanAccounting accounting = new SpanAccounting(registry);
    Attributes ours =
        Attributes.of(
            AttributeKey.stringKey("service.version"), o.version(),
            AttributeKey.stringKey("deployment.environment.name"), o.environment());
    AutoConfiguredOpenTelemetrySdkBuilder sdkBuilder =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(settings::defaults)
            .addPropertiesCustomizer(settings::overrides)
            // OTEL_RESOURCE_ATTRIBUTES wins over the monitoring config's version and environment
            .addResourceCustomizer((resource, config) -> Resource.create(ours).merge(resource))
            .addSpanExporterCustomizer(
                (exporter, config) ->
                    isOtlp(exporter)
                        ? new ExportPipeline(
                            exporter,
                            accounting,
                            config.getInt("otel.bsp.max.queue.size", 2048),
                            config.getDuration("otel.bsp.export.timeout", Duration.ofSeconds(30)),
                            settings.resolvedEndpoint())
                        : exporter)
            .addSpanProcessorCustomizer(
                (processor, config) ->
                    accounting.pipelineWasCreated() && isBatcher(processor)
                        ? new AdmissionSpanProcessor(
                            processor, accounting, config.getInt("otel.bsp.max.queue.size", 2048))
                        : processor);
    if (!b.spanProcessors.isEmpty()) {
      List<SpanProcessor> extra = List.copyOf(b.spanProcessors);
      sdkBuilder.addTracerProviderCustomizer(
          (provider, config) -> {
            extra.forEach(provider::addSpanProcessor);
            return provider;
          });
    }
    if (!b.shutdownHook) {
      sdkBuilder.disableShutdownHook();
    }
    // our pipeline logs an outage once, then rate-limited; the SDK would log every failure
    SdkExportLogging.quiet();
    synchronized (TracingInstaller.class) {
      if (b.registerGlobal) {
        claimGlobal(sdkBuilder);
      }
      OpenTelemetrySdk sdk;
      try {
        sdk = sdkBuilder.build().getOpenTelemetrySdk();
      } catch (RuntimeException e) {
        throw configurationError(e);
      }
      Tracing tracing =
          new Tracing(
              sdk,
              accounting,
              o.captureContent(),
              o.captureMaxLength(),
              o.shutdownTimeout(),
              settings.resolvedEndpoint(),
              settings.resolvedProtocol());
      if (b.registerGlobal) {
        globalOwner = tracing;
        ourGlobalProvider = sdk.getTracerProvider();
      }
      Spans.use(tracing.openTelemetry(), tracing.tracer());
      LOG.info(
          "Tracing started for {}: OTLP {} to {}, prompt capture {}",
          o.serviceName(),
          tracing.otlpProtocol(),
          tracing.otlpEndpoint(),
          o.captureContent() ? "on (masked, " + o.captureMaxLength() + " chars)" : "off");
      return tracing;
    }
  }

  private static void claimGlobal(AutoConfiguredOpenTelemetrySdkBuilder sdkBuilder) {
    if (GlobalOpenTelemetry.isSet()) {
      boolean oursAndClosed =
          globalOwner == null
              && ourGlobalProvider != null
              && GlobalOpenTelemetry.getTracerProvider() == ourGlobalProvider;
      if (!oursAndClosed) {
        throw new MonitoringException(
            "OpenTelemetry is already installed globally in this JVM (by the OpenTelemetry Java"
                + " agent, another SDK, or a Tracing that is still open): close that one first,"
                + " use Tracing.builder(...).registerGlobal(false), or set"
                + " MONITORING_TRACING_ENABLED=false");
      }
      // our own earlier, closed instance: replace it
      GlobalOpenTelemetry.resetForTest();
    }
    sdkBuilder.setResultAsGlobal();
  }

  private static boolean isBatcher(SpanProcessor processor) {
    return processor instanceof BatchSpanProcessor;
  }

  private static boolean isOtlp(SpanExporter exporter) {
    return exporter.getClass().getName().startsWith("io.opentelemetry.exporter.otlp.");
  }

  private static MonitoringException configurationError(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MonitoringException me) {
        return me;
      }
    }
    return new MonitoringException(
        "OpenTelemetry could not be configured: "
            + e.getMessage()
            + "; check the OTEL_* variables and otel.* system properties",
        e);
  }
}
