package com.aicompanion.monitoring.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The label keys {@link UserFieldWriter} gives (kept in arrays, a hash set past 16 labels) are the
 * ones the former {@link PathSet} bookkeeping gave ({@code free(labelKey(name))} then {@code add}),
 * in the same order, for events with up to 40 labels whose keys clash, carry {@code _2}-like
 * suffixes of their own or lose their dots; and each label keeps its value.
 */
class LabelKeysPropertyTest {
  private static final ObjectMapper MAPPER = UserValueSerializers.register(new ObjectMapper());
  private static final SecretMasker MASKER = SecretMasker.defaults(false, List.of());

  @Property(tries = 500)
  void labelKeysAreThoseOfThePathSetRule(@ForAll("labelNames") List<String> names)
      throws IOException {
    PathSet oracle = new PathSet();
    List<String> expected = new ArrayList<>();
    for (String name : names) {
      String key = oracle.free(EcsSchema.labelKey(name));
      oracle.add(key);
      expected.add(key);
    }

    StringWriter text = new StringWriter();
    try (JsonGenerator generator = new MaskingJsonGenerator(MAPPER.createGenerator(text), MASKER)) {
      generator.writeStartObject();
      UserFieldWriter writer = new UserFieldWriter(MASKER, new EncodingErrors());
      writer.begin(generator);
      for (int i = 0; i < names.size(); i++) {
        writer.field(names.get(i), "v" + i);
      }
      writer.finish();
      writer.end();
      generator.writeEndObject();
    }

    JsonNode labels = MAPPER.readTree(text.toString()).path("labels");
    List<String> keys = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (Iterator<String> it = labels.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      keys.add(key);
      values.add(labels.get(key).asText());
    }
    assertThat(keys).isEqualTo(expected);
    for (int i = 0; i < values.size(); i++) {
      assertThat(values.get(i)).isEqualTo("v" + i);
    }
  }

  /** Names that never stay at the top level (schema fields, objects, under labels, leading _). */
  @Provide
  Arbitrary<List<String>> labelNames() {
    Arbitrary<String> name =
        Arbitraries.frequencyOf(
            Tuple.of(
                3,
                Arbitraries.of(
                    "error",
                    "message",
                    "log.level.x",
                    "labels.a",
                    "_x",
                    "_x_2",
                    "_x_3",
                    "_x.2",
                    "_",
                    "",
                    " ",
                    "error.type")),
            Tuple.of(
                2, Arbitraries.strings().withChars("_.a2*\"").ofMaxLength(4).map(s -> "_" + s)));
    return name.list().ofMaxSize(40);
  }
}
