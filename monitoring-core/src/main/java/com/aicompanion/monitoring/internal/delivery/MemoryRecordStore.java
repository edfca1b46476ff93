package com.aicompanion.monitoring.internal.delivery;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;

/**
 * A {@link RecordStore} in memory, bounded by the payload bytes it holds (and optionally by a
 * number of records): the memory stage of a delivery, or the whole store when nothing is spooled to
 * disk.
 *
 * <pre>{@code
 * MemoryRecordStore store = new MemoryRecordStore(64 << 20, Integer.MAX_VALUE);
 * if (!store.append(line)) { dropped++; }          // full: never waits
 * List<RecordStore.Record> batch = store.peek(500, 5 << 20, Duration.ZERO);
 * store.ack(batch.get(batch.size() - 1));
 * }</pre>
 *
 * <p>Many threads may append; one thread reads and acknowledges. A full store refuses at once: the
 * check is a volatile read before any lock, so an application flooding a full store pays no lock.
 * The bound counts payload bytes only; each record costs about 40 bytes more of heap. Its {@link
 * #storeId()} is random per instance: nothing survives the process, so sequence numbers only need
 * to be unique within it.
 */
public final class MemoryRecordStore implements RecordStore {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final long maxBytes;
  private final int maxRecords;
  private final String storeId;
  private final ArrayDeque<Record> records = new ArrayDeque<>();
  private volatile long bytes;
  private volatile int count;
  private long nextSequence;
  private boolean closed;

  /**
   * @param maxBytes the most payload bytes held; an append beyond it is refused (at least 1)
   * @param maxRecords the most records held (at least 1; {@link Integer#MAX_VALUE} for no bound)
   */
  public MemoryRecordStore(long maxBytes, int maxRecords) {
    if (maxBytes < 1 || maxRecords < 1) {
      throw new IllegalArgumentException(
          "a memory store needs maxBytes >= 1 and maxRecords >= 1, got "
              + maxBytes
              + " and "
              + maxRecords);
    }
    this.maxBytes = maxBytes;
    this.maxRecords = maxRecords;
    byte[] id = new byte[9];
    RANDOM.nextBytes(id);
    this.storeId = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
  }

  /** Twelve URL-safe characters, random per instance. */
  @Override
  public String storeId() {
    return storeId;
  }

  /** Whether a payload of {@code size} bytes would be refused now (a hint, no lock taken). */
  public boolean isFullFor(int size) {
    return bytes + size > maxBytes || count >= maxRecords;
  }

  @Override
  public boolean append(byte[] payload) {
    int size = payload.length;
    if (isFullFor(size)) {
      return false;
    }
    synchronized (this) {
      if (closed || bytes + size > maxBytes || count >= maxRecords) {
        return false;
      }
      records.addLast(new Record(nextSequence++, payload));
      bytes += size;
      count++;
      if (count == 1) {
        notifyAll();
      }
      return true;
    }
  }

  @Override
  public synchronized List<Record> peek(int maxRecords, long maxBytes, Duration wait)
      throws InterruptedException {
    if (records.isEmpty() && !closed && !wait.isZero() && !wait.isNegative()) {
      long end = System.nanoTime() + wait.toNanos();
      long left;
      while (records.isEmpty() && !closed && (left = end - System.nanoTime()) > 0) {
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }
    if (records.isEmpty()) {
      return List.of();
    }
    List<Record> batch = new ArrayList<>(Math.min(maxRecords, records.size()));
    long taken = 0;
    Iterator<Record> it = records.iterator();
    while (it.hasNext() && batch.size() < maxRecords) {
      Record record = it.next();
      if (!batch.isEmpty() && taken + record.payload().length > maxBytes) {
        break;
      }
      batch.add(record);
      taken += record.payload().length;
    }
    return batch;
  }

  @Override
  public synchronized List<Record> peekAfter(long afterSequence, int maxRecords, long maxBytes) {
    List<Record> batch = new ArrayList<>();
    long taken = 0;
    Iterator<Record> it = records.iterator();
    while (it.hasNext() && batch.size() < maxRecords) {
      Record record = it.next();
      if (record.sequence() <= afterSequence) {
        continue; // in flight: a handful of groups, so skipping them is cheap
      }
      if (!batch.isEmpty() && taken + record.payload().length > maxBytes) {
        break;
      }
      batch.add(record);
      taken += record.payload().length;
    }
    return batch;
  }

  @Override
  public synchronized void ack(Record last) {
    while (!records.isEmpty() && records.peekFirst().sequence() <= last.sequence()) {
      Record gone = records.pollFirst();
      bytes -= gone.payload().length;
      count--;
    }
  }

  @Override
  public long bytes() {
    return bytes;
  }

  @Override
  public long records() {
    return count;
  }

  /** Nothing to make durable. */
  @Override
  public void sync() {}

  /**
   * Refuses further appends and wakes a waiting reader; what is held stays readable, so that the
   * owner can still count it.
   */
  @Override
  public synchronized void close() {
    closed = true;
    notifyAll();
  }

  /** Whether {@link #close()} was called. */
  public synchronized boolean isClosed() {
    return closed;
  }

  /**
   * Forgets every record held and returns how many there were (for counting them as dropped).
   * Appends are refused from then on.
   */
  public synchronized long clear() {
    long n = count;
    records.clear();
    bytes = 0;
    count = 0;
    closed = true;
    return n;
  }
}
