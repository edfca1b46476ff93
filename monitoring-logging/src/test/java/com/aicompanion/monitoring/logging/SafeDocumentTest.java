package com.aicompanion.monitoring.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.logging.internal.EcsSchema;
import com.aicompanion.monitoring.logging.internal.SafeDocument;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The safe form of a line (the shipper's one retry after a mapping conflict): the encoder's fields
 * unchanged, every user field under {@code labels} as text, one line ending in '\n'. The node's
 * view is in {@link UserFieldsOnOpenSearchTest}.
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

  @Test
  void encoderFieldsStayAndEveryUserFieldBecomesALabelWithItsText() {
    JsonNode json = safe(LINE);

    assertThat(json.path("@timestamp").asText()).isEqualTo("2024-05-01T12:00:00.123Z");
    assertThat(json.path("log.level").asText()).isEqualTo("WARN");
    assertThat(json.path("message").asText()).isEqualTo("m");
    assertThat(json.path("trace.id").asText()).isEqualTo("abc");
    assertThat(json.path("error.type").asText()).isEqualTo("java.lang.X");
    JsonNode labels = json.path("labels");
    // labels already on the line keep their keys; user fields take the next free one
    assertThat(labels.path("error").asText()).isEqualTo("x");
    assertThat(labels.path("n").asText()).isEqualTo("already");
    assertThat(labels.path("n_2").asText()).isEqualTo("{\"a\":1,\"b\":[1,2]}");
    assertThat(labels.path("count").asText()).isEqualTo("5");
    assertThat(labels.path("flag").asText()).isEqualTo("true");
    assertThat(labels.path("nothing").asText()).isEqualTo("null");
    assertThat(labels.path("s").asText()).isEqualTo("text");
    assertThat(labels.path("a_b").asText()).isEqualTo("dotted");
    assertThat(labels.path("a_b_2").asText()).isEqualTo("taken");
    java.util.List<String> top = new java.util.ArrayList<>();
    json.fieldNames().forEachRemaining(top::add);
    assertThat(top)
        .allMatch(name -> EcsSchema.FIELDS.contains(name) || name.equals(EcsSchema.LABELS));
  }

  @Test
  void aLineThatIsNotAJsonObjectBecomesAMessageWithATimestamp() {
    JsonNode json = safe("not json at all\n");

    assertThat(json.path("message").asText()).isEqualTo("not json at all");
    assertThat(json.path("@timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(json.path("labels").path("safe_form").asText()).contains("not a JSON object");
  }

  @Test
  void schemaNamesThatHoldObjectsAreUserFieldsToo() {
    JsonNode json =
        safe("{\"@timestamp\":\"2024-05-01T12:00:00.123Z\",\"message\":{\"x\":1},\"error\":\"e\"}");

    assertThat(json.has("message")).isFalse();
    assertThat(json.path("labels").path("message").asText()).isEqualTo("{\"x\":1}");
    assertThat(json.path("labels").path("error").asText()).isEqualTo("e");
  }
}
