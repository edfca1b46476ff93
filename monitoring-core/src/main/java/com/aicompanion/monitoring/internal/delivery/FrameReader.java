package com.aicompanion.monitoring.internal.delivery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Reads record frames from segment files through a window of a few hundred KiB, so that a run of
 * small records costs one read call per window, not two per record. Reads never go past the limit
 * the caller gives (the published end of a segment being appended to), so the window never holds
 * bytes that are still being written.
 *
 * <p>Not thread-safe: one per reading thread.
 */
final class FrameReader {
  /** What {@link #read} found at an offset. */
  enum Kind {
    /** A complete frame whose checksum matches; {@link #seq()} and {@link #payload()} are set. */
    VALID,
    /** A complete frame (its length fits) whose checksum does not match; {@link #next()} is set. */
    BAD,
    /** No complete frame: fewer than 16 bytes left, or a length past the limit or the maximum. */
    END
  }

  private final int windowBytes;
  private final long maxPayload;
  private final CRC32C crc = new CRC32C();
  private ByteBuffer window;
  private FileChannel channel;
  private long windowStart = -1;
  private int windowLength;

  private long seq;
  private int payloadOffset;
  private int payloadLength;
  private long next;

  /**
   * @param maxPayload the longest payload taken as a frame; a longer length is damage (a store
   *     never holds a record larger than its bound), so garbage cannot make the window huge
   */
  FrameReader(int windowBytes, long maxPayload) {
    this.windowBytes = windowBytes;
    this.maxPayload = maxPayload;
    this.window = ByteBuffer.allocate(windowBytes);
  }

  /** Reads the frame at {@code offset} of {@code file}, looking at no byte at or past limit. */
  Kind read(FileChannel file, long offset, long limit) throws IOException {
    if (limit - offset < SpoolFormat.FRAME_HEADER
        || !ensure(file, offset, SpoolFormat.FRAME_HEADER, limit)) {
      return Kind.END;
    }
    byte[] a = window.array();
    int p = (int) (offset - windowStart);
    int length = SpoolFormat.getInt(a, p);
    if (length < 0 || length > maxPayload || length > limit - offset - SpoolFormat.FRAME_HEADER) {
      return Kind.END;
    }
    int total = SpoolFormat.FRAME_HEADER + length;
    if (!ensure(file, offset, total, limit)) {
      return Kind.END;
    }
    a = window.array();
    p = (int) (offset - windowStart);
    crc.reset();
    crc.update(a, p, 4);
    crc.update(a, p + 8, 8 + length);
    next = offset + total;
    seq = SpoolFormat.getLong(a, p + 8);
    payloadOffset = p + SpoolFormat.FRAME_HEADER;
    payloadLength = length;
    return SpoolFormat.getInt(a, p + 4) == (int) crc.getValue() ? Kind.VALID : Kind.BAD;
  }

  long seq() {
    return seq;
  }

  int payloadLength() {
    return payloadLength;
  }

  /** The offset after the frame just read. */
  long next() {
    return next;
  }

  /** A copy of the payload of the VALID frame just read. */
  byte[] payload() {
    return Arrays.copyOfRange(window.array(), payloadOffset, payloadOffset + payloadLength);
  }

  /** Drops the window (the file it came from is closed or changed). */
  void forget() {
    channel = null;
    windowStart = -1;
    windowLength = 0;
  }

  private boolean ensure(FileChannel file, long offset, int bytes, long limit) throws IOException {
    if (file == channel && offset >= windowStart && offset + bytes <= windowStart + windowLength) {
      return true;
    }
    int want = (int) Math.min(Math.max(windowBytes, bytes), limit - offset);
    if (want > window.capacity() || (window.capacity() > windowBytes && want <= windowBytes)) {
      // grows for a large record; shrinks back once the large record is read
      window = ByteBuffer.allocate(Math.max(want, windowBytes));
    }
    window.clear().limit(want);
    long position = offset;
    while (window.hasRemaining()) {
      int read = file.read(window, position);
      if (read < 0) {
        break;
      }
      position += read;
    }
    channel = file;
    windowStart = offset;
    windowLength = window.position();
    return windowLength >= bytes;
  }
}
