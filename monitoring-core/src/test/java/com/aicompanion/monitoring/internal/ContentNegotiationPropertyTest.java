package com.aicompanion.monitoring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.internal.ContentNegotiation.Format;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random {@code Accept} headers built from ranges whose meaning is known (which formats each
 * matches, how specific it is), in random order, case, spacing and weights: the chosen format
 * always has the maximal weight above 0, and a format with weight 0 is never chosen.
 */
class ContentNegotiationPropertyTest {
  /** A range as written, the formats it matches and its specificity. */
  record Piece(String text, Set<Format> matches, int specificity) {}

  /** A piece as sent: spelled in some case, with a weight or none (1). */
  record Sent(Piece piece, String spelled, Double weight) {
    double effectiveWeight() {
      return weight == null ? 1.0 : weight;
    }

    String render() {
      return weight == null ? spelled : spelled + " ;q=" + formatWeight(weight);
    }
  }

  private static final String PROTOBUF =
      "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited";

  private static final List<Piece> PIECES =
      List.of(
          new Piece("*/*", Set.of(Format.values()), 0),
          new Piece("text/*", Set.of(Format.PROMETHEUS_TEXT), 1),
          new Piece("application/*", Set.of(Format.OPENMETRICS, Format.PROTOBUF), 1),
          new Piece("text/plain", Set.of(Format.PROMETHEUS_TEXT), 2),
          new Piece("text/plain;version=0.0.4", Set.of(Format.PROMETHEUS_TEXT), 3),
          new Piece("text/plain;version=0.0.4;charset=utf-8", Set.of(Format.PROMETHEUS_TEXT), 4),
          new Piece("text/plain;version=1.0.0", Set.of(), 3),
          new Piece("application/openmetrics-text", Set.of(Format.OPENMETRICS), 2),
          new Piece("application/openmetrics-text;version=1.0.0", Set.of(Format.OPENMETRICS), 3),
          new Piece("application/openmetrics-text;version=0.0.1", Set.of(Format.OPENMETRICS), 3),
          new Piece(
              "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8",
              Set.of(Format.OPENMETRICS),
              4),
          new Piece("application/vnd.google.protobuf", Set.of(Format.PROTOBUF), 2),
          new Piece(PROTOBUF, Set.of(Format.PROTOBUF), 4),
          new Piece("application/vnd.google.protobuf;encoding=text", Set.of(), 3),
          new Piece("application/json", Set.of(), 2),
          new Piece("text/html", Set.of(), 2));

  @Property(tries = 2000)
  void chosenFormatHasTheMaximalPositiveWeight(@ForAll("headers") List<Sent> sent) {
    Optional<Format> chosen = ContentNegotiation.format(List.of(render(sent)));

    Map<Format, Double> weights = expectedWeights(sent);
    double max =
        weights.values().stream()
            .mapToDouble(Double::doubleValue)
            .filter(w -> w > 0)
            .max()
            .orElse(0);
    if (max > 0) {
      assertThat(chosen).isPresent();
      assertThat(weights.get(chosen.get())).as("weights %s", weights).isEqualTo(max);
    } else if (weights.containsKey(Format.PROMETHEUS_TEXT)) {
      assertThat(chosen).as("text refused explicitly: 406").isEmpty();
    } else {
      assertThat(chosen).as("nothing matched: text fallback").contains(Format.PROMETHEUS_TEXT);
    }
    chosen.ifPresent(
        format ->
            assertThat(weights.getOrDefault(format, 1.0)).as("weights %s", weights).isPositive());
  }

  @Property(tries = 500)
  void headerLineSplitsDoNotChangeTheChoice(@ForAll("headers") List<Sent> sent) {
    List<String> lines = new ArrayList<>();
    for (Sent s : sent) {
      lines.add(s.render());
    }
    assertThat(ContentNegotiation.format(lines))
        .isEqualTo(ContentNegotiation.format(List.of(render(sent))));
  }

  @Property(tries = 1000)
  void anyHeaderTextIsAnsweredWithoutThrowing(
      @ForAll("junk") String accept, @ForAll("junk") String acceptEncoding) {
    ContentNegotiation.format(List.of(accept));
    ContentNegotiation.gzip(List.of(acceptEncoding));
  }

  @Provide
  Arbitrary<String> junk() {
    return Arbitraries.strings().withChars("*/;=,q\" .0123456789abtxp").ofMaxLength(40);
  }

  @Provide
  Arbitrary<List<Sent>> headers() {
    Arbitrary<Sent> one =
        Combinators.combine(
                Arbitraries.of(PIECES),
                Arbitraries.longs().between(0, Long.MAX_VALUE),
                Arbitraries.integers().between(-1, 1000),
                Arbitraries.of(true, false))
            .as(
                (piece, caseBits, weight, spaces) ->
                    new Sent(
                        piece,
                        spell(piece.text(), caseBits, spaces),
                        weight < 0 ? null : weight / 1000.0));
    return one.list().ofMinSize(1).ofMaxSize(8);
  }

  /** What each format's weight must be: that of its most specific range, the max among equals. */
  private static Map<Format, Double> expectedWeights(List<Sent> sent) {
    Map<Format, Double> weights = new EnumMap<>(Format.class);
    Map<Format, Integer> specificity = new EnumMap<>(Format.class);
    for (Sent s : sent) {
      for (Format format : s.piece().matches()) {
        int spec = s.piece().specificity();
        Integer known = specificity.get(format);
        if (known == null
            || spec > known
            || (spec == known && s.effectiveWeight() > weights.get(format))) {
          specificity.put(format, spec);
          weights.put(format, s.effectiveWeight());
        }
      }
    }
    return weights;
  }

  private static String render(List<Sent> sent) {
    List<String> parts = new ArrayList<>();
    sent.forEach(s -> parts.add(s.render()));
    return String.join(" , ", parts);
  }

  /** Each letter upper-cased where its bit is set; optional spaces around ';'. */
  private static String spell(String text, long caseBits, boolean spaces) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean upper = ((caseBits >>> (i % 63)) & 1) == 1;
      out.append(upper ? Character.toUpperCase(c) : c);
      if (c == ';' && spaces) {
        out.append(' ');
      }
    }
    return out.toString();
  }

  private static String formatWeight(double weight) {
    String text = String.format(Locale.ROOT, "%.3f", weight);
    return text.replaceAll("0+$", "").replaceAll("\\.$", ".0");
  }
}
