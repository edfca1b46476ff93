package com.aicompanion.monitoring.logging.internal;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.util.RawValue;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.jspecify.annotations.Nullable;

/**
 * Writes a structured user value (a map, a collection, an array, a bean, a {@code JsonNode}, raw
 * JSON) to the event's generator in one streaming pass, made index-safe by the rules of {@link
 * UserValues} and masked on the way: no intermediate tree.
 *
 * <pre>{@code
 * JsonParser tokens = values.read(Map.of("path", "/chat", "attempt", 2), mapper);  // may throw
 * generator.writeFieldName("request");
 * values.write(tokens, generator, 1, "request");   // {"path":"/chat","attempt":2}
 * }</pre>
 *
 * <p>Two steps, so that a value whose serializer throws (a getter, a cycle) costs its field only:
 * {@link #read} runs Jackson's serializers (the application's code) into a {@link TokenBuffer}
 * before anything is written; {@link #write} then replays the tokens, applying the rules:
 *
 * <ul>
 *   <li>numbers an index cannot map ({@link UserValues#number}) become their text; binary becomes
 *       its base64 text; raw JSON is parsed (kept as text when it does not parse);
 *   <li>object keys that are not usable paths, go past {@link EcsSchema#MAX_PATH_SEGMENTS} or
 *       overlap a key before them in the same object are renamed ({@link EcsSchema#labelKey} plus
 *       {@code _2}, {@code _3}...); an object at that depth is written as its JSON text;
 *   <li>an array whose elements (as written) are not all of one scalar kind is written as its JSON
 *       text (only arrays are read twice, from a buffer of their own tokens);
 *   <li>masking: a value under a key whose name says secret becomes {@value SecretMasker#MASK}
 *       whole, whatever its type (a null stays null); every other string, and every JSON text
 *       above, is masked by the policy. A string whose masking throws becomes {@link
 *       EncodingErrors#marker} and is counted; the rest of the value is kept.
 * </ul>
 *
 * <p>One instance per {@link UserFieldWriter} (so per thread); the key sets of nested objects are
 * reused between events.
 */
final class UserValueWriter {
  private static final int NULL = 1;
  private static final int STRING = 2;
  private static final int INTEGER = 3;
  private static final int DECIMAL = 4;
  private static final int BOOLEAN = 5;
  private static final int OTHER = 6;

  private final SecretMasker masker;
  private final EncodingErrors errors;
  // one key set per level of nested objects: levels are bounded by MAX_PATH_SEGMENTS
  private final PathSet[] keySets = new PathSet[EcsSchema.MAX_PATH_SEGMENTS + 1];
  private static final int MAX_KEPT_TEXT = 16 * 1024;
  private final TextSink textBuffer = new TextSink(256, MAX_KEPT_TEXT);
  private JsonGenerator textGenerator;
  private MaskingJsonGenerator labelText;
  private ObjectMapper textMapper;
  private JsonGenerator out;
  private ObjectMapper mapper;
  private String field;
  private int level;

  UserValueWriter(SecretMasker masker, EncodingErrors errors) {
    this.masker = masker;
    this.errors = errors;
  }

  /**
   * The tokens of {@code value}, positioned on its first token; throws what serializing it throws.
   * Runs the value's serializers (and so the application's getters) completely before returning.
   */
  static JsonParser read(Object value, ObjectMapper mapper) throws IOException {
    if (value instanceof JsonNode node) {
      JsonParser tokens = node.traverse(mapper);
      tokens.nextToken();
      return tokens;
    }
    if (value instanceof RawValue rawJson) {
      return raw(String.valueOf(rawJson.rawValue()), mapper);
    }
    TokenBuffer buffer = new TokenBuffer(mapper, false);
    mapper.writeValue(buffer, value);
    JsonParser tokens = buffer.asParser(mapper);
    tokens.nextToken();
    return tokens;
  }

