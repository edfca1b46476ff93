package com.aicompanion.monitoring.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Merges the configuration sources in their order of precedence, defaults &lt; environment &lt;
 * system properties &lt; builder, into one map of canonical keys, remembering where each value came
 * from so that an error can name it as the user wrote it.
 */
public final class ConfigLoader {
  /**
   * A configured value and how the user set it: {@code source} is the environment variable, the
   * system property ({@code -Dmonitoring.x}), or the builder call without its argument ({@code
   * metricsPort}, or {@code config("metrics.port"} for the generic setter); {@code quoted} says
   * whether a builder call took a string.
   */
  public record Value(String value, String source, boolean quoted) {
    /**
     * The source and value as the user wrote them, e.g. {@code metricsPort(70000)}; a secret value
     * as {@code ****}, and user information and secret-looking query parameters of a URL masked.
     */
    public String describe(boolean secret) {
      String shown = secret ? "****" : com.aicompanion.monitoring.ConfigKey.redact(value);
      if (source.startsWith("MONITORING_") || source.startsWith("-D")) {
        return source + "=" + shown;
      }
      String argument = quoted && !secret ? "\"" + shown + "\"" : shown;
      return source.startsWith("config(")
          ? source + ", " + argument + ")"
          : source + "(" + argument + ")";
    }
  }

  private final Map<String, Value> values = new LinkedHashMap<>();

  /** Keys set twice in one layer through different spellings with different values. */
  private final List<String> spellingConflicts = new ArrayList<>();

  private ConfigLoader() {}

  /**
   * Loads the sources.
   *
   * @param env the environment (System.getenv() outside tests)
   * @param properties the system properties
   * @param builder values set in code, by canonical key, with their builder call
   */
  public static ConfigLoader load(
      Map<String, String> env, Properties properties, Map<String, Value> builder) {
    ConfigLoader loader = new ConfigLoader();
    env.forEach(
        (name, value) -> {
          if (name.startsWith("MONITORING_")) {
            loader.put(ConfigKeys.fromEnv(name), value, name);
          }
        });
    for (String name : properties.stringPropertyNames()) {
      if (name.startsWith("monitoring.")) {
        loader.put(ConfigKeys.fromProperty(name), properties.getProperty(name), "-D" + name);
      }
    }
    loader.values.putAll(builder);
    return loader;
  }

  private void put(String key, String value, String source) {
    if (value == null) {
      return;
    }
    Value previous = values.get(key);
    if (previous != null
        && previous.source().charAt(0) == source.charAt(0)
        && !previous.value().equals(value.trim())) {
      // the same key twice in one layer (MONITORING_A_B and MONITORING_A-B, -Dmonitoring.a.b and
      // -Dmonitoring.a_b): which one a map iterates first is no rule, so say it
      String[] both = {previous.source(), source};
      java.util.Arrays.sort(both);
      spellingConflicts.add(
          "Configuration key "
              + key
              + " is set twice with different values, as "
              + both[0]
              + " and "
              + both[1]
              + "; "
              + both[1]
              + " is used: remove one of them");
      if (source.compareTo(previous.source()) < 0) {
        return;
      }
    }
    values.put(key, new Value(value.trim(), source, false));
  }

  /** WARN lines for keys set twice in one layer through different spellings. */
  public List<String> spellingConflicts() {
    return spellingConflicts;
  }

  public Map<String, Value> values() {
    return values;
  }

  /**
   * A WARN message for each configured key that no loaded module declares: one naming the artifact
   * to add when the key belongs to a first-party module that is not on the classpath, else one
   * naming the nearest declared key.
   *
   * @param declared every key declared by core and the loaded modules
   */
  public static List<String> unknownKeyWarnings(
      Map<String, Value> values, Collection<String> declared) {
    List<String> warnings = new ArrayList<>();
    java.util.Set<String> loadedArtifacts = new java.util.HashSet<>();
    declared.forEach(
        k -> {
          String a = ConfigKeys.artifactOf(k);
          if (a != null) {
            loadedArtifacts.add(a);
          }
        });
    values.forEach(
        (key, value) -> {
          if (declared.contains(key)) {
            return;
          }
          String shown =
              value.source().startsWith("config(") ? value.source() + ", ...)" : value.source();
          String artifact = ConfigKeys.artifactOf(key);
          if (artifact != null && !loadedArtifacts.contains(artifact)) {
            warnings.add(
                "Configuration key "
                    + shown
                    + " belongs to "
                    + artifact
                    + ", which is not on the classpath, so it is ignored: add the dependency"
                    + " com.aicompanion.monitoring:"
                    + artifact
                    + ", or remove the setting");
            return;
          }
          String nearest = nearest(key, declared);
          warnings.add(
              "Unknown configuration key "
                  + shown
                  + " is ignored"
                  + (nearest == null
                      ? ""
                      : "; did you mean " + spell(nearest, value.source()) + "?"));
        });
    return warnings;
  }

  /** {@code key} spelled the way {@code source} spells keys. */
  static String spell(String key, String source) {
    if (source.startsWith("-D")) {
      return "-D" + ConfigKeys.propertyName(key);
    }
    if (!source.startsWith("MONITORING_")) {
      return "config(\"" + key + "\", ...)";
    }
    return ConfigKeys.envName(key);
  }

  static String nearest(String key, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int d = distance(key, candidate);
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    // a suggestion more different than similar helps nobody
    return best != null && bestDistance <= Math.max(2, key.length() / 3) ? best : null;
  }

  /** Levenshtein distance. */
  public static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
