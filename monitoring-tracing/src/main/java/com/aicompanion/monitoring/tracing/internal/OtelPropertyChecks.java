package com.aicompanion.monitoring.tracing.internal;

import com.aicompanion.monitoring.MonitoringException;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSamplerProvider;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the common {@code OTEL_*} tracing settings before OpenTelemetry autoconfigure reads them,
 * and turns any error autoconfigure still throws into a {@link MonitoringException} that names the
 * key as the user set it ({@code OTEL_TRACES_SAMPLER_ARG=1.5}, {@code
 * -Dotel.traces.sampler.arg=1.5} or {@code otelProperty(...)}), the value, the rule and the fix.
 * Settings that a {@code MONITORING_TRACING_*} key or the builder overrides are not checked: they
 * are not used.
 *
 * <pre>{@code
 * OtelPropertyChecks checks = OtelPropertyChecks.forProcess(Map.of(), false, false, false);
 * sdkBuilder.addPropertiesCustomizer(checks::check);   // the first customizer
 * try { sdkBuilder.build(); } catch (RuntimeException e) { throw checks.translate(e); }
 * }</pre>
 */
public final class OtelPropertyChecks {
  static final String SAMPLER = "otel.traces.sampler";
  static final String SAMPLER_ARG = "otel.traces.sampler.arg";
  static final List<String> BUILT_IN_SAMPLERS =
      List.of(
          "always_on",
          "always_off",
          "traceidratio",
          "parentbased_always_on",
          "parentbased_always_off",
          "parentbased_traceidratio");
  private static final Set<String> RATIO_SAMPLERS =
      Set.of("traceidratio", "parentbased_traceidratio");
  private static final Pattern DURATION = Pattern.compile("\\s*\\d+\\s*(ms|s|m|h|d)?\\s*");
  private static final Pattern WHOLE = Pattern.compile("\\s*\\d+\\s*");
  private static final Pattern OTEL_KEY = Pattern.compile("otel(\\.[a-z0-9_-]+)+");
  private static final String DOCS = "https://opentelemetry.io/docs/languages/java/configuration/";

  private final OtelSources sources;
  private final Set<String> overridden;

  OtelPropertyChecks(OtelSources sources, Set<String> overridden) {
    this.sources = sources;
    this.overridden = Set.copyOf(overridden);
  }

  /**
   * Checks for this process's environment and system properties.
   *
   * @param builderProperties the builder's {@code otelProperty} settings (they win over the rest)
   * @param samplingOurs whether a {@code MONITORING_TRACING_SAMPLING_RATIO} or the builder sets the
   *     sampler, so that {@code OTEL_TRACES_SAMPLER*} are not used
   * @param endpointOurs likewise for the OTLP endpoint
   * @param protocolOurs likewise for the OTLP protocol
   */
  public static OtelPropertyChecks forProcess(
      Map<String, String> builderProperties,
      boolean samplingOurs,
      boolean endpointOurs,
      boolean protocolOurs) {
    Set<String> overridden = new HashSet<>();
    if (samplingOurs) {
      overridden.add(SAMPLER);
      overridden.add(SAMPLER_ARG);
    }
    if (endpointOurs) {
      overridden.add("otel.exporter.otlp.endpoint");
      overridden.add("otel.exporter.otlp.traces.endpoint");
    }
    if (protocolOurs) {
      overridden.add("otel.exporter.otlp.protocol");
      overridden.add("otel.exporter.otlp.traces.protocol");
    }
    // what the builder sets explicitly is used, and so checked
    overridden.removeAll(builderProperties.keySet());
    return new OtelPropertyChecks(OtelSources.forProcess(builderProperties), overridden);
  }

  /** Where the user's settings come from. */
  public OtelSources sources() {
    return sources;
  }

  /**
   * A properties customizer that adds nothing and checks the user's settings.
   *
   * @throws MonitoringException for the first setting that breaks its rule
   */
  public Map<String, String> check(ConfigProperties config) {
    checkSampler();
    String exporters = used("otel.traces.exporter");
    if (exporters == null || exporters.contains("otlp")) {
      for (String prefix : List.of("otel.exporter.otlp.", "otel.exporter.otlp.traces.")) {
        checkEndpoint(prefix + "endpoint");
        checkProtocol(prefix + "protocol");
        checkDuration(prefix + "timeout", "e.g. 10s or 10000 (milliseconds)");
        checkHeaders(prefix + "headers");
        checkCompression(prefix + "compression");
      }
    }
    checkDuration("otel.bsp.schedule.delay", "e.g. 5s or 5000 (milliseconds)");
    checkDuration("otel.bsp.export.timeout", "e.g. 30s or 30000 (milliseconds)");
    int queue = checkPositive("otel.bsp.max.queue.size", 2048);
    int batch = checkPositive("otel.bsp.max.export.batch.size", 512);
    if (batch > queue) {
      String where = sources.describe("otel.bsp.max.export.batch.size");
      throw new MonitoringException(
          (where != null ? where : "otel.bsp.max.export.batch.size=" + batch)
              + " is larger than the span queue ("
              + describeOrDefault("otel.bsp.max.queue.size", queue)
              + "): a batch is taken from the queue; use a batch size of at most the queue size");
    }
    return Map.of();
  }

  /** The user's value for {@code key} if it is used, else {@code null}. */
  private String used(String key) {
    return overridden.contains(key) ? null : sources.value(key);
  }

  private String describeOrDefault(String key, int defaultValue) {
    String where = overridden.contains(key) ? null : sources.describe(key);
    return where != null ? where : "default " + defaultValue;
  }

