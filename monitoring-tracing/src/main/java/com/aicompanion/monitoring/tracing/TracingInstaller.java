package com.aicompanion.monitoring.tracing;

import com.aicompanion.monitoring.GlobalSlot;
import com.aicompanion.monitoring.MonitoringException;
import com.aicompanion.monitoring.tracing.internal.AdmissionSpanProcessor;
import com.aicompanion.monitoring.tracing.internal.ExportPipeline;
import com.aicompanion.monitoring.tracing.internal.MaskingSpanExporter;
import com.aicompanion.monitoring.tracing.internal.MaskingSpanProcessor;
import com.aicompanion.monitoring.tracing.internal.OtelPropertyChecks;
import com.aicompanion.monitoring.tracing.internal.OtelSignals;
import com.aicompanion.monitoring.tracing.internal.OtlpSettings;
import com.aicompanion.monitoring.tracing.internal.SdkExportLogging;
import com.aicompanion.monitoring.tracing.internal.SpanAccounting;
import com.aicompanion.monitoring.tracing.internal.SwitchableOpenTelemetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires OpenTelemetry autoconfigure for {@link Tracing.Builder#install()}: our property layers, the
 * checks of the {@code OTEL_*} settings, the resource, the masking of every exported span, the
 * counting export pipeline and the global slot.
 *
 * <p>The global rule: the Tracing installed with {@code registerGlobal(true)} holds {@link
 * #CURRENT} until its close. {@link Spans} reads it; {@link
 * io.opentelemetry.api.GlobalOpenTelemetry} holds, from the first such install on, the one {@link
 * SwitchableOpenTelemetry} of the JVM, which forwards to the holder's SDK and to the no-op when the
 * slot is free. An OpenTelemetry that someone else registered first is never replaced.
 *
 * <pre>{@code
 * Tracing tracing = TracingInstaller.install(builder, TracingOptions.resolve(builder, config));
 * }</pre>
 */
final class TracingInstaller {
  private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);

  /** The Tracing behind {@link Spans} and {@code GlobalOpenTelemetry.get()}. */
  static final GlobalSlot<Tracing> CURRENT =
      new GlobalSlot<>("the global tracing (GlobalOpenTelemetry.get() and Spans)");

  private static final SwitchableOpenTelemetry GLOBAL = SwitchableOpenTelemetry.instance();

  private TracingInstaller() {}

  /** Frees the slot if {@code tracing} holds it; the global then forwards to the no-op. */
  static synchronized void released(Tracing tracing) {
    if (CURRENT.release(tracing)) {
      GLOBAL.switchTo(OpenTelemetry.noop());
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
    OtelPropertyChecks checks =
        OtelPropertyChecks.forProcess(
            b.otelProperties,
            o.samplingRatio() != null,
            o.endpoint() != null,
            o.protocol() != null);
    OtelSignals signals = new OtelSignals(checks.sources());
    MeterRegistry registry = b.registry != null ? b.registry : Metrics.globalRegistry;
    SpanAccounting accounting = new SpanAccounting(registry);
    // monitoring_mask_errors_total: counting the same registry twice (core did) counts once
    o.masking().bindTo(registry);
    // the identity resolved once (its precedence already includes OTEL_SERVICE_NAME and
    // OTEL_RESOURCE_ATTRIBUTES): spans must name the service exactly as logs and metrics do
    Map<String, String> identity = new LinkedHashMap<>();
    identity.put("service.version", o.version());
    identity.put("deployment.environment.name", o.environment());
    if (o.instanceId() != null) {
      // only an explicitly configured instance: else the SDK's own per-process id stays
      identity.put("service.instance.id", o.instanceId());
    }
    AutoConfiguredOpenTelemetrySdkBuilder sdkBuilder =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(settings::defaults)
            // the user's OTEL_* values are checked first, so that errors name them as set
            .addPropertiesCustomizer(checks::check)
            .addPropertiesCustomizer(settings::overrides)
            // last: signals we do not own are off whatever the environment says
            .addPropertiesCustomizer(signals::overrides)
            // the resolved identity wins over every OTEL_* layer: one name on every signal
            .addPropertiesCustomizer(
                config -> identityProperties(config, o.serviceName(), identity))
            // every exporter sees spans masked by the one policy, on the export thread
            .addSpanExporterCustomizer(
                (exporter, config) ->
                    isOtlp(exporter)
                        ? new ExportPipeline(
                            new MaskingSpanExporter(exporter, o.masking()),
                            accounting,
                            config.getInt("otel.bsp.max.queue.size", 2048),
                            config.getDuration("otel.bsp.export.timeout", Duration.ofSeconds(30)),
                            settings.resolvedEndpoint())
                        : new MaskingSpanExporter(exporter, o.masking()))
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
            extra.forEach(p -> provider.addSpanProcessor(new MaskingSpanProcessor(p, o.masking())));
            return provider;
          });
    }
    if (!b.shutdownHook) {
      sdkBuilder.disableShutdownHook();
    }
    // our pipeline logs an outage once, then rate-limited; the SDK would log every failure
    SdkExportLogging.quiet();
    synchronized (TracingInstaller.class) {
      String owner = "Tracing for " + o.serviceName();
      boolean switchGlobal = b.registerGlobal;
      if (b.registerGlobal) {
        // refuse before anything is built
        CURRENT.checkFree(owner);
        if (!GLOBAL.registerIfFree()) {
          if (!globalIsNoop()) {
            throw foreignGlobal(owner);
          }
          // an early GlobalOpenTelemetry.get() fixed the no-op as the global for good: run, and
          // say what that costs, rather than leave the service without tracing
          switchGlobal = false;
          LOG.warn(
              "GlobalOpenTelemetry was already fixed to the no-op by a GlobalOpenTelemetry.get()"
                  + " that ran before {} was installed, and OpenTelemetry allows no replacement:"
                  + " tracers taken from GlobalOpenTelemetry stay no-op, and so do the HTTP"
                  + " filters and client wrapper of monitoring-http unless given"
                  + " .openTelemetry(tracing.openTelemetry()); Spans, the GenAI spans and the JDBC"
                  + " instrumentation use {}. Start monitoring before any code calls"
                  + " GlobalOpenTelemetry.get() (e.g. in a static field) to trace them all",
              owner,
              owner);
        }
      }
      OpenTelemetrySdk sdk;
      try {
        sdk = sdkBuilder.build().getOpenTelemetrySdk();
      } catch (RuntimeException e) {
        throw checks.translate(e);
      }
      signals.logIgnored();
      Tracing tracing =
          new Tracing(
              sdk,
              accounting,
              o.captureContent(),
              o.captureMaxLength(),
              o.masking(),
              o.shutdownTimeout(),
              settings.resolvedEndpoint(),
              settings.resolvedProtocol());
      if (b.registerGlobal) {
        CURRENT.claim(tracing, owner);
        if (switchGlobal) {
          GLOBAL.switchTo(sdk);
        }
      }
      LOG.info(
          "Tracing started for {}: OTLP {} to {}, prompt capture {}{}",
          o.serviceName(),
          tracing.otlpProtocol(),
          tracing.otlpEndpoint(),
          o.captureContent() ? "on (masked, " + o.captureMaxLength() + " chars)" : "off",
          b.registerGlobal
              ? ""
              : " (not registered globally: Spans and GlobalOpenTelemetry do not use it)");
      return tracing;
    }
  }

  /**
   * Whether the global OpenTelemetry is OpenTelemetry's own no-op, as an early {@code
   * GlobalOpenTelemetry.get()} fixes it: no propagators and tracers that make invalid spans (an
   * application's propagating-only OpenTelemetry is not the no-op).
   */
  private static boolean globalIsNoop() {
    if (io.opentelemetry.api.GlobalOpenTelemetry.getPropagators()
        != io.opentelemetry.context.propagation.ContextPropagators.noop()) {
      return false;
    }
    io.opentelemetry.api.trace.Span probe =
        io.opentelemetry.api.GlobalOpenTelemetry.getTracer("com.aicompanion.monitoring.probe")
            .spanBuilder("probe")
            .startSpan();
    boolean noop = !probe.getSpanContext().isValid();
    probe.end();
    return noop;
  }

  /**
   * Whether an OpenTelemetry other than the library's and other than the no-op is the global (the
   * Java agent's, the application's SDK), so that a global install would be refused.
   */
  static boolean foreignGlobalInstalled() {
    return io.opentelemetry.api.GlobalOpenTelemetry.isSet()
        && !GLOBAL.isGlobal()
        && !globalIsNoop();
  }

  private static MonitoringException foreignGlobal(String owner) {
    return new MonitoringException(
        owner
            + " cannot become the global OpenTelemetry: another one is already installed globally"
            + " in this JVM (by the OpenTelemetry Java agent, the application, or a"
            + " GlobalOpenTelemetry.get() before Tracing was installed), and the library never"
            + " replaces it. Use Tracing.builder(...).registerGlobal(false) or"
            + " Monitoring.builder(...).registerGlobal(false) to run beside it, or set"
            + " MONITORING_TRACING_ENABLED=false to leave tracing to it");
  }

  private static boolean isBatcher(SpanProcessor processor) {
    return processor instanceof BatchSpanProcessor;
  }

  /**
   * {@code otel.service.name} and {@code otel.resource.attributes} with the identity's attributes
   * over the user's, so that autoconfigure builds the resource from them (no resource merge, which
   * would drop the SDK's entity associations with a warning on stderr).
   */
  private static Map<String, String> identityProperties(
      io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties config,
      String serviceName,
      Map<String, String> identity) {
    // the user's pairs stay as written (still percent-encoded: OpenTelemetry decodes them); ours
    // come after them, and OpenTelemetry's map takes the last value of a key
    Map<String, String> user = config.getMap("otel.resource.attributes");
    Map<String, String> ours = new LinkedHashMap<>(identity);
    if (user.containsKey("deployment.environment")) {
      // the older key too, so that no backend shows another environment than logs and metrics
      ours.put("deployment.environment", identity.get("deployment.environment.name"));
    }
    StringBuilder encoded = new StringBuilder();
    user.forEach(
        (key, value) -> {
          if (!key.equals("service.name") && !ours.containsKey(key)) {
            encoded.append(encoded.length() == 0 ? "" : ",").append(key).append('=').append(value);
          }
        });
    ours.forEach(
        (key, value) ->
            encoded
                .append(encoded.length() == 0 ? "" : ",")
                .append(key)
                .append('=')
                .append(percentEncode(value)));
    return Map.of("otel.service.name", serviceName, "otel.resource.attributes", encoded.toString());
  }

  /** Percent-encodes what OpenTelemetry's resource attribute syntax reserves (and non-ASCII). */
  private static String percentEncode(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c > 0x20 && c < 0x7f && c != ',' && c != '=' && c != '%') {
        out.append((char) c);
      } else {
        out.append('%').append(String.format("%02X", c));
      }
    }
    return out.toString();
  }

  private static boolean isOtlp(SpanExporter exporter) {
    return exporter.getClass().getName().startsWith("io.opentelemetry.exporter.otlp.");
  }
}
