package com.aicompanion.monitoring.logging.internal;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.TreeNode;
import com.fasterxml.jackson.core.Version;
import com.fasterxml.jackson.core.json.JsonWriteContext;
import com.fasterxml.jackson.databind.util.RawValue;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import net.logstash.logback.argument.StructuredArgument;

/**
 * The generator a structured argument ({@code kv}, {@code value}, {@code entries}, {@code fields},
 * {@code raw}, {@code array}, your own) writes its fields to, so that {@link UserFieldWriter}
 * decides each field's name and value instead of the argument.
 *
 * <pre>{@code
 * capture.write(kv("error", "x"), generator);   // ends up as labels.error
 * }</pre>
 *
 * <p>The common shape, a field name followed by one value ({@code writeObject}, a string, a
 * number...), is handed over as it is written, allocating nothing. Anything else (an argument that
 * writes objects or arrays itself) is recorded in a {@link TokenBuffer} from that point on and its
 * top-level fields handed over when the argument is done. An argument that throws (a getter, a
 * {@code toString()}, a supplier) leaves its fields written so far, and the field it was writing
 * becomes {@link EncodingErrors#marker}; it never reaches the real generator half-written.
 */
final class ArgumentCapture extends JsonGenerator {
  private final UserFieldWriter fields;
  private final JsonWriteContext root = JsonWriteContext.createRootContext(null);
  private JsonGenerator real;
  private ObjectCodec codec;
  private String pending;
  private String firstCaptured;
  private TokenBuffer buffer;
  private boolean outputFailed;

  ArgumentCapture(UserFieldWriter fields) {
    this.fields = fields;
  }

  /** Writes {@code argument}'s fields through the user field writer. */
  void write(StructuredArgument argument, JsonGenerator generator) throws IOException {
    real = generator;
    codec = generator.getCodec();
    pending = null;
    firstCaptured = null;
    buffer = null;
    outputFailed = false;
    try {
      Throwable failure = null;
      try {
        argument.writeTo(this);
      } catch (OutputFailed failed) {
        throw EncodingErrors.wrap(failed.getCause());
      } catch (Throwable t) {
        failure = t;
      }
      if (outputFailed) {
        // the argument caught our own failure and went on: the generator is not usable
        throw new IOException("the generator failed while a structured argument was written");
      }
      if (buffer == null) {
        if (failure != null) {
          fields.unavailable(pending, failure);
        }
      } else if (failure != null) {
        fields.unavailable(firstCaptured, failure);
      } else {
        replay();
      }
    } finally {
      real = null;
      codec = null;
      pending = null;
      firstCaptured = null;
      buffer = null;
    }
  }