  private void checkSampler() {
    String sampler = used(SAMPLER);
    if (sampler != null) {
      Set<String> known = knownSamplers();
      if (!known.contains(sampler.trim())) {
        throw new MonitoringException(
            sources.describe(SAMPLER)
                + " is not a sampler OpenTelemetry knows here: use one of "
                + String.join(", ", known)
                + " (parentbased_traceidratio is the default, with the ratio in"
                + " OTEL_TRACES_SAMPLER_ARG or MONITORING_TRACING_SAMPLING_RATIO), or unset it");
      }
    }
    String effective = sampler != null ? sampler.trim() : "parentbased_traceidratio";
    String arg = used(SAMPLER_ARG);
    if (arg != null && RATIO_SAMPLERS.contains(effective)) {
      boolean ok;
      try {
        double ratio = Double.parseDouble(arg.trim());
        ok = ratio >= 0.0 && ratio <= 1.0;
      } catch (NumberFormatException e) {
        ok = false;
      }
      if (!ok) {
        throw new MonitoringException(
            sources.describe(SAMPLER_ARG)
                + " is not a sampling ratio for the "
                + effective
                + " sampler: use a number from 0.0 to 1.0 (the share of new traces kept), e.g."
                + " 0.25, or set MONITORING_TRACING_SAMPLING_RATIO instead");
      }
    }
  }

  /** The built-in samplers and those that extensions on the classpath provide. */
  static Set<String> knownSamplers() {
    Set<String> known = new LinkedHashSet<>(BUILT_IN_SAMPLERS);
    for (ConfigurableSamplerProvider provider :
        ServiceLoader.load(
            ConfigurableSamplerProvider.class, OtelPropertyChecks.class.getClassLoader())) {
      known.add(provider.getName());
      if (provider.getName().equals("jaeger_remote")) {
        known.add("parentbased_jaeger_remote");
      }
    }
    return known;
  }

  private void checkEndpoint(String key) {
    String url = used(key);
    if (url == null) {
      return;
    }
    if (com.aicompanion.monitoring.ConfigKey.httpUrl(url) != null) {
      return;
    }
    throw new MonitoringException(
        sources.describe(key)
            + " is not an http(s) URL with a host: use e.g. http://collector:4317 (OTLP/gRPC) or"
            + " http://collector:4318 (OTLP/HTTP)");
  }

  private void checkProtocol(String key) {
    String protocol = used(key);
    if (protocol != null
        && !protocol.trim().equals(OtlpSettings.GRPC)
        && !protocol.trim().equals(OtlpSettings.HTTP)) {
      throw new MonitoringException(
          sources.describe(key)
              + " is not an OTLP protocol this exporter speaks: use grpc (port 4317) or"
              + " http/protobuf (port 4318)");
    }
  }

  private void checkDuration(String key, String example) {
    String value = used(key);
    if (value != null && !DURATION.matcher(value).matches()) {
      throw new MonitoringException(
          sources.describe(key)
              + " is not an OpenTelemetry duration: use a whole number with an optional unit ms, s,"
              + " m, h or d (no unit = milliseconds), "
              + example);
    }
  }

  private int checkPositive(String key, int defaultValue) {
    String value = used(key);
    if (value == null) {
      return defaultValue;
    }
    if (WHOLE.matcher(value).matches()) {
      try {
        int n = Integer.parseInt(value.trim());
        if (n >= 1) {
          return n;
        }
      } catch (NumberFormatException e) {
        // too large: reported below with the rule
      }
    }
    throw new MonitoringException(
        sources.describe(key)
            + " is not a positive whole number: use e.g. "
            + defaultValue
            + " (OpenTelemetry's default)");
  }

  private void checkHeaders(String key) {
    String value = used(key);
    if (value == null || value.isBlank()) {
      return;
    }
    for (String entry : value.split(",", -1)) {
      int eq = entry.indexOf('=');
      if (eq <= 0 || entry.substring(0, eq).isBlank()) {
        throw new MonitoringException(
            sources.describe(key, true)
                + " is not a list of headers: use comma-separated name=value pairs, e.g."
                + " api-key=secret,tenant=a (values URL-encoded); every entry needs a name and"
                + " '='");
      }
    }
  }

  private void checkCompression(String key) {
    String value = used(key);
    if (value != null && !value.trim().equals("gzip") && !value.trim().equals("none")) {
      throw new MonitoringException(
          sources.describe(key) + " is not an OTLP compression: use gzip or none");
    }
  }

  /**
   * What to throw for an error out of autoconfigure: a {@link MonitoringException} in its causes as
   * it is, else one naming the property that the error's message names, as the user set it.
   */
  public MonitoringException translate(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MonitoringException me) {
        return me;
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage();
      Matcher m = message == null ? null : OTEL_KEY.matcher(message);
      if (m != null && m.find()) {
        String key = m.group();
        boolean secret = key.contains("headers");
        String where = sources.describe(key, secret);
        String named = where != null ? where : key + " (as set by monitoring)";
        return new MonitoringException(
            named
                + " was refused by OpenTelemetry"
                + (secret ? "" : ": " + message)
                + ". Fix or unset it; the accepted values are listed at "
                + DOCS,
            e);
      }
    }
    List<String> set = sources.userKeys();
    return new MonitoringException(
        "OpenTelemetry could not be configured: "
            + e.getMessage()
            + ". "
            + (set.isEmpty()
                ? "No OTEL_* variable or otel.* system property is set"
                : "The OpenTelemetry settings in effect: " + String.join(", ", set))
            + "; fix or unset the one this is about (accepted values: "
            + DOCS
            + ")",
        e);
  }
}
