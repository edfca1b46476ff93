package com.aicompanion.monitoring.logging.internal;

import java.io.Writer;

/**
 * An unsynchronized, reusable {@link Writer} into a growing {@code char[]}, for the JSON texts a
 * thread's {@link UserValueWriter} builds: unlike {@code StringWriter} it takes no lock per write
 * and hands its characters out without copying them into a {@code String}.
 *
 * <pre>{@code
 * TextSink sink = new TextSink(256);
 * generator = mapper.createGenerator(sink);
 * ...
 * target.writeString(sink.chars(), 0, sink.length());
 * sink.reset();
 * }</pre>
 *
 * <p>One instance per thread; not for sharing. {@link #reset} keeps the array unless it grew past
 * {@code maxKept} characters.
 */
final class TextSink extends Writer {
  private final int initial;
  private final int maxKept;
  private char[] chars;
  private int length;

  TextSink(int initial, int maxKept) {
    this.initial = initial;
    this.maxKept = maxKept;
    this.chars = new char[initial];
  }

  /** The characters written since the last {@link #reset}, from 0 to {@link #length}. */
  char[] chars() {
    return chars;
  }

  int length() {
    return length;
  }

  /** The text written since the last {@link #reset}. */
  @Override
  public String toString() {
    return new String(chars, 0, length);
  }

  /** Forgets the text; a buffer that grew past {@code maxKept} is let go. */
  void reset() {
    length = 0;
    if (chars.length > maxKept) {
      chars = new char[initial];
    }
  }

  @Override
  public void write(int c) {
    ensure(1);
    chars[length++] = (char) c;
  }

  @Override
  public void write(char[] source, int offset, int count) {
    ensure(count);
    System.arraycopy(source, offset, chars, length, count);
    length += count;
  }

  @Override
  public void write(String source, int offset, int count) {
    ensure(count);
    source.getChars(offset, offset + count, chars, length);
    length += count;
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}

  private void ensure(int more) {
    int needed = length + more;
    if (needed > chars.length) {
      char[] grown = new char[Math.max(needed, chars.length * 2)];
      System.arraycopy(chars, 0, grown, 0, length);
      chars = grown;
    }
  }
}
