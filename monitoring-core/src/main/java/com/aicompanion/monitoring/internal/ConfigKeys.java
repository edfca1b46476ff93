package com.aicompanion.monitoring.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Every documented configuration key, in its canonical dotted form ({@code metrics.port}), with the
 * artifact that reads it and whether its value is a secret. A key is spelled {@code
 * MONITORING_METRICS_PORT} in the environment and {@code monitoring.metrics.port} as a system
 * property.
 */
public final class ConfigKeys {
  public static final String CORE = "monitoring-core";

  /** One documented key. */
  public record Key(String name, String artifact, boolean secret) {}

  private static final Map<String, Key> KEYS = new LinkedHashMap<>();

  static {
    core("service.name");
    core("environment");
    core("service.version");
    core("metrics.host");
    core("metrics.port");
    core("metrics.path");
    add("endpoint.token", CORE, true);
    core("cardinality.limit");
    core("shutdown.timeout");
    core("shutdown.drain");
    core("jvm.metrics");
    core("llm.prices.file");
    module("health.details", "monitoring-health");
    module("health.cache.interval", "monitoring-health");
    module("alertmanager.url", "monitoring-health");
    module("log.format", "monitoring-logging");
    module("log.level", "monitoring-logging");
    module("elasticsearch.url", "monitoring-logging");
    add("elasticsearch.api.key", "monitoring-logging", true);
    module("elasticsearch.username", "monitoring-logging");
    add("elasticsearch.password", "monitoring-logging", true);
  }

  private ConfigKeys() {}

  private static void core(String name) {
    add(name, CORE, false);
  }

  private static void module(String name, String artifact) {
    add(name, artifact, false);
  }

  private static void add(String name, String artifact, boolean secret) {
    KEYS.put(name, new Key(name, artifact, secret));
  }

  public static Map<String, Key> all() {
    return KEYS;
  }

  public static boolean isSecret(String key) {
    Key k = KEYS.get(key);
    return k != null ? k.secret() : looksSecret(key);
  }

  /** Keys that modules add are secret when their name says so. */
  static boolean looksSecret(String key) {
    return key.contains("password")
        || key.contains("token")
        || key.contains("secret")
        || key.endsWith(".key");
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
