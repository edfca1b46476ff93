package com.aicompanion.monitoring.internal.delivery;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * An ordered store of records waiting for delivery: one thread appends, one thread reads from the
 * read cursor and acknowledges what it has finished with (delivered, or given up and counted).
 *
 * <pre>{@code
 * RecordStore store = ...;                       // memory or a disk spool
 * store.append(bytes);                           // false when the byte bound is reached
 * List<RecordStore.Record> batch = store.peek(500, 5 << 20, Duration.ofMillis(200));
 * // ... send the batch until every record is delivered or failed ...
 * store.ack(batch.get(batch.size() - 1));        // consumes everything up to that record
 * }</pre>
 *
 * <p>Records come back in append order. {@link #peek} does not consume: after a restart of a
 * durable store, every record not acknowledged is read again (at-least-once), with the same {@link
 * Record#sequence()}, so a receiver can drop duplicates by {@code storeId() + sequence}.
 */
public interface RecordStore extends AutoCloseable {

  /**
   * One stored record. {@code sequence} increases with every appended record of a store and is
   * never reused for another record; it may jump forward after an unclean stop, and records lost to
   * damage leave gaps, so consumers must not assume contiguous sequences.
   */
  record Record(long sequence, byte[] payload) {}

  /**
   * A stable identifier of this store (for a disk spool: created once with the spool directory and
   * kept across restarts), used with {@link Record#sequence()} as an idempotency key.
   */
  String storeId();

  /**
   * Appends one record; never blocks on the reader.
   *
   * @return false when the record does not fit in the store's byte bound (the caller counts it as
   *     dropped)
   * @throws IOException when a durable store cannot write (the caller counts and falls back)
   */
  boolean append(byte[] payload) throws IOException;

  /**
   * Appends {@code payloads} in order, as {@link #append} one by one would, setting {@code
   * stored[i]} to whether payload {@code i} fit. A durable store may write them with fewer system
   * calls; this default calls {@link #append} for each.
   *
   * @throws PartialAppendException when a write fails: the payloads before {@link
   *     PartialAppendException#done()} are settled as {@code stored} says, the rest were not
   *     written (the caller may append them one by one)
   */
  default void appendAll(List<byte[]> payloads, boolean[] stored) throws PartialAppendException {
    for (int i = 0; i < payloads.size(); i++) {
      try {
        stored[i] = append(payloads.get(i));
      } catch (IOException e) {
        throw new PartialAppendException(i, e);
      }
    }
  }

  /** A failed {@link #appendAll}: how many payloads were settled before the failure. */
  final class PartialAppendException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int done;

    public PartialAppendException(int done, IOException cause) {
      super(cause.getMessage(), cause);
      this.done = done;
    }

    /** The payloads {@code [0, done)} were settled; {@code [done, n)} were not written. */
    public int done() {
      return done;
    }
  }

  /**
   * Up to {@code maxRecords} records and about {@code maxBytes} payload bytes (always at least one
   * record when any is stored) from the read cursor, without consuming them; waits up to {@code
   * wait} for a first record. Repeated calls without {@link #ack} return the same records.
   *
   * @return an empty list when nothing arrived within {@code wait}
   */
  List<Record> peek(int maxRecords, long maxBytes, Duration wait)
      throws IOException, InterruptedException;

  /**
   * Like {@link #peek} without waiting, but from the first record whose sequence is above {@code
   * afterSequence}: the next records for a reader that already has earlier ones in flight and not
   * yet acknowledged. {@code Long.MIN_VALUE} reads from the read cursor.
   *
   * @return an empty list when no record follows {@code afterSequence}
   */
  List<Record> peekAfter(long afterSequence, int maxRecords, long maxBytes) throws IOException;

  /**
   * Consumes every record up to and including {@code last}, which came from {@link #peek} or {@link
   * #peekAfter}. Acknowledging a record at or before one already acknowledged does nothing.
   */
  void ack(Record last) throws IOException;

  /** Payload bytes stored and not yet acknowledged. */
  long bytes();

  /** Records stored and not yet acknowledged. */
  long records();

  /** Makes appended records durable (a no-op for memory). */
  void sync() throws IOException;

  @Override
  void close() throws IOException;
}