  /**
   * Writes the value {@code tokens} is positioned on to {@code generator} (whose field name is
   * already written), normalized and masked. {@code depth}: the path segments the field's name
   * uses; {@code name}: the field's name, for the count of a masking failure. Throws only what the
   * generator throws.
   */
  void write(JsonParser tokens, JsonGenerator generator, int depth, String name, ObjectMapper codec)
      throws IOException {
    out = generator;
    mapper = codec;
    field = name;
    level = 0;
    try {
      value(tokens, depth, null);
    } finally {
      out = null;
      mapper = null;
      field = null;
    }
  }

  /**
   * The value at the current token; {@code key}: the (written) name it is under, null in arrays.
   */
  private void value(JsonParser p, int depth, String key) throws IOException {
    JsonToken token = p.currentToken();
    if (token == null || token == JsonToken.VALUE_NULL) {
      out.writeNull();
      return;
    }
    if (token == JsonToken.VALUE_EMBEDDED_OBJECT && p.getEmbeddedObject() instanceof RawValue r) {
      JsonParser parsed = raw(String.valueOf(r.rawValue()), mapper);
      value(parsed, depth, key);
      return;
    }
    if (key != null && secret(key)) {
      p.skipChildren();
      out.writeString(SecretMasker.MASK);
      return;
    }
    switch (token) {
      case START_OBJECT -> object(p, depth);
      case START_ARRAY -> array(p, depth);
      case VALUE_STRING -> string(p.getText());
      case VALUE_TRUE -> out.writeBoolean(true);
      case VALUE_FALSE -> out.writeBoolean(false);
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> number(decimal(p.getNumberValue()));
      case VALUE_EMBEDDED_OBJECT -> embedded(p.getEmbeddedObject());
      default -> out.writeNull();
    }
  }

