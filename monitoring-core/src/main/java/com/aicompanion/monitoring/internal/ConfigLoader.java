package com.aicompanion.monitoring.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * Merges the configuration sources in their order of precedence, defaults &lt; environment &lt;
 * system properties &lt; builder, into one map of canonical keys, remembering where each value came
 * from so that an error can name it as the user wrote it.
 */
public final class ConfigLoader {
  /** A configured value and the words that name its source in an error message. */
  public record Value(String value, String source) {
    /** The source and value as the user wrote them; secrets masked. */
    public String describe(String key) {
      String shown = ConfigKeys.isSecret(key) ? "****" : value;
      boolean call = source.endsWith("(") || source.endsWith(", ");
      return call ? source + "\"" + shown + "\")" : source + "=" + shown;
    }
  }

  private final Map<String, Value> values = new LinkedHashMap<>();

  private ConfigLoader() {}

  /**
   * Loads the sources.
   *
   * @param env the environment (System.getenv() outside tests)
   * @param properties the system properties
   * @param builder values set in code, by canonical key; their source is {@code builderNames}
   * @param builderNames how a builder value is named in errors, e.g. {@code metricsPort(}
   */
  public static ConfigLoader load(
      Map<String, String> env,
      Properties properties,
      Map<String, String> builder,
      Function<String, String> builderNames) {
    ConfigLoader loader = new ConfigLoader();
    String otelName = env.get("OTEL_SERVICE_NAME");
    if (otelName != null && !otelName.isBlank()) {
      loader.values.put("service.name", new Value(otelName.trim(), "OTEL_SERVICE_NAME"));
    }
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
    builder.forEach(
        (key, value) -> loader.values.put(key, new Value(value, builderNames.apply(key))));
    return loader;
  }

  private void put(String key, String value, String source) {
    if (value == null) {
      return;
    }
    values.put(key, new Value(value.trim(), source));
  }

  public Map<String, Value> values() {
    return values;
  }

  /**
   * A WARN message for each key under our prefix that neither core nor an installed module reads,
   * naming the nearest known key.
   *
   * @param moduleKeys keys that the installed modules declare beyond the documented ones
   */
  public static List<String> unknownKeyWarnings(
      Map<String, Value> values, Collection<String> moduleKeys) {
    List<String> warnings = new ArrayList<>();
    values.forEach(
        (key, value) -> {
          if (ConfigKeys.all().containsKey(key)
              || moduleKeys.contains(key)
              || value.source().startsWith("OTEL_")) {
            return;
          }
          String nearest = nearest(key, ConfigKeys.all().keySet(), moduleKeys);
          warnings.add(
              "Unknown configuration key "
                  + value.source().replaceAll("[(, ]+$", "")
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
    if (source.startsWith("config(")) {
      return "config(\"" + key + "\", ...)";
    }
    return ConfigKeys.envName(key);
  }

  static String nearest(String key, Collection<String> known, Collection<String> more) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (Collection<String> keys : java.util.List.of(known, more)) {
      for (String candidate : keys) {
        int d = distance(key, candidate);
        if (d < bestDistance) {
          bestDistance = d;
          best = candidate;
        }
      }
    }
    // a suggestion more different than similar helps nobody
    return best != null && bestDistance <= Math.max(2, key.length() / 3) ? best : null;
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
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
