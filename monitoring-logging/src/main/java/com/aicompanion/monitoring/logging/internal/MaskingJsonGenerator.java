package com.aicompanion.monitoring.logging.internal;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * A thin {@link JsonGeneratorDelegate} that applies the masking policy to everything written
 * through it, including what Jackson serializes for structured arguments and key/value pairs
 * ({@code writeObject} goes through the codec with this generator, not the wrapped one):
 *
 * <ul>
 *   <li>a value whose field name says it is secret is replaced by {@code "****"} whole, whatever
 *       its type: string, number, boolean, binary, raw JSON, array or object (the structure is
 *       skipped, so nothing inside it is written);
 *   <li>other strings, and raw JSON values, are masked as text.
 * </ul>
 *
 * <pre>{@code
 * encoder.setJsonGeneratorDecorator(generator -> new MaskingJsonGenerator(generator, masker));
 * }</pre>
 *
 * <p>Providers that mask what they write themselves (see {@link EcsFieldsJsonProvider}) write
 * through {@link #unmasked(JsonGenerator)} to skip the second pass. Pre-serialized strings ({@code
 * SerializableString}) are field names and values of the schema and are written as they are. No
 * allocation when nothing is masked.
 */
final class MaskingJsonGenerator extends JsonGeneratorDelegate {
  private final SecretMasker masker;

  /** When set, decimals are written as a tree read by this mapper holds them. */
  private final @Nullable ObjectMapper treeDecimals;

  /** Above 0 while the structure of a secret field is being skipped: its depth. */
  private int skipping;

  MaskingJsonGenerator(JsonGenerator delegate, SecretMasker masker) {
    // false: writeObject/writeTree serialize through this generator, so their values are masked
    this(delegate, masker, null);
  }

  /**
   * A masking generator that also writes each {@code BigDecimal} as a tree read by {@code
   * treeDecimals} holds it ({@code 12.50} as {@code 12.5} by default, {@link
   * UserValueWriter#treeDecimal}), the rule of label texts, without a second delegate layer.
   */
  MaskingJsonGenerator(
      JsonGenerator delegate, SecretMasker masker, @Nullable ObjectMapper treeDecimals) {
    super(delegate, false);
    this.masker = masker;
    this.treeDecimals = treeDecimals;
  }

  /** The generator under the masking one, or {@code generator} itself when not masked. */
  static JsonGenerator unmasked(JsonGenerator generator) {
    return generator instanceof MaskingJsonGenerator masking ? masking.delegate : generator;
  }

  /** Whether the value about to be written belongs to a field whose name says it is secret. */
  private boolean secretHere() {
    return masker.secretField(delegate.getOutputContext().getCurrentName());
  }

  /**
   * Writes the mask in place of a whole value and returns true when the value is secret; true too
   * while a secret structure is being skipped.
   */
  private boolean maskedWhole() throws IOException {
    if (skipping > 0) {
      return true;
    }
    if (secretHere()) {
      delegate.writeString(SecretMasker.MASK);
      return true;
    }
    return false;
  }

  // ---- structures

  private boolean startStructure() throws IOException {
    if (skipping > 0) {
      skipping++;
      return true;
    }
    if (secretHere()) {
      delegate.writeString(SecretMasker.MASK);
      skipping = 1;
      return true;
    }
    return false;
  }

  private boolean endStructure() {
    if (skipping > 0) {
      skipping--;
      return true;
    }
    return false;
  }

  @Override
  public void writeStartArray() throws IOException {
    if (!startStructure()) {
      delegate.writeStartArray();
    }
  }

  @Override
  @Deprecated
  public void writeStartArray(int size) throws IOException {
    if (!startStructure()) {
      delegate.writeStartArray(size);
    }
  }

  @Override
  public void writeStartArray(Object forValue) throws IOException {
    if (!startStructure()) {
      delegate.writeStartArray(forValue);
    }
  }

  @Override
  public void writeStartArray(Object forValue, int size) throws IOException {
    if (!startStructure()) {
      delegate.writeStartArray(forValue, size);
    }
  }

  @Override
  public void writeEndArray() throws IOException {
    if (!endStructure()) {
      delegate.writeEndArray();
    }
  }

  @Override
  public void writeStartObject() throws IOException {
    if (!startStructure()) {
      delegate.writeStartObject();
    }
  }

  @Override
  public void writeStartObject(Object forValue) throws IOException {
    if (!startStructure()) {
      delegate.writeStartObject(forValue);
    }
  }

  @Override
  public void writeStartObject(Object forValue, int size) throws IOException {
    if (!startStructure()) {
      delegate.writeStartObject(forValue, size);
    }
  }

  @Override
  public void writeEndObject() throws IOException {
    if (!endStructure()) {
      delegate.writeEndObject();
    }
  }

  @Override
  public void writeFieldName(String name) throws IOException {
    if (skipping == 0) {
      delegate.writeFieldName(name);
    }
  }

  @Override
  public void writeFieldName(SerializableString name) throws IOException {
    if (skipping == 0) {
      delegate.writeFieldName(name);
    }
  }

  @Override
  public void writeFieldId(long id) throws IOException {
    if (skipping == 0) {
      delegate.writeFieldId(id);
    }
  }

  // ---- arrays written in one call: through the element methods, so that they are checked

  @Override
  public void writeArray(int[] array, int offset, int length) throws IOException {
    writeStartArray(array, length);
    for (int i = offset; i < offset + length; i++) {
      writeNumber(array[i]);
    }
    writeEndArray();
  }

