package com.aicompanion.monitoring.logging.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The safe form of an encoded line, for the one retry of a document the node rejected for a mapping
 * conflict (another document mapped one of its user fields with another type): the encoder's own
 * fields ({@link EcsSchema#FIELDS}) stay as they are, every other top-level field moves under
 * {@code labels} with its {@link EcsSchema#labelKey} (made unique with {@code _2}, {@code _3}...)
 * and its value as text (a string as it is, anything else as its JSON text), and labels already on
 * the line stay, as text. The index template maps {@code labels.*} as {@code keyword}, so the safe
 * form cannot conflict with another document's mapping.
 *
 * <pre>{@code
 * byte[] line = encoder.encode(event);          // {"@timestamp":..,"n":{"a":1},..}
 * byte[] safe = SafeDocument.safeForm(line);    // {"@timestamp":..,"labels":{"n":"{\"a\":1}"}}
 * }</pre>
 *
 * <p>Never throws. A line that is not a JSON object (not one the encoder wrote) becomes a document
 * with the time of the call as {@code @timestamp}, the line as {@code message} and {@code
 * labels.safe_form} saying so. The line is already masked; nothing is masked again.
 */
public final class SafeDocument {
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
    ObjectNode labels = JSON.createObjectNode();
    PathSet keys = new PathSet();
    List<Map.Entry<String, JsonNode>> user = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : line.properties()) {
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (EcsSchema.FIELDS.contains(name) && value.isValueNode()) {
        out.set(name, value.isTextual() || value.isNull() ? value : TextNode.valueOf(text(value)));
      } else if (name.equals(EcsSchema.LABELS) && value.isObject()) {
        for (Map.Entry<String, JsonNode> label : value.properties()) {
          String key = keys.free(EcsSchema.labelKey(label.getKey()));
          keys.add(key);
          labels.put(key, text(label.getValue()));
        }
      } else {
        user.add(field);
      }
    }
    for (Map.Entry<String, JsonNode> field : user) {
      String key = keys.free(EcsSchema.labelKey(field.getKey()));
      keys.add(key);
      labels.put(key, text(field.getValue()));
    }
    if (!out.has("@timestamp")) {
      out.put("@timestamp", UtcTimestamp.format(System.currentTimeMillis()));
    }
    if (!labels.isEmpty()) {
      out.set(EcsSchema.LABELS, labels);
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
      out.putObject(EcsSchema.LABELS).put("safe_form", "the shipped line was not a JSON object");
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
