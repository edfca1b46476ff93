package com.aicompanion.monitoring.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.testsupport.SecretCorpus;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.RawValue;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The streaming user-value path ({@link UserValueWriter} through {@link UserFieldWriter#field})
 * writes exactly the JSON the former tree path wrote ({@link TreeUserValues}: {@code valueToTree},
 * a normalized copy, written through {@link MaskingJsonGenerator}), for nested maps and lists of
 * every scalar kind, keys that overlap, go too deep or say secret, secrets from {@link
 * SecretCorpus} as values, raw JSON, binary, {@code java.time} and {@code Optional} values.
 */
class UserValueStreamingPropertyTest {
  private static final ObjectMapper MAPPER = UserValueSerializers.register(new ObjectMapper());
  private static final SecretMasker MASKER = SecretMasker.defaults(false, List.of());
  private static final List<SecretCorpus.Case> CASES =
      SecretCorpus.cases().stream().filter(c -> c.key() == null).limit(400).toList();
  private static final List<String> SECRETS = CASES.stream().map(SecretCorpus.Case::text).toList();

  @Property(tries = 600)
  void streamingWritesWhatTheTreePathWrote(
      @ForAll("fieldNames") String name, @ForAll("values") Object value) throws IOException {
    assertThat(streamed(name, value)).isEqualTo(tree(name, value));
  }

  @Property(tries = 300)
  void aLabelHoldsTheTextTheTreePathWrote(@ForAll("values") Object value) throws IOException {
    // "message" is the schema's: a user field of that name goes under labels, as JSON text
    String expected;
    StringWriter text = new StringWriter();
    try (JsonGenerator generator = MAPPER.createGenerator(text)) {
      generator.writeStartObject();
      generator.writeFieldName("labels");
      generator.writeStartObject();
      // each string masked once on the way, the text not scanned again
      generator.writeStringField("message", treeLabelJson(value));
      generator.writeEndObject();
      generator.writeEndObject();
    }
    expected = text.toString();

    assertThat(streamed("message", value)).isEqualTo(expected);
  }

  @Property(tries = 200)
  void streamedValuesAreValidJsonWithoutCorpusSecrets(@ForAll("values") Object value)
      throws IOException {
    String json = streamed("request", value);

    JsonNode parsed = MAPPER.readTree(json);
    assertThat(parsed.has("request")).isTrue();
    for (SecretCorpus.Case c : CASES) {
      assertThat(SecretCorpus.leaks(json, c)).as(c.text() + " in " + json).isEmpty();
    }
  }

  @Property(tries = 200)
  void labelTextsHoldNoCorpusSecret(@ForAll("values") Object value) throws IOException {
    String json = streamed("message", value);

    String label = MAPPER.readTree(json).path("labels").path("message").asText();
    for (SecretCorpus.Case c : CASES) {
      assertThat(SecretCorpus.leaks(label, c)).as(c.text() + " in " + label).isEmpty();
      assertThat(SecretCorpus.leaks(json, c)).as(c.text() + " in " + json).isEmpty();
    }
  }

  @Example
  void deepDottedKeysMixedArraysAndRawJson() throws IOException {
    Map<String, Object> deep = new LinkedHashMap<>();
    deep.put("d.".repeat(14) + "d", Map.of("x", 1, "y", List.of(1, "a")));
    deep.put("a", List.of(List.of(1, "x"), List.of(2, "y")));
    deep.put("b", List.of(List.of(1, 2)));
    deep.put("raw", new RawValue("{\"password\":\"hunter2\",\"n\":1e400}"));
    deep.put("bad", new RawValue("{not json"));
    deep.put("bytes", new byte[] {1, 2, 3});
    deep.put("big", new BigDecimal("12.50"));
    deep.put("", 1);
    deep.put("a.b", 2);

    assertThat(streamed("request", deep)).isEqualTo(tree("request", deep));
  }

  @Provide
  Arbitrary<String> fieldNames() {
    return Arbitraries.of("request", "user.data", "a.b.c.d.e.f.g.h.i.j.k.l.m.n", "x");
  }

  @Provide
  Arbitrary<Object> values() {
    return Arbitraries.oneOf(maps(4), values(4).list().ofMaxSize(4).map(l -> (Object) l));
  }

  private static Arbitrary<Object> maps(int depth) {
    return Arbitraries.maps(keys(), values(depth - 1))
        .ofMaxSize(4)
        .map(m -> (Object) new LinkedHashMap<>(m));
  }

  private static Arbitrary<String> keys() {
    return Arbitraries.frequencyOf(
        Tuple.of(
            6,
            Arbitraries.of(
                "a",
                "b",
                "a.b",
                "a.b.c",
                "",
                " ",
                ".",
                "a..b",
                "x.y",
                "password",
                "api_key",
                "token",
                "authorization",
                "user",
                "session_id",
                "d.d.d.d.d.d.d.d",
                "名前",
                "\"q\"")),
        Tuple.of(2, Arbitraries.strings().withChars("ab.").ofMaxLength(5)));
  }

  private static Arbitrary<Object> values(int depth) {
    if (depth <= 0) {
      return scalars();
    }
    return Arbitraries.frequencyOf(
        Tuple.of(4, scalars()),
        Tuple.of(1, maps(depth)),
        Tuple.of(1, values(depth - 1).list().ofMaxSize(3).map(l -> (Object) new ArrayList<>(l))),
        Tuple.of(
            1, values(depth - 1).list().ofMaxSize(3).map(l -> (Object) l.toArray(new Object[0]))));
  }

  private static Arbitrary<Object> scalars() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("abcxyz019 ,äß名\"\\\n").ofMaxLength(10).map(s -> s),
        Arbitraries.of(SECRETS).map(s -> (Object) s),
        Arbitraries.integers().map(i -> (Object) i),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.of(
            0.5, -0.0, 1e300, -1e39, Double.NaN, Double.POSITIVE_INFINITY, 3.4e38, 1.5f, Float.NaN),
        Arbitraries.of(
            new BigInteger("123456789012345678901234567890"),
            BigInteger.TEN,
            new BigDecimal("1E+400"),
            new BigDecimal("12.50"),
            new BigDecimal("1E+3"),
            new BigDecimal("0.00"),
            new BigDecimal("100"),
            new BigDecimal("123456789012345678901234567890")),
        Arbitraries.of(true, false),
        Arbitraries.just(null),
        Arbitraries.of(
            'c',
            Thread.State.NEW,
            Instant.EPOCH,
            LocalDate.of(2024, 1, 2),
            Duration.ofSeconds(90),
            Optional.of("x"),
            Optional.empty(),
            OptionalInt.of(3),
            new byte[] {1, 2, 3},
            (short) 7),
        Arbitraries.of(
            new RawValue("{\"a\":1,\"a.b\":[1,\"x\"]}"),
            new RawValue("[1,2]"),
            new RawValue("{broken"),
            new RawValue(""),
            new RawValue("\"sk-proj-Ab12Cd34Ef56Gh78Ij90KlMnOpQr\""),
            new RawValue("1e400")));
  }

  /** The field as the encoder now writes it. */
  private static String streamed(String name, Object value) throws IOException {
    StringWriter text = new StringWriter();
    try (JsonGenerator generator = new MaskingJsonGenerator(MAPPER.createGenerator(text), MASKER)) {
      generator.writeStartObject();
      UserFieldWriter writer = new UserFieldWriter(MASKER, new EncodingErrors());
      writer.begin(generator);
      writer.field(name, value);
      writer.finish();
      writer.end();
      generator.writeEndObject();
    }
    return text.toString();
  }

  /** A label's JSON text as the tree path wrote it. */
  private static String treeLabelJson(Object value) throws IOException {
    JsonNode node = MAPPER.valueToTree(value);
    if (node.isTextual()) {
      return MASKER.mask(node.textValue());
    }
    StringWriter text = new StringWriter();
    try (JsonGenerator generator =
        new MaskingJsonGenerator(MAPPER.getFactory().createGenerator(text), MASKER)) {
      MAPPER.writeTree(generator, node);
    }
    return text.toString();
  }

  /** The field as the tree path wrote it. */
  private static String tree(String name, Object value) throws IOException {
    StringWriter text = new StringWriter();
    try (JsonGenerator generator = MAPPER.createGenerator(text)) {
      generator.writeStartObject();
      generator.writeFieldName(name);
      Object normalized;
      try {
        normalized = TreeUserValues.normalize(value, MAPPER, EcsSchema.segments(name));
      } catch (Exception e) {
        throw new IOException(e);
      }
      TokenBuffer buffer = new TokenBuffer(MAPPER, false);
      MAPPER.writeTree(new MaskingJsonGenerator(buffer, MASKER), (JsonNode) normalized);
      JsonParser tokens = buffer.asParser(MAPPER);
      tokens.nextToken();
      generator.copyCurrentStructure(tokens);
      generator.writeEndObject();
    }
    return text.toString();
  }
}
