package com.aicompanion.monitoring.internal.delivery;

import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The byte layout of a spool's segment files; all numbers big-endian.
 *
 * <pre>
 * segment header (44 bytes):
 *   magic "CMSG" | version 1 | store id (16) | first sequence (8) | previous next (8) | CRC32C (4)
 * record frame (16 bytes + payload):
 *   payload length (4) | CRC32C of length, sequence and payload (4) | sequence (8) | payload
 * </pre>
 *
 * <p>"Previous next" is the first sequence that the segment before this one should not contain:
 * equal to the first sequence after a normal roll, lower after a jump over sequences that an
 * unclean stop may have handed out (those are not lost records), higher never.
 */
final class SpoolFormat {
  static final int MAGIC = 0x434D5347; // "CMSG"
  static final int VERSION = 1;
  static final int SEGMENT_HEADER = 44;
  static final int FRAME_HEADER = 16;
  static final String SEGMENT_SUFFIX = ".seg";
  private static final int NAME_DIGITS = 20;

  private SpoolFormat() {}

  /** A segment header's content. */
  record Header(UUID storeId, long firstSeq, long previousNext) {}

  /** {@code 00000000000000000001.seg}: names sort as their first sequences. */
  static String segmentName(long firstSeq) {
    String digits = Long.toString(firstSeq);
    return "0".repeat(NAME_DIGITS - digits.length()) + digits + SEGMENT_SUFFIX;
  }

  /** The first sequence a segment file name stands for, or -1 when it is not a segment name. */
  static long parseSegmentName(String name) {
    if (name.length() != NAME_DIGITS + SEGMENT_SUFFIX.length() || !name.endsWith(SEGMENT_SUFFIX)) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < NAME_DIGITS; i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9' || value > (Long.MAX_VALUE - (c - '0')) / 10) {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  static ByteBuffer encodeHeader(Header header) {
    ByteBuffer b = ByteBuffer.allocate(SEGMENT_HEADER);
    b.putInt(MAGIC)
        .putInt(VERSION)
        .putLong(header.storeId().getMostSignificantBits())
        .putLong(header.storeId().getLeastSignificantBits())
        .putLong(header.firstSeq())
        .putLong(header.previousNext());
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, SEGMENT_HEADER - 4);
    b.putInt((int) crc.getValue());
    return b.flip();
  }

  /** The header in {@code b} (44 bytes from its position), or null when it is not a valid one. */
  static Header decodeHeader(ByteBuffer b) {
    if (b.remaining() < SEGMENT_HEADER) {
      return null;
    }
    byte[] bytes = new byte[SEGMENT_HEADER];
    b.get(bytes);
    ByteBuffer h = ByteBuffer.wrap(bytes);
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, SEGMENT_HEADER - 4);
    if (h.getInt(SEGMENT_HEADER - 4) != (int) crc.getValue()
        || h.getInt() != MAGIC
        || h.getInt() != VERSION) {
      return null;
    }
    UUID id = new UUID(h.getLong(), h.getLong());
    long first = h.getLong();
    long previousNext = h.getLong();
    if (first < 1 || previousNext < 1 || previousNext > first) {
      return null;
    }
    return new Header(id, first, previousNext);
  }

  /** Writes a frame's 16-byte header for {@code payload} into {@code into} (cleared first). */
  static void encodeFrameHeader(ByteBuffer into, long seq, byte[] payload, CRC32C crc) {
    into.clear();
    into.putInt(payload.length).putInt(0).putLong(seq).flip();
    crc.reset();
    crc.update(into.array(), 0, 4);
    crc.update(into.array(), 8, 8);
    crc.update(payload, 0, payload.length);
    into.putInt(4, (int) crc.getValue());
  }

  static int getInt(byte[] a, int p) {
    return ((a[p] & 0xff) << 24)
        | ((a[p + 1] & 0xff) << 16)
        | ((a[p + 2] & 0xff) << 8)
        | (a[p + 3] & 0xff);
  }

  static long getLong(byte[] a, int p) {
    return ((long) getInt(a, p) << 32) | (getInt(a, p + 4) & 0xffffffffL);
  }
}
