package com.aicompanion.monitoring.logging;

import static net.logstash.logback.argument.StructuredArguments.kv;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.encoder.Encoder;
import com.aicompanion.monitoring.logging.internal.EcsEncoders;
import com.aicompanion.monitoring.logging.internal.EncodingErrors;
import com.aicompanion.monitoring.logging.internal.SecretMasker;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.slf4j.event.KeyValuePair;

/**
 * The invariant "no field can break a document" for every input: whatever names and values the MDC,
 * SLF4J key/value pairs and structured arguments carry ({@link UserFieldArbitraries}), the encoded
 * line is one JSON object a strict parser (duplicate detection) takes, the schema's fields keep
 * their values, no path is both a value and an object or holds values of two kinds, nothing clashes
 * with the installed template ({@link DocumentShape}), and every MDC value is on the line, under
 * its own name or as a label. A failing sample is kept as an example in {@link UserFieldsTest};
 * jqwik replays a failing seed first on the next run.
 */
class UserFieldsPropertyTest {
  private final LoggerContext context = new LoggerContext();
  private final SecretMasker masker = SecretMasker.defaults(false, List.of());
  private final EncodingErrors errors = new EncodingErrors();
  private final Encoder<ILoggingEvent> encoder;

  UserFieldsPropertyTest() {
    context.setMDCAdapter(new LogbackMDCAdapter());
    encoder =
        EcsEncoders.create(
            context,
            new EcsEncoders.Identity("prop-svc", "1.0.0", "test", "host-1"),
            masker,
            errors);
  }

  @Provide
  Arbitrary<LoggingEvent> events() {
    return UserFieldArbitraries.events();
  }

  @Property(tries = 1000)
  void everyLineIsStrictJsonThatNoIndexWithTheTemplateRejects(
      @ForAll("events") LoggingEvent event) {
    String message = masker.mask(event.getFormattedMessage());

    byte[] line = encoder.encode(event);

    String text = new String(line, StandardCharsets.UTF_8);
    JsonNode json = DocumentShape.parse(line);
    assertThat(DocumentShape.problems(json)).as(text).isEmpty();
    assertThat(json.path("message").asText()).as(text).isEqualTo(message);
    assertThat(json.path("log.level").asText()).isEqualTo("INFO");
    assertThat(json.path("log.logger").asText()).isEqualTo("com.example.Property");
    assertThat(json.path("service.name").asText()).isEqualTo("prop-svc");
    assertThat(json.path("@timestamp").asText()).isEqualTo("2023-11-14T22:13:20.123Z");
    assertThat(json.path("labels").has("encoding_error")).as(text).isFalse();
    assertThat(errors.count()).as(text).isZero();
    for (Map.Entry<String, String> entry : event.getMDCPropertyMap().entrySet()) {
      assertThat(onTheLine(json, entry.getKey(), entry.getValue()))
          .as("MDC %s=%s in %s", entry.getKey(), entry.getValue(), text)
          .isTrue();
    }
  }

  /**
   * The first failing sample: a lone surrogate in a name, which a strict parser rejects escaped in
   * a field name (not in a value). Such names go under labels with U+FFFD in its place.
   */
  @Example
  void loneSurrogatesInNamesAreNotWrittenAsFieldNames() {
    LoggingEvent event =
        UserFieldArbitraries.event(
            Map.of("\uD83D", "mdc"),
            List.of(new KeyValuePair("x\uDE4Ay", 1)),
            List.of(kv("end\uD83D", "w\uD83D")));

    everyLineIsStrictJsonThatNoIndexWithTheTemplateRejects(event);

    JsonNode labels = DocumentShape.parse(encoder.encode(event)).path("labels");
    assertThat(labels.path("\uFFFD").asText()).isEqualTo("mdc");
    assertThat(labels.path("x\uFFFDy").asText()).isEqualTo("1");
    assertThat(labels.path("end\uFFFD").asText()).isEqualTo("w\uD83D");
  }

  private static boolean onTheLine(JsonNode json, String key, String value) {
    if (json.path(key).isTextual() && json.path(key).textValue().equals(value)) {
      return true;
    }
    for (JsonNode label : json.path("labels")) {
      if (label.isTextual() && label.textValue().equals(value)) {
        return true;
      }
    }
    return false;
  }
}
