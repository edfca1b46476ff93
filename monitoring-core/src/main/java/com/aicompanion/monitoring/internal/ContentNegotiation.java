package com.aicompanion.monitoring.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Chooses the exposition format of a scrape from its {@code Accept} header and whether to gzip it
 * from its {@code Accept-Encoding} header, by RFC 9110 section 12.5.
 *
 * <pre>{@code
 * Optional<Format> format = ContentNegotiation.format(exchange.getRequestHeaders().get("Accept"));
 * boolean gzip = ContentNegotiation.gzip(exchange.getRequestHeaders().get("Accept-Encoding"));
 * }</pre>
 *
 * <p>Each format takes the weight ({@code q}, default 1) of the most specific media range that
 * matches it ({@code type/subtype;params} &gt; {@code type/subtype} &gt; {@code type/*} &gt; {@code
 * *}{@code /*}); the highest weight above 0 wins, ties go to the more specific range and then to
 * {@link Format}'s order. Types, subtypes, parameter names and values compare case-insensitively; a
 * range's {@code version}, {@code charset}, {@code proto} and {@code encoding} must fit the format,
 * other parameters (e.g. {@code escaping}) do not restrict it. A range that cannot be parsed is
 * ignored. When no format is acceptable the answer is Prometheus text, as client_java and
 * client_golang answer, unless the client refused text explicitly (a range matching it with {@code
 * q=0}): then nothing is chosen and the caller answers 406.
 */
public final class ContentNegotiation {
  /** The formats we serve, in our order of preference for ties. */
  public enum Format {
    PROMETHEUS_TEXT("text", "plain", Map.of("version", List.of("0.0.4"))),
    OPENMETRICS("application", "openmetrics-text", Map.of("version", List.of("1.0.0", "0.0.1"))),
    PROTOBUF(
        "application",
        "vnd.google.protobuf",
        Map.of(
            "proto", List.of("io.prometheus.client.metricfamily"),
            "encoding", List.of("delimited")));

    private final String type;
    private final String subtype;
    private final Map<String, List<String>> parameters;

    Format(String type, String subtype, Map<String, List<String>> parameters) {
      this.type = type;
      this.subtype = subtype;
      this.parameters = parameters;
    }

    /** Whether the range's type, subtype and restricting parameters fit this format. */
    boolean matches(MediaRange range) {
      if (!range.type().equals("*") && !range.type().equals(type)) {
        return false;
      }
      if (!range.subtype().equals("*") && !range.subtype().equals(subtype)) {
        return false;
      }
      for (Map.Entry<String, String> p : range.parameters().entrySet()) {
        if (p.getKey().equals("charset")) {
          if (!p.getValue().equals("utf-8")) {
            return false;
          }
        } else if (parameters.containsKey(p.getKey())
            && !parameters.get(p.getKey()).contains(p.getValue())) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * One element of an {@code Accept} header, lower-cased and unquoted.
   *
   * @param parameters the media type's parameters, without {@code q} and what follows it
   * @param weight {@code q} in [0, 1]
   */
  record MediaRange(String type, String subtype, Map<String, String> parameters, double weight) {
    /** 0 for {@code *}{@code /*}, 1 for {@code type/*}, 2 + the parameter count otherwise. */
    int specificity() {
      if (type.equals("*")) {
        return 0;
      }
      return subtype.equals("*") ? 1 : 2 + parameters.size();
    }
  }

  private ContentNegotiation() {}

  /**
   * The format to answer with.
   *
   * @param acceptHeaders the {@code Accept} header lines, or {@code null} when there are none (then
   *     Prometheus text)
   * @return empty when the client refused every format and text explicitly: answer 406
   */
  public static Optional<Format> format(List<String> acceptHeaders) {
    List<MediaRange> ranges = parseAccept(acceptHeaders);
    if (ranges.isEmpty()) {
      return Optional.of(Format.PROMETHEUS_TEXT);
    }
    Format best = null;
    MediaRange bestRange = null;
    boolean textRefused = false;
    for (Format format : Format.values()) {
      MediaRange range = determining(format, ranges);
      if (range == null) {
        continue;
      }
      if (range.weight() <= 0) {
        textRefused |= format == Format.PROMETHEUS_TEXT;
        continue;
      }
      // formats come in preference order, so only a strictly better weight or range replaces one
      if (bestRange == null
          || range.weight() > bestRange.weight()
          || (range.weight() == bestRange.weight()
              && range.specificity() > bestRange.specificity())) {
        best = format;
        bestRange = range;
      }
    }
    if (best != null) {
      return Optional.of(best);
    }
    return textRefused ? Optional.empty() : Optional.of(Format.PROMETHEUS_TEXT);
  }

  /**
   * The range that sets {@code format}'s weight: the most specific that matches it, the heaviest
   * among equally specific ones; {@code null} when none matches.
   */
  static MediaRange determining(Format format, List<MediaRange> ranges) {
    MediaRange found = null;
    for (MediaRange range : ranges) {
      if (!format.matches(range)) {
        continue;
      }
      if (found == null
          || range.specificity() > found.specificity()
          || (range.specificity() == found.specificity() && range.weight() > found.weight())) {
        found = range;
      }
    }
    return found;
  }

  /**
   * Whether to gzip the answer: when {@code gzip} (or {@code *}) has a weight above 0 that an
   * explicit {@code identity} does not outweigh.
   *
   * @param acceptEncodingHeaders the {@code Accept-Encoding} lines, or {@code null}
   */
  public static boolean gzip(List<String> acceptEncodingHeaders) {
    Double gzip = null;
    Double any = null;
    Double identity = null;
    for (String element : elements(acceptEncodingHeaders)) {
      String[] parts = element.split(";", -1);
      String coding = parts[0].trim().toLowerCase(Locale.ROOT);
      double weight = 1;
      for (int i = 1; i < parts.length; i++) {
        String[] nameValue = parts[i].split("=", 2);
        if (nameValue.length == 2 && nameValue[0].trim().equalsIgnoreCase("q")) {
          weight = weight(nameValue[1].trim());
        }
      }
      if (Double.isNaN(weight)) {
        continue;
      }
      switch (coding) {
        case "gzip", "x-gzip" -> gzip = gzip == null ? weight : Math.max(gzip, weight);
        case "*" -> any = weight;
        case "identity" -> identity = weight;
        default -> {
          // a coding we do not offer
        }
      }
    }
    double gzipWeight = gzip != null ? gzip : any != null ? any : 0;
    return gzipWeight > 0 && (identity == null || identity <= gzipWeight);
  }

  /** The ranges of every {@code Accept} line, in order; malformed ones are left out. */
  static List<MediaRange> parseAccept(List<String> headers) {
    List<MediaRange> ranges = new ArrayList<>();
    for (String element : elements(headers)) {
      MediaRange range = parseRange(element);
      if (range != null) {
        ranges.add(range);
      }
    }
    return ranges;
  }

  /** One range, or {@code null} when it is malformed. */
  static MediaRange parseRange(String element) {
    String[] parts = element.split(";", -1);
    String mediaType = parts[0].trim().toLowerCase(Locale.ROOT);
    int slash = mediaType.indexOf('/');
    if (slash <= 0 || slash == mediaType.length() - 1) {
      return null;
    }
    String type = mediaType.substring(0, slash).trim();
    String subtype = mediaType.substring(slash + 1).trim();
    if (!isToken(type) || !isToken(subtype) || (type.equals("*") && !subtype.equals("*"))) {
      return null;
    }
    Map<String, String> parameters = new TreeMap<>();
    double weight = 1;
    for (int i = 1; i < parts.length; i++) {
      String[] nameValue = parts[i].split("=", 2);
      if (nameValue.length != 2) {
        if (nameValue[0].isBlank()) {
          continue; // a stray ";"
        }
        return null;
      }
      String name = nameValue[0].trim().toLowerCase(Locale.ROOT);
      String value = unquote(nameValue[1].trim()).toLowerCase(Locale.ROOT);
      if (name.equals("q")) {
        weight = weight(value);
        if (Double.isNaN(weight)) {
          return null;
        }
        break; // what follows q are accept-extensions, not media type parameters
      }
      parameters.put(name, value);
    }
    return new MediaRange(type, subtype, parameters, weight);
  }

  /** A {@code q} value in [0, 1] with at most three decimals, else NaN. */
  static double weight(String text) {
    if (!text.matches("0(\\.\\d{0,3})?|1(\\.0{0,3})?")) {
      return Double.NaN;
    }
    return Double.parseDouble(text.endsWith(".") ? text + "0" : text);
  }

  private static List<String> elements(List<String> headers) {
    List<String> elements = new ArrayList<>();
    if (headers == null) {
      return elements;
    }
    for (String header : headers) {
      if (header == null) {
        continue;
      }
      // commas inside quoted parameter values are not used by any media type we offer
      for (String element : header.split(",")) {
        if (!element.isBlank()) {
          elements.add(element.trim());
        }
      }
    }
    return elements;
  }

  private static String unquote(String value) {
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      return value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
    }
    return value;
  }

  private static boolean isToken(String text) {
    if (text.isEmpty()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0
              || (c >= 'A' && c <= 'Z');
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
