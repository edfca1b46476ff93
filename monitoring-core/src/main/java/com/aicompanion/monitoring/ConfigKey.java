package com.aicompanion.monitoring;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One configuration key, declared by the module that reads it: its name, type, default, unit,
 * whether it is a secret, and what it means. Every module lists its keys in {@link
 * MonitoringModule#configKeys()}; {@link MonitoringConfig#get(ConfigKey)} reads a key with one
 * grammar per type; docs/configuration.md is generated from the declarations.
 *
 * <pre>{@code
 * static final ConfigKey<Duration> FLUSH =
 *     ConfigKey.duration("elasticsearch.flush.interval", Duration.ofSeconds(1),
 *         "How often a partial batch is sent");
 * Duration flush = config.get(FLUSH);            // MONITORING_ELASTICSEARCH_FLUSH_INTERVAL=500ms
 * }</pre>
 *
 * <p>A key is written in its canonical dotted form ({@code metrics.port}); the environment spells
 * it {@code MONITORING_METRICS_PORT}, system properties {@code monitoring.metrics.port}. The
 * grammars: integers in a declared range; booleans {@code true/false/yes/no/on/off/1/0}; durations
 * {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, a plain number of seconds, or ISO-8601
 * ({@code PT10S}), never negative; URLs absolute {@code http}/{@code https} (scheme in any case)
 * with a host; one-of values case-insensitive; maps {@code k=v,k2=v2}. A bad value fails {@code
 * start()} with a {@link MonitoringException} naming the key as the user spelled it, the value
 * (masked for secrets) and the rule.
 *
 * @param <T> the parsed type
 */
public final class ConfigKey<T> {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(\\.[a-z][a-z0-9]*)*");

  /** Parses a raw value or throws {@link IllegalArgumentException} with the rule. */
  @FunctionalInterface
  interface Parser<T> {
    T parse(String raw);
  }

  private final String name;
  private final String type;
  private final Parser<T> parser;
  private final T defaultValue;
  private final String defaultText;
  private final String unit;
  private final boolean secret;
  private final String description;

  private ConfigKey(
      String name,
      String type,
      Parser<T> parser,
      T defaultValue,
      String defaultText,
      String unit,
      boolean secret,
      String description) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "config key \""
              + name
              + "\" is not a canonical key: use lower-case dotted words, e.g. \"metrics.port\"");
    }
    if (description == null || description.isBlank()) {
      throw new IllegalArgumentException("config key " + name + " needs a description");
    }
    this.name = name;
    this.type = type;
    this.parser = parser;
    this.defaultValue = defaultValue;
    this.defaultText = defaultText;
    this.unit = unit;
    this.secret = secret;
    this.description = description;
  }

  /** A free-text key; {@code defaultValue} may be null (unset). */
  public static ConfigKey<String> string(String name, String defaultValue, String description) {
    return new ConfigKey<>(
        name,
        "string",
        raw -> raw,
        defaultValue,
        defaultValue == null ? "" : defaultValue,
        null,
        false,
        description);
  }

  /** A whole number in {@code [min, max]}. */
  public static ConfigKey<Integer> integer(
      String name, int defaultValue, int min, int max, String description) {
    return new ConfigKey<>(
        name,
        "integer " + min + ".." + max,
        raw -> {
          try {
            int value = Integer.parseInt(raw);
            if (value >= min && value <= max) {
              return value;
            }
          } catch (NumberFormatException e) {
            // the rule below says what is expected
          }
          throw new IllegalArgumentException("is not a whole number in [" + min + ", " + max + "]");
        },
        defaultValue,
        Integer.toString(defaultValue),
        null,
        false,
        description);
  }

  /** A TCP port, 0 to 65535 (0 = ephemeral). */
  public static ConfigKey<Integer> port(String name, int defaultValue, String description) {
    return new ConfigKey<>(
        name,
        "port 0..65535",
        raw -> {
          try {
            int value = Integer.parseInt(raw);
            if (value >= 0 && value <= 65535) {
              return value;
            }
          } catch (NumberFormatException e) {
            // the rule below says what is expected
          }
          throw new IllegalArgumentException("is not a port number (0-65535)");
        },
        defaultValue,
        Integer.toString(defaultValue),
        null,
        false,
        description);
  }

  /** A number in {@code [min, max]}; {@code defaultValue} may be null (unset). */
  public static ConfigKey<Double> decimal(
      String name, Double defaultValue, double min, double max, String description) {
    return new ConfigKey<>(
        name,
        "number " + min + ".." + max,
        raw -> {
          try {
            double value = Double.parseDouble(raw);
            if (value >= min && value <= max) {
              return value;
            }
          } catch (NumberFormatException e) {
            // the rule below says what is expected
          }
          throw new IllegalArgumentException("is not a number from " + min + " to " + max);
        },
        defaultValue,
        defaultValue == null ? "" : defaultValue.toString(),
        null,
        false,
        description);
  }

  /** A boolean: {@code true/false}, {@code yes/no}, {@code on/off}, {@code 1/0}. */
  public static ConfigKey<Boolean> bool(String name, boolean defaultValue, String description) {
    return new ConfigKey<>(
        name,
        "boolean",
        ConfigKey::parseBoolean,
        defaultValue,
        Boolean.toString(defaultValue),
        null,
        false,
        description);
  }

  /** A duration {@code >= 0}; {@code defaultValue} may be null (unset). */
  public static ConfigKey<Duration> duration(
      String name, Duration defaultValue, String description) {
    return new ConfigKey<>(
        name,
        "duration",
        ConfigKey::parseDuration,
        defaultValue,
        defaultValue == null ? "" : text(defaultValue),
        null,
        false,
        description);
  }

  /** An absolute http(s) URL; unset by default. */
  public static ConfigKey<URI> url(String name, String description) {
    return new ConfigKey<>(
        name, "http(s) URL", ConfigKey::parseUrl, null, "", null, false, description);
  }

  /**
   * One or more absolute http(s) URLs separated by commas (blanks around each ignored), read in the
   * order written, all with the same scheme and none twice (e.g. the nodes of one cluster); unset
   * by default. The rule is {@link #httpUrls(String)}'s.
   */
  public static ConfigKey<List<URI>> urls(String name, String description) {
    return new ConfigKey<>(
        name,
        "http(s) URLs, comma-separated",
        ConfigKey::httpUrls,
        null,
        "",
        null,
        false,
        description);
  }

  /** One of {@code allowed} (case-insensitive; read in lower case). */
  public static ConfigKey<String> oneOf(
      String name, String defaultValue, String description, String... allowed) {
    List<String> values = Arrays.stream(allowed).map(v -> v.toLowerCase(Locale.ROOT)).toList();
    return new ConfigKey<>(
        name,
        String.join(" | ", values),
        raw -> {
          String value = raw.toLowerCase(Locale.ROOT);
          if (values.contains(value)) {
            return value;
          }
          throw new IllegalArgumentException("is not one of " + String.join(", ", values));
        },
        defaultValue,
        defaultValue == null ? "" : defaultValue,
        null,
        false,
        description);
  }

  /**
   * A map written {@code key=value,key2=value2} (blanks around items ignored), read in order; each
   * key and value checked by {@code check}, which throws {@link IllegalArgumentException} with the
   * rule.
   */
  public static ConfigKey<Map<String, String>> map(
      String name, String description, java.util.function.BiConsumer<String, String> check) {
    return new ConfigKey<>(
        name,
        "map k=v,k2=v2",
        raw -> {
          Map<String, String> map = new LinkedHashMap<>();
          for (String item : raw.split(",")) {
            if (item.isBlank()) {
              continue;
            }
            int eq = item.indexOf('=');
            if (eq <= 0) {
              throw new IllegalArgumentException(
                  "is not a list of key=value pairs separated by commas, e.g. region=eu,team=chat");
            }
            String key = item.substring(0, eq).trim();
            String value = item.substring(eq + 1).trim();
            check.accept(key, value);
            if (map.put(key, value) != null) {
              throw new IllegalArgumentException("sets \"" + key + "\" twice: keep one of them");
            }
          }
          return Map.copyOf(map);
        },
        Map.of(),
        "",
        null,
        false,
        description);
  }

  /**
   * Regular expressions separated by blanks (write a blank inside one as {@code \s} or {@code
   * \x20}), each compiled and checked by {@link SecretMasking.Builder#pattern(Pattern)}: a pattern
   * that is not a regular expression or that overflows the stack on long values is refused with the
   * rule and the fix. Empty by default.
   */
  public static ConfigKey<List<Pattern>> patterns(String name, String description) {
    return new ConfigKey<>(
        name,
        "regular expressions separated by blanks",
        raw -> {
          List<Pattern> patterns = new java.util.ArrayList<>();
          for (String regex : raw.split("\\s+")) {
            if (regex.isEmpty()) {
              continue;
            }
            Pattern pattern;
            try {
              pattern = Pattern.compile(regex);
            } catch (java.util.regex.PatternSyntaxException e) {
              throw new IllegalArgumentException(
                  "has the pattern "
                      + regex
                      + ", which is not a regular expression ("
                      + e.getDescription()
                      + "): fix it, e.g. CUST-\\d{6}");
            }
            String problem =
                com.aicompanion.monitoring.internal.masking.PatternSafety.problem(pattern);
            if (problem != null) {
              throw new IllegalArgumentException("has the pattern " + regex + ", which " + problem);
            }
            patterns.add(pattern);
          }
          return List.copyOf(patterns);
        },
        List.of(),
        "",
        null,
        false,
        description);
  }

  /** The same key, declared secret: its value is masked in messages and the start-up summary. */
  public ConfigKey<T> secret() {
    return new ConfigKey<>(name, type, parser, defaultValue, defaultText, unit, true, description);
  }

  /** The same key with {@code unit} (e.g. {@code bytes}) for the docs. */
  public ConfigKey<T> unit(String unit) {
    return new ConfigKey<>(
        name, type, parser, defaultValue, defaultText, unit, secret, description);
  }

  /** The same key with the default described in words, e.g. "the jar's manifest version". */
  public ConfigKey<T> defaultText(String text) {
    return new ConfigKey<>(name, type, parser, defaultValue, text, unit, secret, description);
  }

  /** The canonical name, e.g. {@code metrics.port}. */
  public String name() {
    return name;
  }

  /** {@code MONITORING_METRICS_PORT}. */
  public String envName() {
    return com.aicompanion.monitoring.internal.ConfigKeys.envName(name);
  }

  /** {@code monitoring.metrics.port}. */
  public String propertyName() {
    return com.aicompanion.monitoring.internal.ConfigKeys.propertyName(name);
  }

  /** The type and its grammar for the docs, e.g. {@code duration}, {@code integer 1..65535}. */
  public String type() {
    return type;
  }

  /** The default value, or null when the key is unset by default. */
  public T defaultValue() {
    return defaultValue;
  }

  /** The default as the docs show it; empty when unset. */
  public String defaultText() {
    return defaultText;
  }

  /** The unit, or null. */
  public String unit() {
    return unit;
  }

  public boolean isSecret() {
    return secret;
  }

  public String description() {
    return description;
  }

  /**
   * Parses {@code raw} (trimmed).
   *
   * @throws IllegalArgumentException with the rule, e.g. "is not a duration: use e.g. 500ms"
   */
  T parse(String raw) {
    return parser.parse(raw.trim());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfigKey<?> other && other.name.equals(name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return name;
  }

  static boolean parseBoolean(String raw) {
    return switch (raw.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new IllegalArgumentException("is not a boolean: use true or false");
    };
  }

  /** The longest duration any key takes: beyond it, deadlines overflow as nanoseconds. */
  static final Duration LONGEST = Duration.ofDays(365);

  static Duration parseDuration(String raw) {
    Duration parsed = parseAnyDuration(raw);
    if (parsed.compareTo(LONGEST) > 0) {
      throw new IllegalArgumentException("is longer than the longest duration accepted, 365 days");
    }
    return parsed;
  }

  private static Duration parseAnyDuration(String raw) {
    Matcher m = DURATION.matcher(raw.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      try {
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
          case "ms" -> Duration.ofMillis(amount);
          case "m" -> Duration.ofMinutes(amount);
          case "h" -> Duration.ofHours(amount);
          default -> Duration.ofSeconds(amount);
        };
      } catch (ArithmeticException | NumberFormatException e) {
        // too large: reported below
      }
    } else {
      try {
        Duration parsed = Duration.parse(raw.toUpperCase(Locale.ROOT));
        if (!parsed.isNegative()) {
          return parsed;
        }
      } catch (DateTimeParseException e) {
        // reported below with the rule
      }
    }
    throw new IllegalArgumentException(
        "is not a duration: use e.g. 500ms, 10s, 5m, 1h or PT10S (not negative)");
  }

  static URI parseUrl(String raw) {
    URI uri = httpUrl(raw);
    if (uri == null) {
      throw new IllegalArgumentException("is not an http(s) URL: use e.g. http://localhost:9200");
    }
    return uri;
  }

  /**
   * The rule of a list of node URLs, for every module: {@code raw} split at commas, each entry
   * (trimmed) an http(s) URL by {@link #httpUrl(String)}, every entry with the same scheme, no
   * entry twice, no empty entry. A comma inside a URL must be written {@code %2C}.
   *
   * @param raw the text; must not be null
   * @return the URLs in the order written, at least one
   * @throws IllegalArgumentException naming the offending entry, the rule and the fix, worded to
   *     follow the setting as the user wrote it (e.g. {@code MONITORING_ELASTICSEARCH_URL=...})
   */
  public static List<URI> httpUrls(String raw) {
    String[] entries = raw.split(",", -1);
    if (entries.length == 1) {
      return List.of(parseUrl(raw));
    }
    List<URI> urls = new java.util.ArrayList<>(entries.length);
    for (String entry : entries) {
      if (entry.isBlank()) {
        throw new IllegalArgumentException(
            "has an empty entry between commas: separate the node URLs by single commas, e.g."
                + " http://es1:9200,http://es2:9200");
      }
      URI uri = httpUrl(entry);
      if (uri == null) {
        throw new IllegalArgumentException(
            "has the entry '"
                + redact(entry.trim())
                + "', which is not an http(s) URL: write every node as an http(s) URL, e.g."
                + " http://es1:9200,http://es2:9200");
      }
      for (URI seen : urls) {
        String a = seen.getScheme().toLowerCase(Locale.ROOT);
        String b = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!a.equals(b)) {
          throw new IllegalArgumentException(
              "mixes the schemes "
                  + a
                  + " ("
                  + redact(seen.toString())
                  + ") and "
                  + b
                  + " ("
                  + redact(uri.toString())
                  + "): the nodes of one cluster are reached the same way; use one scheme for"
                  + " all, e.g. https://es1:9200,https://es2:9200");
        }
        if (seen.equals(uri)) {
          throw new IllegalArgumentException(
              "lists " + redact(uri.toString()) + " twice: list each node once");
        }
      }
      urls.add(uri);
    }
    return List.copyOf(urls);
  }

  /**
   * The one http(s) URL rule of the library, for every module: an absolute URI whose scheme is
   * {@code http} or {@code https} in any case (RFC 3986 schemes are case-insensitive) and that
   * names a host.
   *
   * @param raw the text, trimmed first; may be null
   * @return the URI, or null when {@code raw} is null or breaks the rule
   */
  public static @org.jspecify.annotations.Nullable URI httpUrl(
      @org.jspecify.annotations.Nullable String raw) {
    if (raw == null) {
      return null;
    }
    try {
      URI uri = new URI(raw.trim());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      // getHost() is null for names with '_' (Docker Compose services): the authority counts
      boolean host =
          uri.getHost() != null
              || (uri.getRawAuthority() != null
                  && !uri.getRawAuthority().isBlank()
                  && !uri.getRawAuthority().startsWith(":"));
      if ((scheme.equals("http") || scheme.equals("https")) && host) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // not a URI: breaks the rule
    }
    return null;
  }

  private static final java.util.regex.Pattern USER_INFO =
      java.util.regex.Pattern.compile("(?<=://)[^/@\\s]+@");
  private static final java.util.regex.Pattern SECRET_QUERY =
      java.util.regex.Pattern.compile(
          "(?i)([?&;](?:[^=&;]*(?:key|token|secret|pass|pwd|auth|sig|credential)[^=&;]*)=)[^&;#\\s]*");

  /**
   * {@code value} fit for a message or a log line: the user information of any URL in it and the
   * values of query parameters whose name looks secret (key, token, secret, password, signature,
   * ...) replaced by {@code ****}. Everything else is kept, so that the user recognises the value.
   *
   * @param value may be null (returned as is)
   */
  public static @org.jspecify.annotations.Nullable String redact(
      @org.jspecify.annotations.Nullable String value) {
    if (value == null || value.indexOf(':') < 0 && value.indexOf('=') < 0) {
      return value;
    }
    String masked = USER_INFO.matcher(value).replaceAll("****@");
    return SECRET_QUERY.matcher(masked).replaceAll("$1****");
  }

  /** {@code 10s}, {@code 500ms}, {@code 5m}: the shortest exact spelling. */
  static String text(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
