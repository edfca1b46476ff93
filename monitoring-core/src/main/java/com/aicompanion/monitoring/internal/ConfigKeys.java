package com.aicompanion.monitoring.internal;

import java.util.Locale;
import java.util.Map;

/**
 * Spelling rules of configuration keys, and which first-party artifact owns each key name space, so
 * that a key of a module that is not on the classpath is reported as such instead of as a typo. The
 * keys themselves are declared by their modules as {@link com.aicompanion.monitoring.ConfigKey}s.
 */
public final class ConfigKeys {
  /**
   * Name space (the key's first word, or its first two for {@code service.}) -> the artifact whose
   * module declares the keys in it.
   */
  private static final Map<String, String> OWNERS =
      Map.of(
          "log", "monitoring-logging",
          "elasticsearch", "monitoring-logging",
          "sentry", "monitoring-logging",
          "tracing", "monitoring-tracing",
          "health", "monitoring-health",
          "alertmanager", "monitoring-health",
          "alert", "monitoring-health");

  private ConfigKeys() {}

  /** The first-party artifact that declares keys named like {@code key}, or null. */
  public static String artifactOf(String key) {
    int dot = key.indexOf('.');
    return OWNERS.get(dot < 0 ? key : key.substring(0, dot));
  }

  /** Undeclared keys are secret when their name says so. */
  public static boolean looksSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("pass")
        || k.contains("pwd")
        || k.contains("token")
        || k.contains("secret")
        || k.contains("key")
        || k.contains("credential")
        || k.contains("auth");
  }

  /** {@code metrics.port} -> {@code MONITORING_METRICS_PORT}. */
  public static String envName(String key) {
    return "MONITORING_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /** {@code metrics.port} -> {@code monitoring.metrics.port}. */
  public static String propertyName(String key) {
    return "monitoring." + key;
  }

  /** {@code MONITORING_METRICS_PORT} -> {@code metrics.port}. */
  static String fromEnv(String env) {
    return normalize(env.substring("MONITORING_".length()));
  }

  /** {@code monitoring.metrics_port} or {@code monitoring.metrics-port} -> {@code metrics.port}. */
  static String fromProperty(String property) {
    return normalize(property.substring("monitoring.".length()));
  }

  static String normalize(String key) {
    return key.toLowerCase(Locale.ROOT).replace('_', '.').replace('-', '.');
  }
}