  private void replay() throws IOException {
    List<String> names = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    Throwable failure = null;
    try {
      buffer.writeEndObject();
      JsonParser parser = buffer.asParser(codec);
      parser.nextToken();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken token = parser.nextToken();
        Object value =
            switch (token) {
              case START_OBJECT, START_ARRAY -> parser.readValueAsTree();
              case VALUE_EMBEDDED_OBJECT -> parser.getEmbeddedObject();
              case VALUE_STRING -> parser.getText();
              case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getNumberValue();
              case VALUE_TRUE -> Boolean.TRUE;
              case VALUE_FALSE -> Boolean.FALSE;
              default -> null;
            };
        names.add(name);
        values.add(value);
      }
    } catch (Throwable malformed) {
      // what the argument wrote does not read back as fields: keep what did, mark the rest
      failure = malformed;
    }
    for (int i = 0; i < names.size(); i++) {
      fields.field(names.get(i), values.get(i));
    }
    if (failure != null) {
      fields.unavailable(names.isEmpty() ? firstCaptured : null, failure);
    }
  }

  /** The pending field's value, handed over as written. */
  private void direct(Object value) {
    String name = pending;
    pending = null;
    try {
      fields.field(name, value);
    } catch (Throwable t) {
      outputFailed = true;
      throw new OutputFailed(t);
    }
  }

  private boolean directValue() {
    return buffer == null && pending != null;
  }

  private TokenBuffer capture() throws IOException {
    if (buffer == null) {
      buffer = new TokenBuffer(codec, false);
      buffer.writeStartObject();
      if (pending != null) {
        firstCaptured = pending;
        buffer.writeFieldName(pending);
        pending = null;
      }
    }
    return buffer;
  }

  private boolean atFieldValue(TokenBuffer b) {
    JsonStreamContext context = b.getOutputContext();
    return context.inObject() && context.getParent() != null && context.getParent().inRoot();
  }

  @Override
  public void writeFieldName(String name) throws IOException {
    if (buffer == null && pending == null) {
      pending = name;
      return;
    }
    TokenBuffer b = capture();
    if (firstCaptured == null && atFieldValue(b)) {
      firstCaptured = name;
    }
    b.writeFieldName(name);
  }

  @Override
  public void writeFieldName(SerializableString name) throws IOException {
    writeFieldName(name.getValue());
  }

  @Override
  public void writeObject(Object value) throws IOException {
    if (directValue()) {
      direct(value);
      return;
    }
    TokenBuffer b = capture();
    if (value != null && atFieldValue(b)) {
      b.writeEmbeddedObject(value);
    } else {
      b.writeObject(value);
    }
  }

  @Override
  public void writeTree(TreeNode tree) throws IOException {
    if (directValue()) {
      direct(tree);
    } else {
      capture().writeTree(tree);
    }
  }

  @Override
  public void writeString(String text) throws IOException {
    if (directValue()) {
      direct(text);
    } else {
      capture().writeString(text);
    }
  }

  @Override
  public void writeRawValue(String text) throws IOException {
    if (directValue()) {
      direct(new RawValue(text));
    } else {
      capture().writeRawValue(text);
    }
  }

  @Override
  public void writeNumber(int v) throws IOException {
    if (directValue()) {
      direct(v);
    } else {
      capture().writeNumber(v);
    }
  }

  @Override
  public void writeNumber(long v) throws IOException {
    if (directValue()) {
      direct(v);
    } else {
      capture().writeNumber(v);
    }
  }

  @Override
  public void writeNumber(double v) throws IOException {
    if (directValue()) {
      direct(v);
    } else {
      capture().writeNumber(v);
    }
  }

  @Override
  public void writeNumber(float v) throws IOException {
    if (directValue()) {
      direct(v);
    } else {
      capture().writeNumber(v);
    }
  }

  @Override
  public void writeNumber(BigInteger v) throws IOException {
    if (directValue()) {
      direct(v);
    } else {
      capture().writeNumber(v);
    }
  }

  @Override
  public void writeNumber(BigDecimal v) throws IOException {
    if (directValue()) {
      direct(v);
    } else {
      capture().writeNumber(v);
    }
  }

  @Override
  public void writeBoolean(boolean state) throws IOException {
    if (directValue()) {
      direct(state);
    } else {
      capture().writeBoolean(state);
    }
  }

  @Override
  public void writeNull() throws IOException {
    if (directValue()) {
      direct(null);
    } else {
      capture().writeNull();
    }
  }

  // everything else is recorded

  @Override
  public void writeStartArray() throws IOException {
    capture().writeStartArray();
  }

  @Override
  public void writeEndArray() throws IOException {
    capture().writeEndArray();
  }

  @Override
  public void writeStartObject() throws IOException {
    capture().writeStartObject();
  }

  @Override
  public void writeEndObject() throws IOException {
    capture().writeEndObject();
  }

  @Override
  public void writeString(char[] text, int offset, int len) throws IOException {
    capture().writeString(text, offset, len);
  }

  @Override
  public void writeString(SerializableString text) throws IOException {
    capture().writeString(text);
  }

  @Override
  public void writeRawUTF8String(byte[] text, int offset, int length) throws IOException {
    capture().writeRawUTF8String(text, offset, length);
  }

  @Override
  public void writeUTF8String(byte[] text, int offset, int length) throws IOException {
    capture().writeUTF8String(text, offset, length);
  }

  @Override
  public void writeRaw(String text) throws IOException {
    capture().writeRaw(text);
  }

  @Override
  public void writeRaw(String text, int offset, int len) throws IOException {
    capture().writeRaw(text, offset, len);
  }

  @Override
  public void writeRaw(char[] text, int offset, int len) throws IOException {
    capture().writeRaw(text, offset, len);
  }

  @Override
  public void writeRaw(char c) throws IOException {
    capture().writeRaw(c);
  }

  @Override
  public void writeRawValue(String text, int offset, int len) throws IOException {
    writeRawValue(text.substring(offset, offset + len));
  }

  @Override
  public void writeRawValue(char[] text, int offset, int len) throws IOException {
    writeRawValue(new String(text, offset, len));
  }

  @Override
  public void writeBinary(Base64Variant variant, byte[] data, int offset, int len)
      throws IOException {
    capture().writeBinary(variant, data, offset, len);
  }

  @Override
  public int writeBinary(Base64Variant variant, InputStream data, int dataLength)
      throws IOException {
    return capture().writeBinary(variant, data, dataLength);
  }

  @Override
  public void writeNumber(String encodedValue) throws IOException {
    capture().writeNumber(encodedValue);
  }

  // configuration: the real generator's codec and features, nothing to flush or close

  @Override
  public JsonGenerator setCodec(ObjectCodec oc) {
    codec = oc;
    return this;
  }

  @Override
  public ObjectCodec getCodec() {
    return codec;
  }

  @Override
  public Version version() {
    return Version.unknownVersion();
  }

  @Override
  public JsonStreamContext getOutputContext() {
    return buffer != null ? buffer.getOutputContext() : root;
  }

  @Override
  public JsonGenerator enable(Feature f) {
    return this;
  }

  @Override
  public JsonGenerator disable(Feature f) {
    return this;
  }

  @Override
  public boolean isEnabled(Feature f) {
    return real != null && real.isEnabled(f);
  }

  @Override
  public int getFeatureMask() {
    return real != null ? real.getFeatureMask() : 0;
  }

  @Override
  @Deprecated
  public JsonGenerator setFeatureMask(int values) {
    return this;
  }

  @Override
  public JsonGenerator useDefaultPrettyPrinter() {
    return this;
  }

  @Override
  public void flush() {}

  @Override
  public boolean isClosed() {
    return false;
  }

  @Override
  public void close() {}

  /** The real generator failed under {@link #direct}: the event cannot be completed. */
  private static final class OutputFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OutputFailed(Throwable cause) {
      super(cause);
    }
  }
}
