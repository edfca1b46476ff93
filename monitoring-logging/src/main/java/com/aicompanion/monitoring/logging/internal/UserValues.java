package com.aicompanion.monitoring.logging.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.RawValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rules that make a user value (MDC, key/value pair, structured argument) one an Elasticsearch
 * or OpenSearch index takes within the document: strings, booleans and nulls as they are; numbers
 * the dynamic mapping can hold (integers within {@code long}, finite decimals within {@code float})
 * as numbers, other numbers as their text; objects and collections with keys that are usable paths
 * that do not overlap within one object (else renamed as {@link EcsSchema#labelKey} with a {@code
 * _2}, {@code _3}... suffix), no deeper than {@link EcsSchema#MAX_PATH_SEGMENTS}, and arrays that
 * hold one kind of scalar (an array of mixed kinds, objects or arrays is written as its JSON text).
 * Raw JSON that does not parse is kept as text. Scalars are decided here; structured values are
 * streamed by {@link UserValueWriter} with the same rules.
 *
 * <pre>{@code
 * UserValues.scalar(Double.NaN);        // "NaN"
 * UserValues.scalar(BigInteger.TEN);    // 10, as it is
 * // structured: {"":1,"a":[1,"x"]} is written as {"_":1,"a":"[1,\"x\"]"}
 * }</pre>
 *
 * <p>Strings, booleans and safe numbers come back as the same instance and allocate nothing.
 */
final class UserValues {
  private UserValues() {}

  /**
   * A scalar {@code value} (null, String, Boolean, Number, Character or CharSequence) as null, a
   * String, a Boolean or a safe Number.
   */
  static Object scalar(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Number number) {
      return number(number);
    }
    return value.toString();
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
}
