package com.aicompanion.monitoring.logging.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The safe form of an encoded line, for the one retry of a document the node refused for a mapping
 * problem: a type conflict (another document mapped one of its user fields with another type) or
 * the index at its field limit ({@code index.mapping.total_fields.limit}, 1,000 by default). The
 * encoder's own fields ({@link EcsSchema#FIELDS}) stay as they are; every other field of the line
 * (the user fields, {@code labels} included) goes into ONE field, {@value #FIELDS}, as the text of
 * a JSON object holding them as they were on the line. The index template maps {@value #FIELDS} as
 * {@code keyword} up front, so the safe form adds no field to any index and cannot conflict with
 * another document's mapping, however many user fields the event had.
 *
 * <pre>{@code
 * byte[] line = encoder.encode(event);   // {"@timestamp":..,"n":{"a":1},"labels":{"error":"x"}}
 * byte[] safe = SafeDocument.safeForm(line);
 * // {"@timestamp":..,"labels":{"fields":"{\"n\":{\"a\":1},\"labels\":{\"error\":\"x\"}}"}}
 * }</pre>
 *
 * <p>Never throws. A line that is not a JSON object (not one the encoder wrote) becomes a document
 * with the time of the call as {@code @timestamp}, the line as {@code message} and {@value #FIELDS}
 * saying so. The line is already masked; nothing is masked again.
 */
public final class SafeDocument {
  /** The one field that holds the user fields in the safe form. */
  public static final String FIELDS = EcsSchema.LABELS + ".fields";

  private static final String FIELD_KEY = "fields";
  private static final ObjectMapper JSON = new ObjectMapper();

  private SafeDocument() {}

  /** {@code ecsJsonLine} (one JSON object, optionally ending in '\n') in its safe form + '\n'. */
  public static byte[] safeForm(byte[] ecsJsonLine) {
    try {
      JsonNode line = JSON.readTree(ecsJsonLine);
      if (line instanceof ObjectNode object) {
        return bytes(safe(object));
      }
    } catch (Throwable notJson) {
      // not JSON, or nested beyond what the parser takes: below
    }
    return notAnEcsLine(ecsJsonLine);
  }

  private static ObjectNode safe(ObjectNode line) throws JsonProcessingException {
    ObjectNode out = JSON.createObjectNode();
    ObjectNode user = JSON.createObjectNode();
    for (Map.Entry<String, JsonNode> field : line.properties()) {
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (EcsSchema.FIELDS.contains(name) && value.isValueNode()) {
        out.set(name, value.isTextual() || value.isNull() ? value : TextNode.valueOf(text(value)));
      } else {
        user.set(name, value);
      }
    }
    if (!out.has("@timestamp")) {
      out.put("@timestamp", UtcTimestamp.format(System.currentTimeMillis()));
    }
    if (!user.isEmpty()) {
      out.putObject(EcsSchema.LABELS).put(FIELD_KEY, JSON.writeValueAsString(user));
    }
    return out;
  }

  private static String text(JsonNode value) throws JsonProcessingException {
    return value.isTextual() ? value.textValue() : JSON.writeValueAsString(value);
  }

  private static byte[] notAnEcsLine(byte[] line) {
    try {
      ObjectNode out = JSON.createObjectNode();
      out.put("@timestamp", UtcTimestamp.format(System.currentTimeMillis()));
      int end = line.length;
      while (end > 0 && (line[end - 1] == '\n' || line[end - 1] == '\r')) {
        end--;
      }
      out.put("message", new String(line, 0, end, StandardCharsets.UTF_8));
      out.putObject(EcsSchema.LABELS)
          .put(FIELD_KEY, "{\"safe_form\":\"the shipped line was not a JSON object\"}");
      return bytes(out);
    } catch (Throwable e) {
      return ("{\"@timestamp\":\"" + UtcTimestamp.format(System.currentTimeMillis()) + "\"}\n")
          .getBytes(StandardCharsets.UTF_8);
    }
  }

  private static byte[] bytes(ObjectNode document) throws JsonProcessingException {
    byte[] json = JSON.writeValueAsBytes(document);
    byte[] line = new byte[json.length + 1];
    System.arraycopy(json, 0, line, 0, json.length);
    line[json.length] = '\n';
    return line;
  }
}
