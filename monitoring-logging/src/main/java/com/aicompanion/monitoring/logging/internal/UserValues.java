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
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns a user value (MDC, key/value pair, structured argument) into one an Elasticsearch or
 * OpenSearch index takes within the document: strings, booleans and nulls as they are; numbers the
 * dynamic mapping can hold (integers within {@code long}, finite decimals within {@code float}) as
 * numbers, other numbers as their text; objects and collections as a JSON tree whose keys are
 * usable paths that do not overlap within one object (else renamed as {@link EcsSchema#labelKey}
 * with a {@code _2}, {@code _3}... suffix), no deeper than {@link EcsSchema#MAX_PATH_SEGMENTS}, and
 * whose arrays hold one kind of scalar (an array of mixed kinds, objects or arrays is written as
 * its JSON text). Raw JSON that does not parse is kept as text.
 *
 * <pre>{@code
 * Object v = UserValues.normalize(Map.of("", 1, "a", List.of(1, "x")), mapper, 1);
 * // {"_":1,"a":"[1,\"x\"]"}
 * }</pre>
 *
 * <p>Strings, booleans and safe numbers come back as the same instance and allocate nothing.
 */
final class UserValues {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  // kinds of array elements: an index maps one array's elements as one type
  private static final int NULL = 1;
  private static final int STRING = 2;
  private static final int INTEGER = 3;
  private static final int DECIMAL = 4;
  private static final int BOOLEAN = 5;
  private static final int OTHER = 6;

  private UserValues() {}

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
      return number(number);
    }
    if (value instanceof Character || value instanceof CharSequence) {
      return value.toString();
    }
    return normalizeNode(tree(value, mapper), mapper, depth);
  }

  /** The text of {@code value} for a label: a string as it is, anything else as JSON text. */
  static String text(Object value, ObjectMapper mapper) throws Exception {
    if (value instanceof String string) {
      return string;
    }
    if (value == null) {
      return "null";
    }
    if (value instanceof Number || value instanceof Boolean || value instanceof Character) {
      return value.toString();
    }
    if (value instanceof RawValue raw) {
      return String.valueOf(raw.rawValue());
    }
    JsonNode node = value instanceof JsonNode tree ? tree : mapper.valueToTree(value);
    return node.isTextual() ? node.textValue() : mapper.writeValueAsString(node);
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

  /** A number as it is when an index can hold it, else its text. */
  static Object number(Number n) {
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
      return n;
    }
    if (n instanceof Double || n instanceof Float) {
      double d = n.doubleValue();
      return Double.isFinite(d) && Math.abs(d) <= Float.MAX_VALUE ? n : n.toString();
    }
    if (n instanceof BigInteger big) {
      return big.bitLength() < 64 ? n : big.toString();
    }
    if (n instanceof BigDecimal decimal) {
      if (decimal.scale() <= 0) {
        try {
          return decimal.longValueExact();
        } catch (ArithmeticException tooBig) {
          return decimal.toString();
        }
      }
      double d = decimal.doubleValue();
      return Double.isFinite(d) && Math.abs(d) <= Float.MAX_VALUE ? n : decimal.toString();
    }
    if (n instanceof AtomicInteger || n instanceof AtomicLong) {
      return n.longValue();
    }
    double d = n.doubleValue();
    return Double.isFinite(d) && Math.abs(d) <= Float.MAX_VALUE ? (Object) d : n.toString();
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
      Object n = number(node.numberValue());
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
      return TextNode.valueOf(text(inner, mapper));
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
