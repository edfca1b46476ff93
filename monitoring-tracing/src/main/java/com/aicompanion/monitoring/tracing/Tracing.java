package com.aicompanion.monitoring.tracing;

import com.aicompanion.monitoring.LlmCallObserver;
import com.aicompanion.monitoring.MonitoringConfig;
import com.aicompanion.monitoring.MonitoringException;
import com.aicompanion.monitoring.SecretMasking;
import com.aicompanion.monitoring.tracing.internal.ExemplarSpanContext;
import com.aicompanion.monitoring.tracing.internal.GenAiObserver;
import com.aicompanion.monitoring.tracing.internal.SdkExportLogging;
import com.aicompanion.monitoring.tracing.internal.SpanAccounting;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenTelemetry SDK, configured by OpenTelemetry autoconfigure so that every standard {@code
 * OTEL_*} variable works, with our defaults under it: the service's name, version and environment,
 * OTLP export to Jaeger ({@code http://localhost:4317}, gRPC), parent-based ratio sampling, W3C
 * trace context and baggage. {@link com.aicompanion.monitoring.Monitoring} installs it when this
 * artifact is on the classpath; alone:
 *
 * <pre>{@code
 * Tracing tracing = Tracing.builder("ai-companion")
 *     .otlpEndpoint(URI.create("http://jaeger:4317"))
 *     .install();
 * Spans.inSpan("load-history", () -> repo.load(id));
 * tracing.close();   // flushes the spans still queued
 * }</pre>
 *
 * <p>Precedence: our defaults &lt; {@code OTEL_*} variables and {@code otel.*} system properties
 * &lt; {@code MONITORING_TRACING_*} keys &lt; this builder. A protocol that does not match the
 * endpoint's port (gRPC to 4318, HTTP to 4317) fails {@link Builder#install()} with a {@link
 * MonitoringException}. Exports run on their own thread through a bounded queue; spans that cannot
 * be sent are counted in {@code monitoring_spans_total{outcome}} and never slow the application.
 * Every exported span is masked by the one masking policy first ({@link #masking()}).
 */
public final class Tracing implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);
  static final String SCOPE = "com.aicompanion.monitoring";

  private final OpenTelemetrySdk sdk;
  private final SpanAccounting accounting;
  private final Tracer tracer;
  private final GenAiObserver llmObserver;
  private final SecretMasking masking;
  private final ExemplarSpanContext exemplars = new ExemplarSpanContext();
  private final Duration shutdownTimeout;
  private final String endpoint;
  private final String protocol;
  private final AtomicBoolean closed = new AtomicBoolean();

  Tracing(
      OpenTelemetrySdk sdk,
      SpanAccounting accounting,
      boolean captureContent,
      int captureMaxLength,
      SecretMasking masking,
      Duration shutdownTimeout,
      String endpoint,
      String protocol) {
    this.sdk = sdk;
    this.accounting = accounting;
    this.masking = masking;
    this.tracer = sdk.getTracer(SCOPE);
    this.llmObserver = new GenAiObserver(tracer, captureContent, masking, captureMaxLength);
    this.shutdownTimeout = shutdownTimeout;
    this.endpoint = endpoint;
    this.protocol = protocol;
  }

  /** A builder for {@code serviceName}; see {@link Builder} for every setting and its default. */
  public static Builder builder(String serviceName) {
    return new Builder(serviceName);
  }

  /** The SDK, for instrumentation libraries that take an {@link OpenTelemetry}. */
  /**
   * Whether an OpenTelemetry other than this library's and other than the no-op (the Java agent's,
   * the application's SDK) is installed globally, so that an install with {@code
   * registerGlobal(true)} would be refused. The tracing module then leaves tracing off with a WARN.
   */
  public static boolean foreignGlobalInstalled() {
    return TracingInstaller.foreignGlobalInstalled();
  }

  public OpenTelemetry openTelemetry() {
    return sdk;
  }

  /** The tracer that {@link Spans} and the GenAI spans use. */
  public Tracer tracer() {
    return tracer;
  }

  /**
   * Opens a GenAI span for each LLM call; {@code Monitoring} installs it on {@code
   * monitor.llm().observer(...)}, and so can a team that builds its own {@code Monitor}.
   */
  public LlmCallObserver llmObserver() {
    return llmObserver;
  }

  /**
   * The current span for a Prometheus registry's exemplar sampler, e.g. {@code new
   * PrometheusMeterRegistry(config, registry, clock, tracing.exemplarSpanContext())}.
   */
  public io.prometheus.metrics.tracer.common.SpanContext exemplarSpanContext() {
    return exemplars;
  }

  /**
   * The masking policy applied to every span this tracing exports (names, attributes, events,
   * exception messages and stack traces, links, status) and to captured prompts: the
   * configuration's {@link com.aicompanion.monitoring.MonitoringConfig#masking()}, the same
   * instance logging and Sentry use under {@code Monitoring.start}.
   */
  public SecretMasking masking() {
    return masking;
  }

  /** The traces endpoint spans go to, e.g. {@code http://localhost:4317}. */
  public String otlpEndpoint() {
    return endpoint;
  }

  /** {@code grpc} or {@code http/protobuf}. */
  public String otlpProtocol() {
    return protocol;
  }

  /**
   * Exports every span ended so far and waits at most {@code timeout}.
   *
   * @return whether every export finished in time; a failed export still counts as finished (it is
   *     counted in {@code monitoring_spans_total{outcome="failed"}})
   */
  public boolean flush(Duration timeout) {
    CompletableResultCode result = sdk.getSdkTracerProvider().forceFlush();
    return result.join(timeout.toMillis(), TimeUnit.MILLISECONDS).isSuccess();
  }

  /**
   * Flushes and shuts the SDK down within the shutdown timeout. Spans not sent by then are dropped
   * and counted in {@code monitoring_spans_total{outcome="dropped"}}; when the collector does not
   * accept connections at all, that happens at once (within about half a second) instead of waiting
   * for the exporter's retries. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // the global and Spans stop using this SDK before it shuts down
    TracingInstaller.released(this);
    CompletableResultCode result = sdk.shutdown();
    result.join(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS);
    SdkExportLogging.restore();
    if (!result.isDone()) {
      int lost = accounting.abandonExport();
      LOG.warn(
          "Tracing did not flush to {} within {}: {} span(s) not sent, counted in"
              + " monitoring_spans_total{outcome=\"dropped\"}",
          endpoint,
          shutdownTimeout,
          lost);
    }
  }

  /**
   * Configures and installs {@link Tracing}. Every setting falls back to its {@code
   * MONITORING_TRACING_*} key, then to the {@code OTEL_*} variables, then to the default named.
   */
  public static final class Builder {
    final String serviceName;
    URI endpoint;
    String protocol;
    Double samplingRatio;
    String environment;
    String version;
    Boolean captureContent;
    Integer captureMaxLength;
    Duration shutdownTimeout;
    MeterRegistry registry;
    MonitoringConfig config;
    boolean registerGlobal = true;
    boolean shutdownHook = true;
    final Map<String, String> otelProperties = new LinkedHashMap<>();
    final List<SpanProcessor> spanProcessors = new ArrayList<>();

    Builder(String serviceName) {
      if (serviceName == null || serviceName.isBlank()) {
        throw new IllegalArgumentException(
            "service name is blank: pass the service's name, e.g. Tracing.builder(\"ai-companion\")");
      }
      this.serviceName = serviceName;
    }

    /**
     * Where spans go ({@code MONITORING_TRACING_OTLP_ENDPOINT}, else {@code
     * OTEL_EXPORTER_OTLP_ENDPOINT}, default {@code http://localhost:4317}). With port 4318 and no
     * protocol set, the protocol becomes {@code http/protobuf}.
     */
    public Builder otlpEndpoint(URI endpoint) {
      this.endpoint = com.aicompanion.monitoring.Arguments.required(endpoint, "otlpEndpoint");
      return this;
    }

    /**
     * {@code grpc} or {@code http/protobuf} ({@code MONITORING_TRACING_OTLP_PROTOCOL}, else {@code
     * OTEL_EXPORTER_OTLP_PROTOCOL}, default {@code grpc}, or {@code http/protobuf} for port 4318).
     */
    public Builder protocol(String protocol) {
      this.protocol = com.aicompanion.monitoring.Arguments.required(protocol, "protocol");
      return this;
    }

    /**
     * The share of new traces kept, 0.0 to 1.0; a child follows its parent's decision ({@code
     * MONITORING_TRACING_SAMPLING_RATIO}, else {@code OTEL_TRACES_SAMPLER_ARG}, default 1.0).
     */
    public Builder samplingRatio(double ratio) {
      if (!(ratio >= 0.0 && ratio <= 1.0)) {
        throw new IllegalArgumentException("samplingRatio(" + ratio + ") is not in [0.0, 1.0]");
      }
      this.samplingRatio = ratio;
      return this;
    }

    /**
     * The {@code deployment.environment.name} resource attribute (default {@code
     * MONITORING_ENVIRONMENT}, else {@code dev}).
     */
    public Builder environment(String environment) {
      this.environment = com.aicompanion.monitoring.Arguments.required(environment, "environment");
      return this;
    }

    /**
     * The {@code service.version} resource attribute (default {@code MONITORING_SERVICE_VERSION},
     * else {@code unknown}).
     */
    public Builder version(String version) {
      this.version = com.aicompanion.monitoring.Arguments.required(version, "version");
      return this;
    }

    /**
     * Whether GenAI spans carry the prompt and completion text, masked and truncated ({@code
     * MONITORING_TRACING_CAPTURE_CONTENT}, default false).
     */
    public Builder captureContent(boolean capture) {
      this.captureContent = capture;
      return this;
    }

    /**
     * The longest captured prompt or completion, in characters ({@code
     * MONITORING_TRACING_CAPTURE_MAX_LENGTH}, default 1000).
     */
    public Builder captureMaxLength(int chars) {
      if (chars < 1) {
        throw new IllegalArgumentException("captureMaxLength(" + chars + ") must be at least 1");
      }
      this.captureMaxLength = chars;
      return this;
    }

    /**
     * How long {@link Tracing#close()} waits for the last spans ({@code
     * MONITORING_SHUTDOWN_TIMEOUT}, default 10s).
     */
    public Builder shutdownTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative()) {
        throw new IllegalArgumentException(
            "shutdownTimeout(" + timeout + ") must be a non-negative duration");
      }
      this.shutdownTimeout = timeout;
      return this;
    }

    /** Where {@code monitoring_spans_total} is counted (default Micrometer's global registry). */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Reads the {@code MONITORING_*} keys from {@code config} (default: the environment and system
     * properties).
     */
    public Builder config(MonitoringConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * Whether this Tracing becomes the global one (default true): {@link Spans} and {@code
     * GlobalOpenTelemetry.get()} use it until its {@link Tracing#close()}, after which a new
     * install becomes the global again. One owner at a time: {@link #install()} fails while another
     * open Tracing holds it, and never replaces an OpenTelemetry that someone else (the Java agent,
     * the application) registered. With {@code false} it claims nothing and runs beside them; use
     * {@link Tracing#tracer()} and {@link Tracing#openTelemetry()} directly.
     */
    public Builder registerGlobal(boolean register) {
      this.registerGlobal = register;
      return this;
    }

    /**
     * Whether the SDK adds its own JVM shutdown hook (default true; {@code Monitoring} closes it
     * instead).
     */
    public Builder shutdownHook(boolean add) {
      this.shutdownHook = add;
      return this;
    }

    /**
     * Sets an OpenTelemetry autoconfigure property over everything else, e.g. {@code
     * otelProperty("otel.bsp.schedule.delay", "200")}.
     */
    public Builder otelProperty(String key, String value) {
      if (key == null || !key.startsWith("otel.")) {
        throw new IllegalArgumentException(
            "otelProperty key "
                + key
                + " is not an OpenTelemetry property: use e.g. otel.bsp.schedule.delay");
      }
      otelProperties.put(key, Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Adds a span processor beside the export pipeline (default none); it sees every sampled span
     * and {@link Tracing#close()} shuts it down with the SDK. For tests, {@code
     * SimpleSpanProcessor.create(InMemorySpanExporter.create())} from {@code
     * opentelemetry-sdk-testing} captures spans in memory (monitoring-test's {@code CapturedSpans}
     * does this); with {@code otelProperty("otel.traces.exporter", "none")} nothing goes to OTLP.
     * May be called more than once; processors run in the order added, after the export pipeline.
     *
     * @throws NullPointerException when {@code processor} is null
     */
    public Builder spanProcessor(SpanProcessor processor) {
      spanProcessors.add(Objects.requireNonNull(processor, "spanProcessor(processor)"));
      return this;
    }

    /**
     * Reads the configuration (the builder's settings win over it), starts the SDK, registers it as
     * the global OpenTelemetry and returns it.
     *
     * @throws MonitoringException for a bad value, ours or an {@code OTEL_*} one (naming the key as
     *     set, the value and the fix), a protocol that does not match the endpoint's port, or (with
     *     {@code registerGlobal(true)}) another open Tracing or an OpenTelemetry that someone else
     *     registered globally
     */
    public Tracing install() {
      MonitoringConfig cfg =
          config != null ? config : MonitoringConfig.fromEnvironment(serviceName);
      return TracingInstaller.install(this, TracingOptions.resolve(this, cfg));
    }
  }
}