  @Override
  public void writeArray(long[] array, int offset, int length) throws IOException {
    writeStartArray(array, length);
    for (int i = offset; i < offset + length; i++) {
      writeNumber(array[i]);
    }
    writeEndArray();
  }

  @Override
  public void writeArray(double[] array, int offset, int length) throws IOException {
    writeStartArray(array, length);
    for (int i = offset; i < offset + length; i++) {
      writeNumber(array[i]);
    }
    writeEndArray();
  }

  @Override
  public void writeArray(String[] array, int offset, int length) throws IOException {
    writeStartArray(array, length);
    for (int i = offset; i < offset + length; i++) {
      writeString(array[i]);
    }
    writeEndArray();
  }

  // ---- strings

  @Override
  public void writeString(String text) throws IOException {
    if (text == null) {
      writeNull();
    } else if (!maskedWhole()) {
      delegate.writeString(masker.mask(text));
    }
  }

  @Override
  public void writeString(char[] text, int offset, int len) throws IOException {
    if (maskedWhole()) {
      return;
    }
    String value = new String(text, offset, len);
    String masked = masker.mask(value);
    if (masked == value) {
      delegate.writeString(text, offset, len);
    } else {
      delegate.writeString(masked);
    }
  }

  @Override
  public void writeString(SerializableString text) throws IOException {
    if (!maskedWhole()) {
      delegate.writeString(text);
    }
  }

  @Override
  public void writeString(Reader reader, int len) throws IOException {
    StringBuilder text = new StringBuilder(Math.max(len, 16));
    char[] buffer = new char[1024];
    int remaining = len < 0 ? Integer.MAX_VALUE : len;
    int n;
    while (remaining > 0 && (n = reader.read(buffer, 0, Math.min(buffer.length, remaining))) >= 0) {
      text.append(buffer, 0, n);
      remaining -= n;
    }
    writeString(text.toString());
  }

  @Override
  public void writeUTF8String(byte[] text, int offset, int length) throws IOException {
    writeString(new String(text, offset, length, StandardCharsets.UTF_8));
  }

  @Override
  public void writeRawUTF8String(byte[] text, int offset, int length) throws IOException {
    if (maskedWhole()) {
      return;
    }
    // already escaped by the caller: written as it is unless a secret is found, then the masked
    // text (of the escaped form) is written through the escaping writeString
    String value = new String(text, offset, length, StandardCharsets.UTF_8);
    String masked = masker.mask(value);
    if (masked == value) {
      delegate.writeRawUTF8String(text, offset, length);
    } else {
      delegate.writeString(masked);
    }
  }

  // ---- raw JSON values (e.g. StructuredArguments.raw): whole when secret, else masked as text,
  // which keeps JSON valid (a masked number or structure becomes "****")

  @Override
  public void writeRawValue(String text) throws IOException {
    if (!maskedWhole()) {
      delegate.writeRawValue(masker.mask(text));
    }
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
  public void writeRawValue(SerializableString raw) throws IOException {
    writeRawValue(raw.getValue());
  }

  // ---- numbers, booleans, binary, embedded objects

  @Override
  public void writeNumber(short v) throws IOException {
    if (!maskedWhole()) {
      delegate.writeNumber(v);
    }
  }

  @Override
  public void writeNumber(int v) throws IOException {
    if (!maskedWhole()) {
      delegate.writeNumber(v);
    }
  }

  @Override
  public void writeNumber(long v) throws IOException {
    if (!maskedWhole()) {
      delegate.writeNumber(v);
    }
  }

  @Override
  public void writeNumber(BigInteger v) throws IOException {
    if (!maskedWhole()) {
      delegate.writeNumber(v);
    }
  }

  @Override
  public void writeNumber(double v) throws IOException {
    if (!maskedWhole()) {
      delegate.writeNumber(v);
    }
  }

  @Override
  public void writeNumber(float v) throws IOException {
    if (!maskedWhole()) {
      delegate.writeNumber(v);
    }
  }

  @Override
  public void writeNumber(BigDecimal v) throws IOException {
    if (!maskedWhole()) {
      delegate.writeNumber(
          treeDecimals == null || v == null ? v : UserValueWriter.treeDecimal(v, treeDecimals));
    }
  }

  @Override
  public void writeNumber(String encodedValue) throws IOException {
    if (!maskedWhole()) {
      delegate.writeNumber(encodedValue);
    }
  }

  @Override
  public void writeNumber(char[] encodedValueBuffer, int offset, int length) throws IOException {
    if (!maskedWhole()) {
      delegate.writeNumber(encodedValueBuffer, offset, length);
    }
  }

  @Override
  public void writeBoolean(boolean state) throws IOException {
    if (!maskedWhole()) {
      delegate.writeBoolean(state);
    }
  }

  @Override
  public void writeNull() throws IOException {
    // a null hides nothing: kept, also in a secret field, except inside a skipped structure
    if (skipping == 0) {
      delegate.writeNull();
    }
  }

  @Override
  public void writeBinary(Base64Variant variant, byte[] data, int offset, int len)
      throws IOException {
    if (!maskedWhole()) {
      delegate.writeBinary(variant, data, offset, len);
    }
  }

  @Override
  public int writeBinary(Base64Variant variant, InputStream data, int dataLength)
      throws IOException {
    if (maskedWhole()) {
      return 0;
    }
    return delegate.writeBinary(variant, data, dataLength);
  }

  @Override
  public void writeEmbeddedObject(Object object) throws IOException {
    if (!maskedWhole()) {
      delegate.writeEmbeddedObject(object);
    }
  }

  @Override
  public void writeOmittedField(String fieldName) throws IOException {
    if (skipping == 0) {
      delegate.writeOmittedField(fieldName);
    }
  }
}
