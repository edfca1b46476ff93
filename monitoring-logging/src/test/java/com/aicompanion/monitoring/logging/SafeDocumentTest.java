package com.aicompanion.monitoring.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.logging.internal.EcsSchema;
import com.aicompanion.monitoring.logging.internal.SafeDocument;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The safe form of a line (the shipper's one retry after a mapping refusal): the encoder's fields
 * unchanged, every user field in the one text field {@code labels.fields}, one line ending in '\n'.
 * The node's view is in {@link UserFieldsOnOpenSearchTest}.
 */
class SafeDocumentTest {
  private static final String LINE =
      "{\"@timestamp\":\"2024-05-01T12:00:00.123Z\",\"log.level\":\"WARN\",\"message\":\"m\","
          + "\"ecs.version\":\"8.11.0\",\"service.name\":\"svc\",\"log.logger\":\"L\","
          + "\"trace.id\":\"abc\",\"error.type\":\"java.lang.X\","
          + "\"n\":{\"a\":1,\"b\":[1,2]},\"count\":5,\"flag\":true,\"nothing\":null,"
          + "\"s\":\"text\",\"a.b\":\"dotted\",\"a_b\":\"taken\","
          + "\"labels\":{\"error\":\"x\",\"n\":\"already\"}}\n";

  private static JsonNode safe(String line) {
    byte[] safe = SafeDocument.safeForm(line.getBytes(StandardCharsets.UTF_8));
    JsonNode json = DocumentShape.parse(safe);
    assertThat(DocumentShape.problems(json)).isEmpty();
    return json;
  }

  private static JsonNode fields(JsonNode safe) {
    try {
      return LineSink.JSON.readTree(safe.path("labels").path("fields").asText());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void encoderFieldsStayAndEveryUserFieldGoesIntoTheOneFieldsText() {
    JsonNode json = safe(LINE);

    assertThat(json.path("@timestamp").asText()).isEqualTo("2024-05-01T12:00:00.123Z");
    assertThat(json.path("log.level").asText()).isEqualTo("WARN");
    assertThat(json.path("message").asText()).isEqualTo("m");
    assertThat(json.path("trace.id").asText()).isEqualTo("abc");
    assertThat(json.path("error.type").asText()).isEqualTo("java.lang.X");
    // one field holds every user field as they were on the line, labels included
    assertThat(json.path("labels")).hasSize(1);
    assertThat(json.path("labels").path("fields").isTextual()).isTrue();
    JsonNode user = fields(json);
    assertThat(user.path("n").toString()).isEqualTo("{\"a\":1,\"b\":[1,2]}");
    assertThat(user.path("count").asInt()).isEqualTo(5);
    assertThat(user.path("flag").asBoolean()).isTrue();
    assertThat(user.path("nothing").isNull()).isTrue();
    assertThat(user.path("s").asText()).isEqualTo("text");
    assertThat(user.path("a.b").asText()).isEqualTo("dotted");
    assertThat(user.path("a_b").asText()).isEqualTo("taken");
    assertThat(user.path("labels").path("error").asText()).isEqualTo("x");
    assertThat(user.path("labels").path("n").asText()).isEqualTo("already");
    java.util.List<String> top = new java.util.ArrayList<>();
    json.fieldNames().forEachRemaining(top::add);
    assertThat(top)
        .allMatch(name -> EcsSchema.FIELDS.contains(name) || name.equals(EcsSchema.LABELS));
  }

  @Test
  void aLineWithThousandsOfUserFieldsHasOneFieldBesideTheEncodersInItsSafeForm() {
    StringBuilder line = new StringBuilder("{\"@timestamp\":\"2024-05-01T12:00:00.123Z\"");
    for (int i = 0; i < 3000; i++) {
      line.append(",\"key").append(i).append("\":\"v").append(i).append('"');
    }
    JsonNode json = safe(line.append("}\n").toString());

    assertThat(json.size()).isEqualTo(2);
    assertThat(json.path("labels").size()).isEqualTo(1);
    assertThat(fields(json).size()).isEqualTo(3000);
    assertThat(fields(json).path("key2999").asText()).isEqualTo("v2999");
  }

  @Test
  void aLineThatIsNotAJsonObjectBecomesAMessageWithATimestamp() {
    JsonNode json = safe("not json at all\n");

    assertThat(json.path("message").asText()).isEqualTo("not json at all");
    assertThat(json.path("@timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(fields(json).path("safe_form").asText()).contains("not a JSON object");
  }

  @Test
  void schemaNamesThatHoldObjectsAreUserFieldsToo() {
    JsonNode json =
        safe("{\"@timestamp\":\"2024-05-01T12:00:00.123Z\",\"message\":{\"x\":1},\"error\":\"e\"}");

    assertThat(json.has("message")).isFalse();
    assertThat(fields(json).path("message").toString()).isEqualTo("{\"x\":1}");
    assertThat(fields(json).path("error").asText()).isEqualTo("e");
  }
}
