package com.aicompanion.monitoring.tracing.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Where the user set an OpenTelemetry property, so that a message names it as they wrote it: the
 * builder's {@code otelProperty("otel.x", "v")}, the system property {@code -Dotel.x=v} or the
 * environment variable {@code OTEL_X=v}, in OpenTelemetry's precedence (the builder wins).
 *
 * <pre>{@code
 * OtelSources sources = OtelSources.forProcess(Map.of());
 * sources.describe("otel.traces.sampler.arg");   // "OTEL_TRACES_SAMPLER_ARG=1.5", or null if unset
 * }</pre>
 */
public final class OtelSources {
  private final Map<String, String> builder;
  private final Map<String, String> env;
  private final Properties properties;

  OtelSources(Map<String, String> builder, Map<String, String> env, Properties properties) {
    this.builder = Map.copyOf(builder);
    this.env = env;
    this.properties = properties;
  }

  /** The process's environment and system properties, under the builder's {@code otel.*} ones. */
  public static OtelSources forProcess(Map<String, String> builderProperties) {
    return new OtelSources(builderProperties, System.getenv(), System.getProperties());
  }

  /** {@code otel.traces.sampler.arg} -> {@code OTEL_TRACES_SAMPLER_ARG}. */
  static String envName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The value the user set for {@code key}, or {@code null}. */
  public String value(String key) {
    String value = builder.get(key);
    if (value == null) {
      value = properties.getProperty(key);
    }
    if (value == null) {
      value = env.get(envName(key));
    }
    return value;
  }

  /**
   * How the user set {@code key}, with its value, e.g. {@code OTEL_TRACES_SAMPLER_ARG=1.5}; {@code
   * null} when they did not.
   */
  public String describe(String key) {
    return describe(key, false);
  }

  /**
   * As {@link #describe(String)}; with {@code secret} the value is left out, e.g. {@code
   * OTEL_EXPORTER_OTLP_HEADERS (value not shown)}.
   */
  public String describe(String key, boolean secret) {
    String value = builder.get(key);
    String where;
    if (value != null) {
      return secret
          ? "otelProperty(\"" + key + "\", ...) (value not shown)"
          : "otelProperty(\""
              + key
              + "\", \""
              + com.aicompanion.monitoring.ConfigKey.redact(value)
              + "\")";
    } else if ((value = properties.getProperty(key)) != null) {
      where = "-D" + key;
    } else if ((value = env.get(envName(key))) != null) {
      where = envName(key);
    } else {
      return null;
    }
    return secret
        ? where + " (value not shown)"
        : where + "=" + com.aicompanion.monitoring.ConfigKey.redact(value);
  }

  /** The names of every {@code OTEL_*} / {@code otel.*} setting the user made, without values. */
  public List<String> userKeys() {
    TreeSet<String> keys = new TreeSet<>();
    builder.keySet().forEach(k -> keys.add("otelProperty(\"" + k + "\", ...)"));
    properties.stringPropertyNames().stream()
        .filter(k -> k.startsWith("otel."))
        .forEach(k -> keys.add("-D" + k));
    env.keySet().stream().filter(k -> k.startsWith("OTEL_")).forEach(keys::add);
    return new ArrayList<>(keys);
  }
}