  private void object(JsonParser p, int depth) throws IOException {
    if (depth >= EcsSchema.MAX_PATH_SEGMENTS) {
      string(text(p));
      return;
    }
    PathSet keys = keySets[level];
    if (keys == null) {
      keys = new PathSet();
      keySets[level] = keys;
    }
    keys.clear();
    level++;
    try {
      out.writeStartObject();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        int segments = EcsSchema.segments(key);
        if (segments < 0 || depth + segments > EcsSchema.MAX_PATH_SEGMENTS || keys.overlaps(key)) {
          key = keys.free(EcsSchema.labelKey(key));
          segments = 1;
        }
        keys.add(key);
        p.nextToken();
        out.writeFieldName(key);
        value(p, depth + segments, key);
      }
      out.writeEndObject();
    } finally {
      level--;
      keys.clear();
    }
  }

  private void array(JsonParser p, int depth) throws IOException {
    // read twice: once to learn whether the elements are of one kind, once to write them
    TokenBuffer own = new TokenBuffer(p, null);
    own.copyCurrentStructure(p);
    JsonParser scan = own.asParser(mapper);
    scan.nextToken();
    if (!uniform(scan, depth)) {
      JsonParser again = own.asParser(mapper);
      again.nextToken();
      string(text(again));
      return;
    }
    JsonParser elements = own.asParser(mapper);
    elements.nextToken();
    out.writeStartArray();
    while (elements.nextToken() != JsonToken.END_ARRAY) {
      value(elements, depth, null);
    }
    out.writeEndArray();
  }

  /** Whether the array at the current token holds one scalar kind (nulls aside); reads it all. */
  private boolean uniform(JsonParser p, int depth) throws IOException {
    int kind = 0;
    boolean uniform = true;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (!uniform) {
        p.skipChildren();
        continue;
      }
      int k = kind(p, depth);
      if (k == OTHER || (k != NULL && kind != 0 && k != kind)) {
        uniform = false;
      } else if (k != NULL) {
        kind = k;
      }
    }
    return uniform;
  }

  /** The kind the element at the current token is written as; reads it all. */
  private int kind(JsonParser p, int depth) throws IOException {
    switch (p.currentToken()) {
      case VALUE_NULL:
        return NULL;
      case VALUE_STRING:
        return STRING;
      case VALUE_TRUE:
      case VALUE_FALSE:
        return BOOLEAN;
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return numberKind(decimal(p.getNumberValue()));
      case START_OBJECT:
        // an object past the depth limit is written as its text
        p.skipChildren();
        return depth >= EcsSchema.MAX_PATH_SEGMENTS ? STRING : OTHER;
      case START_ARRAY:
        // a nested array of one kind stays an array (so the outer one is not), else it is text
        return uniform(p, depth) ? OTHER : STRING;
      case VALUE_EMBEDDED_OBJECT:
        if (p.getEmbeddedObject() instanceof RawValue r) {
          JsonParser parsed = raw(String.valueOf(r.rawValue()), mapper);
          return parsed.currentToken() == null ? NULL : kind(parsed, depth);
        }
        return STRING;
      default:
        return NULL;
    }
  }

  /**
   * A decimal as a tree read by the mapper keeps it (by default without trailing zeros, {@link
   * JsonNodeFeature#STRIP_TRAILING_BIGDECIMAL_ZEROES}: {@code 12.50} is written {@code 12.5}), so
   * that values read as they did when they went through a tree.
   */
  private Number decimal(Number n) {
    return n instanceof BigDecimal d ? treeDecimal(d, mapper) : n;
  }

  /** {@code d} as a tree read by {@code mapper} keeps it (see {@link #decimal}). */
  static BigDecimal treeDecimal(BigDecimal d, ObjectMapper mapper) {
    if (mapper
        .getDeserializationConfig()
        .isEnabled(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)) {
      return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
    }
    return d;
  }

  private static int numberKind(Number n) {
    Object safe = UserValues.number(n);
    if (safe instanceof String) {
      return STRING;
    }
    return n instanceof Integer
            || n instanceof Long
            || n instanceof Short
            || n instanceof Byte
            || n instanceof BigInteger
        ? INTEGER
        : DECIMAL;
  }

  private void number(Number n) throws IOException {
    Object safe = UserValues.number(n);
    if (safe instanceof String text) {
      string(text);
    } else if (n instanceof Integer || n instanceof Short || n instanceof Byte) {
      out.writeNumber(n.intValue());
    } else if (n instanceof Long l) {
      out.writeNumber(l);
    } else if (n instanceof Double d) {
      out.writeNumber(d);
    } else if (n instanceof Float f) {
      out.writeNumber(f);
    } else if (n instanceof BigInteger big) {
      out.writeNumber(big);
    } else if (n instanceof BigDecimal decimal) {
      out.writeNumber(decimal);
    } else if (safe instanceof Number other) {
      out.writeNumber(other.doubleValue());
    }
  }

  private void string(String text) throws IOException {
    String masked;
    try {
      masked = masker.mask(text);
    } catch (Throwable failure) {
      masked = failed(failure);
    }
    out.writeString(masked);
  }

  /**
   * The JSON text of the structure at the current token, as the value's serializers wrote it
   * (decimals as {@link #decimal}).
   */
  private String text(JsonParser p) throws IOException {
    JsonGenerator generator = textGenerator(false);
    try {
      copy(p, generator);
      return textDone(generator);
    } catch (Throwable failure) {
      textGenerator = null;
      throw failure;
    }
  }

  /**
   * Builds the JSON text of a label's value, masked: the value as its serializers write it, each
   * string masked and secret-named values whole by {@link MaskingJsonGenerator} (so the text needs
   * no second pass; object keys are written as they are, as at the top level). Returns the text
   * when the value was written as one string (a {@code java.time} value, an enum...): that string,
   * masked. Else returns null and the text waits in this writer's buffer for {@link
   * #writeLabelText}, so that it goes to the line without becoming a {@code String} first. Throws
   * what serializing the value throws (the buffer is then empty).
   */
  @Nullable String labelJson(Object value, ObjectMapper codec) throws IOException {
    ObjectMapper before = mapper;
    mapper = codec;
    try {
      JsonGenerator generator = textGenerator(true);
      try {
        // straight through the masking generator: no token buffer, as the label is built apart
        // from the line (a serializer that throws costs the label only)
        codec.writeValue(labelText, value);
        generator.flush();
      } catch (Throwable failure) {
        textGenerator = null;
        textBuffer.reset();
        throw failure;
      }
      if (textBuffer.length() > 0 && textBuffer.chars()[0] == '"') {
        // one string, masked on the way: its value, unescaped
        String text = textBuffer.toString();
        textBuffer.reset();
        return codec.readValue(text, String.class);
      }
      return null;
    } finally {
      mapper = before;
    }
  }

  /**
   * Writes the text {@link #labelJson} left in the buffer to {@code generator} as one JSON string
   * (escaped by {@code generator} as any string value), and empties the buffer.
   */
  void writeLabelText(JsonGenerator generator) throws IOException {
    try {
      generator.writeString(textBuffer.chars(), 0, textBuffer.length());
    } finally {
      textBuffer.reset();
    }
  }

  /** Copies the value at the current token, decimals as {@link #decimal}. */
  private void copy(JsonParser p, JsonGenerator generator) throws IOException {
    int open = 0;
    do {
      JsonToken token = p.currentToken();
      if (token == JsonToken.VALUE_NUMBER_FLOAT && p.getNumberValue() instanceof BigDecimal d) {
        generator.writeNumber((BigDecimal) decimal(d));
      } else {
        generator.copyCurrentEvent(p);
      }
      if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
        open++;
      } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
        open--;
      }
    } while (open > 0 && p.nextToken() != null);
  }

  /**
   * The reused generator of JSON texts (creating one costs its buffers, kilobytes), writing to
   * {@link #textBuffer}; a new one after a failure or for another mapper.
   */
  private JsonGenerator textGenerator(boolean masked) throws IOException {
    if (textGenerator == null || textMapper != mapper) {
      textBuffer.reset();
      textGenerator = mapper.createGenerator(textBuffer);
      textGenerator.setRootValueSeparator(null);
      textMapper = mapper;
      // masking, and decimals written as the tree path read them, in one layer
      labelText = new MaskingJsonGenerator(textGenerator, masker, mapper);
    }
    return textGenerator;
  }

  private String textDone(JsonGenerator generator) throws IOException {
    generator.flush();
    String text = textBuffer.toString();
    textBuffer.reset();
    return text;
  }

  /** Binary as its base64 text, any other embedded object (a POJONode's) as its JSON text. */
  private void embedded(Object embedded) throws IOException {
    if (embedded instanceof byte[] bytes) {
      string(Base64Variants.getDefaultVariant().encode(bytes, false));
      return;
    }
    String text;
    try {
      text = UserValues.text(embedded, mapper);
    } catch (Throwable failure) {
      out.writeString(failed(failure));
      return;
    }
    string(text);
  }

  private String failed(Throwable failure) {
    try {
      errors.record(field, failure);
    } catch (Throwable ignored) {
      // counting must not cost the value
    }
    return EncodingErrors.marker(failure);
  }

  /**
   * A parser on raw JSON text, positioned on its first token; on a text token when {@code text} is
   * not JSON (it is kept as text), on no token when it is empty.
   */
  private static JsonParser raw(String text, ObjectMapper mapper) throws IOException {
    TokenBuffer buffer = new TokenBuffer(mapper, false);
    try (JsonParser parser = mapper.createParser(text)) {
      if (parser.nextToken() == null) {
        buffer.writeString(text);
      } else {
        buffer.copyCurrentStructure(parser);
      }
    } catch (JsonProcessingException notJson) {
      buffer = new TokenBuffer(mapper, false);
      buffer.writeString(text);
    }
    JsonParser tokens = buffer.asParser(mapper);
    tokens.nextToken();
    return tokens;
  }

  private boolean secret(String name) {
    try {
      return masker.secretField(name);
    } catch (Throwable failure) {
      return true;
    }
  }
}
