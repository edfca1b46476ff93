package com.aicompanion.monitoring.internal.delivery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The spool's {@code cursor} file: the acknowledged sequence and the sequence reservation, in two
 * checksummed slots written in turn (at offsets 0 and 512, different disk sectors), so that a torn
 * write leaves the other slot intact. The valid slot with the higher write counter wins.
 *
 * <pre>
 * slot (36 bytes): magic "CMCR" | counter (8) | acknowledged (8) | reserved (8) | flags (4) | CRC32C (4)
 * </pre>
 *
 * <p>Sequences up to {@code reserved} may have been handed out; the store reserves a block ahead
 * (written and forced before the first sequence of the block is used), so that after any stop it
 * continues above every sequence a receiver may already hold. A clean close writes {@code reserved}
 * = the last appended sequence with the {@code clean} flag, so that the next start continues
 * without a gap and knows exactly which sequences to expect. Thread-safe.
 */
final class SpoolCursor implements AutoCloseable {
  static final String FILE = "cursor";
  private static final int MAGIC = 0x434D4352; // "CMCR"
  private static final int SLOT_BYTES = 36;
  private static final int SLOT_DISTANCE = 512;
  private static final int CLEAN = 1;

  /** What the file held at open. */
  record State(long acked, long reserved, boolean clean) {}

  private final FileChannel file;
  private final ByteBuffer slot = ByteBuffer.allocate(SLOT_BYTES);
  private final CRC32C crc = new CRC32C();
  private long counter;
  private long acked;
  private long reserved;

  private SpoolCursor(FileChannel file, long counter) {
    this.file = file;
    this.counter = counter;
  }

  /** Opens (creating) the cursor file; {@code found[0]} receives its state, or null if none. */
  static SpoolCursor open(Path dir, State[] found) throws IOException {
    FileChannel file =
        FileChannel.open(
            dir.resolve(FILE),
            StandardOpenOption.CREATE,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE);
    long bestCounter = -1;
    State best = null;
    try {
      for (int i = 0; i < 2; i++) {
        ByteBuffer b = ByteBuffer.allocate(SLOT_BYTES);
        long position = (long) i * SLOT_DISTANCE;
        while (b.hasRemaining() && file.read(b, position + b.position()) > 0) {
          // fill the slot
        }
        if (b.hasRemaining()) {
          continue;
        }
        CRC32C check = new CRC32C();
        check.update(b.array(), 0, SLOT_BYTES - 4);
        b.flip();
        if (b.getInt(SLOT_BYTES - 4) != (int) check.getValue() || b.getInt() != MAGIC) {
          continue;
        }
        long slotCounter = b.getLong();
        long slotAcked = b.getLong();
        long slotReserved = b.getLong();
        int flags = b.getInt();
        if (slotCounter > bestCounter && slotAcked >= 0 && slotReserved >= 0) {
          bestCounter = slotCounter;
          best = new State(slotAcked, slotReserved, (flags & CLEAN) != 0);
        }
      }
    } catch (IOException e) {
      best = null; // an unreadable cursor is a missing cursor
    }
    found[0] = best;
    return new SpoolCursor(file, Math.max(bestCounter, 0));
  }

  /** Records the acknowledged sequence (not forced: {@link #force} or the next reserve does). */
  synchronized void ack(long ackedSeq) throws IOException {
    acked = ackedSeq;
    write(false);
  }

  /** Records and forces a reservation: sequences up to {@code reservedSeq} may be handed out. */
  synchronized void reserve(long reservedSeq) throws IOException {
    reserved = reservedSeq;
    write(false);
    file.force(false);
  }

  /** Sets both values (at open) and forces them. */
  synchronized void reset(long ackedSeq, long reservedSeq) throws IOException {
    acked = ackedSeq;
    reserved = reservedSeq;
    write(false);
    file.force(false);
  }

  /** The clean-close record: {@code lastSeq} is the last sequence handed out. Forced. */
  synchronized void closeClean(long lastSeq) throws IOException {
    reserved = lastSeq;
    write(true);
    file.force(false);
  }

  synchronized void force() throws IOException {
    file.force(false);
  }

  @Override
  public void close() throws IOException {
    file.close();
  }

  private void write(boolean clean) throws IOException {
    counter++;
    slot.clear();
    slot.putInt(MAGIC).putLong(counter).putLong(acked).putLong(reserved).putInt(clean ? CLEAN : 0);
    crc.reset();
    crc.update(slot.array(), 0, SLOT_BYTES - 4);
    slot.putInt((int) crc.getValue()).flip();
    long position = (counter & 1) * SLOT_DISTANCE;
    while (slot.hasRemaining()) {
      position += file.write(slot, position);
    }
  }
}
