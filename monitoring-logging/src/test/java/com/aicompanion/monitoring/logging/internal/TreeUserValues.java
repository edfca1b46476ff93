package com.aicompanion.monitoring.logging.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.util.Map;

/**
 * The tree path that user values took before they were streamed ({@link UserValueWriter}), kept as
 * the oracle of {@code UserValueStreamingPropertyTest}: the value turned into a {@code JsonNode}
 * tree with {@code valueToTree}, normalized into a second tree, then written through {@link
 * MaskingJsonGenerator}.
 *
 * <pre>{@code
 * Object v = TreeUserValues.normalize(Map.of("", 1, "a", List.of(1, "x")), mapper, 1);
 * // {"_":1,"a":"[1,\"x\"]"}
 * }</pre>
 */
final class TreeUserValues {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  // kinds of array elements: an index maps one array's elements as one type
  private static final int NULL = 1;
  private static final int STRING = 2;
  private static final int INTEGER = 3;
  private static final int DECIMAL = 4;
  private static final int BOOLEAN = 5;
  private static final int OTHER = 6;

  private TreeUserValues() {}

  /**
   * {@code value} as null, a String, a Boolean, a safe Number or a normalized JsonNode tree. {@code
   * depth} is the number of path segments already used by the field's name. Throws what serializing
   * the value throws (a getter, a cycle).
   */
  static Object normalize(Object value, ObjectMapper mapper, int depth) throws Exception {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Number number) {
      return UserValues.number(number);
    }
    if (value instanceof Character || value instanceof CharSequence) {
      return value.toString();
    }
    return normalizeNode(tree(value, mapper), mapper, depth);
  }

  private static JsonNode tree(Object value, ObjectMapper mapper) {
    if (value instanceof JsonNode node) {
      return node;
    }
    if (value instanceof RawValue raw) {
      return parseRaw(String.valueOf(raw.rawValue()), mapper);
    }
    return mapper.valueToTree(value);
  }

  private static JsonNode parseRaw(String raw, ObjectMapper mapper) {
    try {
      JsonNode node = mapper.readTree(raw);
      return node == null || node.isMissingNode() ? TextNode.valueOf(raw) : node;
    } catch (JsonProcessingException notJson) {
      return TextNode.valueOf(raw);
    }
  }

  private static JsonNode normalizeNode(JsonNode node, ObjectMapper mapper, int depth)
      throws Exception {
    if (node == null || node.isMissingNode()) {
      return NODES.nullNode();
    }
    if (node.isObject()) {
      return normalizeObject((ObjectNode) node, mapper, depth);
    }
    if (node.isArray()) {
      return normalizeArray((ArrayNode) node, mapper, depth);
    }
    if (node.isNumber()) {
      Object n = UserValues.number(node.numberValue());
      return n instanceof String text ? TextNode.valueOf(text) : node;
    }
    if (node.isBinary()) {
      return TextNode.valueOf(node.asText());
    }
    if (node instanceof POJONode pojo) {
      Object inner = pojo.getPojo();
      if (inner instanceof RawValue raw) {
        return normalizeNode(parseRaw(String.valueOf(raw.rawValue()), mapper), mapper, depth);
      }
      return TextNode.valueOf(UserValues.text(inner, mapper));
    }
    return node;
  }

  private static JsonNode normalizeObject(ObjectNode node, ObjectMapper mapper, int depth)
      throws Exception {
    if (depth >= EcsSchema.MAX_PATH_SEGMENTS) {
      return TextNode.valueOf(mapper.writeValueAsString(node));
    }
    ObjectNode out = NODES.objectNode();
    PathSet keys = new PathSet();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String key = field.getKey();
      int segments = EcsSchema.segments(key);
      if (segments < 0 || depth + segments > EcsSchema.MAX_PATH_SEGMENTS || keys.overlaps(key)) {
        key = keys.free(EcsSchema.labelKey(key));
        segments = 1;
      }
      keys.add(key);
      out.set(key, normalizeNode(field.getValue(), mapper, depth + segments));
    }
    return out;
  }

  private static JsonNode normalizeArray(ArrayNode node, ObjectMapper mapper, int depth)
      throws Exception {
    int kind = 0;
    ArrayNode out = NODES.arrayNode(node.size());
    for (JsonNode element : node) {
      JsonNode normalized = normalizeNode(element, mapper, depth);
      int k = kind(normalized);
      if (k == OTHER || (k != NULL && kind != 0 && k != kind)) {
        return TextNode.valueOf(mapper.writeValueAsString(node));
      }
      if (k != NULL) {
        kind = k;
      }
      out.add(normalized);
    }
    return out;
  }

  private static int kind(JsonNode node) {
    if (node.isNull()) {
      return NULL;
    }
    if (node.isTextual()) {
      return STRING;
    }
    if (node.isIntegralNumber()) {
      return INTEGER;
    }
    if (node.isNumber()) {
      return DECIMAL;
    }
    if (node.isBoolean()) {
      return BOOLEAN;
    }
    return OTHER;
  }
}
