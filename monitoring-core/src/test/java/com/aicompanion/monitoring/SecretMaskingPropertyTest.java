package com.aicompanion.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.testsupport.SecretCorpus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * Invariants of the masking policy for every input: a secret of the corpus, put anywhere in random
 * surrounding text, JSON or a URL, never appears in the masked output; any text masks without
 * throwing and masking twice changes nothing more; a secret word in any spelling of a key makes the
 * field secret. A failing seed is kept below as an {@link Example} (jqwik also replays it first on
 * the next run).
 */
class SecretMaskingPropertyTest {
  private static final List<SecretCorpus.Case> CASES = allCases();
  private static final SecretMasking MASKING =
      SecretMasking.builder().maskEmails(true).pattern(SecretCorpus.USER_PATTERN).build();

  private static List<SecretCorpus.Case> allCases() {
    List<SecretCorpus.Case> all = new ArrayList<>(SecretCorpus.cases());
    all.addAll(SecretCorpus.optIn());
    return List.copyOf(all);
  }

  /** How the case is embedded. */
  enum Wrapper {
    TEXT,
    JSON_STRING,
    JSON_TWICE,
    URL_QUERY,
    LOG_LINE,
    STACK_FRAME
  }

  @Property(tries = 3000, shrinking = ShrinkingMode.BOUNDED)
  void aCorpusSecretInRandomSurroundingsNeverAppears(
      @ForAll("cases") SecretCorpus.Case c,
      @ForAll("noise") String before,
      @ForAll("noise") String after,
      @ForAll("separators") String left,
      @ForAll("separators") String right,
      @ForAll Wrapper wrapper) {
    String text = embed(c.text(), before, after, left, right, wrapper);
    String masked = MASKING.mask(text);
    assertThat(SecretCorpus.leaks(masked, c)).as("%s\nin %s\n-> %s", c, text, masked).isEmpty();
  }

  static String embed(
      String text, String before, String after, String left, String right, Wrapper wrapper) {
    String plain = before + left + text + right + after;
    return switch (wrapper) {
      case TEXT -> plain;
      case JSON_STRING -> "{\"event\":\"" + SecretCorpus.json(plain) + "\",\"n\":7}";
      case JSON_TWICE ->
          "{\"raw\":\""
              + SecretCorpus.json("{\"event\":\"" + SecretCorpus.json(plain) + "\"}")
              + "\"}";
      case URL_QUERY ->
          text.contains(" ") || text.contains("\n")
              ? plain
              : "GET https://api.example.com/"
                  + before.replace(' ', '-')
                  + "?a=1&b="
                  + text
                  + "&c=2";
      case LOG_LINE ->
          "2030-01-01T00:00:00.000Z WARN [worker-1] c.e.Chat - " + plain + " (took 12 ms)";
      case STACK_FRAME ->
          "java.lang.IllegalStateException: x\n\tat com.example.Chat.call("
              + text
              + ")\n\tat "
              + text
              + "(Chat.java:1)\n\tat com.example.Chat.run(Chat.java:2) ~["
              + text
              + "]\n"
              + plain;
    };
  }

  @Property(tries = 2000)
  void anyTextMasksWithoutThrowingAndMaskingAgainChangesNothing(@ForAll("anyText") String text) {
    String once = MASKING.mask(text);
    assertThat(once).isNotNull();
    assertThat(MASKING.mask(once)).as(text).isEqualTo(once);
    assertThat(MASKING.errors()).isZero();
  }

  @Property(tries = 1000)
  void aSecretWordInAnySpellingOfAKeyMakesTheFieldSecret(
      @ForAll("secretWords") String word,
      @ForAll("ordinaryWords") String prefix,
      @ForAll("ordinaryWords") String suffix,
      @ForAll("conventions") String convention) {
    String name = spell(List.of(prefix, word, suffix), convention);
    assertThat(MASKING.isSecretName(name)).as(name).isTrue();
    assertThat(MASKING.mask(name + "=Qz7vW3xK9m")).as(name).doesNotContain("Qz7vW3xK9m");
    assertThat(MASKING.mask("{\"" + name + "\":[1,2]}")).as(name).contains("\"****\"");
  }

