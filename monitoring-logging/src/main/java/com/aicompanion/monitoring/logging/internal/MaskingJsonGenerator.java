package com.aicompanion.monitoring.logging.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

/**
 * A thin {@link JsonGeneratorDelegate} that masks every string value written through it with the
 * masking policy (the whole value when its field name says it is secret), including the strings of
 * objects serialized by Jackson (structured arguments, key/value pairs): {@code writeObject} goes
 * through the codec with this generator, not the wrapped one. No per-value allocation when nothing
 * is masked.
 *
 * <pre>{@code
 * encoder.setJsonGeneratorDecorator(generator -> new MaskingJsonGenerator(generator, masker));
 * }</pre>
 *
 * <p>Providers that mask what they write themselves (see {@link EcsFieldsJsonProvider}) write
 * through {@link #unmasked(JsonGenerator)} to skip the second pass. Pre-serialized strings ({@code
 * SerializableString}) and numbers are written as they are.
 */
final class MaskingJsonGenerator extends JsonGeneratorDelegate {
  private final SecretMasker masker;

  MaskingJsonGenerator(JsonGenerator delegate, SecretMasker masker) {
    // false: writeObject/writeTree serialize through this generator, so their strings are masked
    super(delegate, false);
    this.masker = masker;
  }

  /** The generator under the masking one, or {@code generator} itself when not masked. */
  static JsonGenerator unmasked(JsonGenerator generator) {
    return generator instanceof MaskingJsonGenerator masking ? masking.delegate : generator;
  }

  private String masked(String text) {
    if (text == null) {
      return null;
    }
    if (masker.secretField(getOutputContext().getCurrentName())) {
      return SecretMasker.MASK;
    }
    return masker.mask(text);
  }

  @Override
  public void writeString(String text) throws IOException {
    delegate.writeString(masked(text));
  }

  @Override
  public void writeString(char[] text, int offset, int len) throws IOException {
    String value = new String(text, offset, len);
    String masked = masked(value);
    if (masked == value) {
      delegate.writeString(text, offset, len);
    } else {
      delegate.writeString(masked);
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
    // already escaped by the caller: written as it is unless a secret is found, then the masked
    // text (of the escaped form) is written through the escaping writeString
    String value = new String(text, offset, length, StandardCharsets.UTF_8);
    String masked = masked(value);
    if (masked == value) {
      delegate.writeRawUTF8String(text, offset, length);
    } else {
      delegate.writeString(masked);
    }
  }

  @Override
  public void writeArray(String[] array, int offset, int length) throws IOException {
    writeStartArray(array, length);
    for (int i = offset; i < offset + length; i++) {
      writeString(array[i]);
    }
    writeEndArray();
  }
}