  /** Seeds that once failed (keep them as regression cases). */
  @Example
  void aJsonWrappedQuotedValueWithAnEscapedQuoteStaysMasked() {
    SecretCorpus.Case c =
        CASES.stream()
            .filter(x -> x.context().equals("double quotes (quote and backslash)"))
            .findFirst()
            .orElseThrow();
    String text = embed(c.text(), "x", "y", " ", " ", Wrapper.JSON_STRING);
    assertThat(SecretCorpus.leaks(MASKING.mask(text), c)).isEmpty();
    text = embed(c.text(), "x", "y", " ", " ", Wrapper.JSON_TWICE);
    assertThat(SecretCorpus.leaks(MASKING.mask(text), c)).isEmpty();
  }

  @Example
  void aDigestHeaderInsideJsonKeepsItsQuotedParametersMasked() {
    SecretCorpus.Case c =
        CASES.stream()
            .filter(x -> x.kind().equals("authorization digest header"))
            .findFirst()
            .orElseThrow();
    for (Wrapper wrapper : Wrapper.values()) {
      String text = embed(c.text(), "a", "b", "; ", ", ", wrapper);
      assertThat(SecretCorpus.leaks(MASKING.mask(text), c)).as(wrapper.name()).isEmpty();
    }
  }

  @Provide
  Arbitrary<SecretCorpus.Case> cases() {
    return Arbitraries.of(CASES);
  }

  @Provide
  Arbitrary<String> noise() {
    Arbitrary<String> chars =
        Arbitraries.strings()
            .withChars("abcxyzABCXYZ0123456789 .,;:=&?/-_@\"'{}[]()<>|#%+*!\t\n")
            .ofMaxLength(30);
    Arbitrary<String> words =
        Arbitraries.of(
            "status=200",
            "took 12 ms",
            "user=bob",
            "GET /chat",
            "model: gpt-4o",
            "{\"n\":1}",
            "https://example.com/a?b=c",
            "key=value;",
            "token_count=3",
            "name='x'",
            "Caused by: x",
            "é ü 中文 🙂");
    return Arbitraries.oneOf(chars, words, Arbitraries.just(""));
  }

  @Provide
  Arbitrary<String> separators() {
    return Arbitraries.of(" ", "\n", ", ", "; ", " | ", "\t", ") ", " (", " [", "] ", " - ", ": ");
  }

  @Provide
  Arbitrary<String> anyText() {
    Arbitrary<String> fromCorpus =
        Combinators.combine(
                Arbitraries.of(CASES).map(SecretCorpus.Case::text),
                Arbitraries.strings().ofMaxLength(20),
                Arbitraries.strings().ofMaxLength(20))
            .as((t, a, b) -> a + t + b);
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(200),
        Arbitraries.strings().withChars("ab=:\"'\\{}[]@/ ;,&-_~>< \nQ8eyJsk").ofMaxLength(200),
        fromCorpus);
  }

  @Provide
  Arbitrary<String> secretWords() {
    return Arbitraries.of(
        "password",
        "passwd",
        "secret",
        "api key",
        "access key",
        "private key",
        "token",
        "credential",
        "signature",
        "pwd",
        "auth",
        "client secret",
        "session id",
        "account key");
  }

  @Provide
  Arbitrary<String> ordinaryWords() {
    return Arbitraries.of("db", "my app", "x", "user", "prod", "main", "v2", "service", "new");
  }

  @Provide
  Arbitrary<String> conventions() {
    return Arbitraries.of("snake", "SCREAMING", "kebab", "camel", "Pascal", "dotted", "header");
  }

  /** {@code words} (each possibly several, blank-separated) joined in one naming convention. */
  static String spell(List<String> words, String convention) {
    List<String> parts = new ArrayList<>();
    for (String w : words) {
      parts.addAll(List.of(w.split(" ")));
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < parts.size(); i++) {
      String p = parts.get(i);
      String cap = p.substring(0, 1).toUpperCase(Locale.ROOT) + p.substring(1);
      switch (convention) {
        case "snake" -> out.append(i == 0 ? "" : "_").append(p);
        case "SCREAMING" -> out.append(i == 0 ? "" : "_").append(p.toUpperCase(Locale.ROOT));
        case "kebab" -> out.append(i == 0 ? "" : "-").append(p);
        case "camel" -> out.append(i == 0 ? p : cap);
        case "Pascal" -> out.append(cap);
        case "dotted" -> out.append(i == 0 ? "" : ".").append(p);
        default -> out.append(i == 0 ? "" : "-").append(cap);
      }
    }
    return out.toString();
  }
}
