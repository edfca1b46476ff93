package com.aicompanion.monitoring.internal.delivery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RecordStore} on disk: a directory of append-only segment files with checksummed records,
 * an acknowledged-sequence cursor, and a byte bound.
 *
 * <pre>{@code
 * SegmentFileStore spool = SegmentFileStore.open(Path.of("/var/lib/app/spool"), 256L << 20);
 * spool.append(bytes);                               // false when the 256 MiB bound is reached
 * spool.sync();                                     // at every sync interval: the crash-loss window
 * List<RecordStore.Record> batch = spool.peek(500, 5 << 20, Duration.ofMillis(200));
 * spool.ack(batch.get(batch.size() - 1));
 * spool.close();
 * }</pre>
 *
 * <p>Files in the directory: {@code spool.lock} (held while open), {@code store-id} (created once),
 * {@code cursor} (the acknowledged sequence), {@code <first sequence>.seg} segments of about {@code
 * segmentBytes} each (format in {@code SpoolFormat}). A segment is deleted once every record in it
 * is acknowledged, so the bound is reached in whole segments: {@link #diskBytes()} is what counts.
 *
 * <p>Durability: {@link #append} returns once the record is written to the operating system, so a
 * killed process loses nothing; {@link #sync()} forces written records to the disk, so a machine
 * crash loses at most what was appended since the last sync. Records come back in order after a
 * restart with the same sequences; new records continue above every sequence handed out before
 * (after an unclean stop, above a reserved block, so sequences may jump but are never reused).
 *
 * <p>Damage is never fatal: unreadable, truncated, zero-filled or garbage segments and records are
 * skipped, counted in {@link #corruptRecords()} and {@link #skippedBytes()}, and logged once; a
 * damaged tail of the newest segment is cut so appends continue cleanly. A directory held by a live
 * store (this or another process) is refused with {@link SpoolInUseException}.
 *
 * <p>Opening reads and checks every record not yet acknowledged (a sequential read with CRC32C), so
 * a full spool of several hundred MiB takes a moment to open.
 *
 * <p>Threads: one appender and one reader at a time (each side is serialized, so more are safe but
 * wait on each other); {@link #sync()} and {@link #close()} from any thread.
 */
public final class SegmentFileStore implements RecordStore {
  /** The largest segment size chosen by {@link #open(Path, long)}: {@value} bytes (16 MiB). */
  public static final int MAX_DEFAULT_SEGMENT_BYTES = 16 << 20;

  /** The smallest byte bound accepted: {@value} bytes. */
  public static final long MIN_MAX_BYTES = 4096;

  /** Sequences reserved (and forced to the cursor file) ahead of use. */
  static final long RESERVATION = 1 << 20;

  private static final int MIN_SEGMENT_BYTES = 1024;
  private static final Logger LOG = LoggerFactory.getLogger(SegmentFileStore.class);

  private final Path dir;
  private final long maxBytes;
  private final int segmentBytes;
  private final String storeId;
  private final UUID storeUuid;
  private final SpoolDirectory directory;
  private final SpoolCursor cursor;

  private final SpoolCounters counters = new SpoolCounters();
  private final AtomicLong appendCount = new AtomicLong();
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile boolean closed;

  private final ReentrantLock signal = new ReentrantLock();
  private final Condition appended = signal.newCondition();
  private volatile boolean readerWaiting;

  // appender side, guarded by appendMonitor
  private final Object appendMonitor = new Object();
  private final CRC32C appendCrc = new CRC32C();
  private volatile Segment tail;
  private long tailSize;
  private boolean tailBroken;
  private long nextSeq;
  private long reserved;

  // reader side, guarded by readMonitor
  private final Object readMonitor = new Object();
  private final SpoolReader reader;

  // sync side
  private final Object syncMonitor = new Object();
  private final ConcurrentLinkedQueue<Segment> unsynced = new ConcurrentLinkedQueue<>();
  private volatile boolean directoryDirty;
  private long syncedAppends = -1;

  /**
   * Opens (creating) the spool in {@code dir} with segments of {@code maxBytes / 8}, at least 4 KiB
   * and at most {@value #MAX_DEFAULT_SEGMENT_BYTES} bytes.
   *
   * @param maxBytes the bound on the segment files' total size, in bytes; at least {@value
   *     #MIN_MAX_BYTES}
   * @throws IllegalArgumentException for a bound below {@value #MIN_MAX_BYTES}
   * @throws SpoolInUseException when another live store holds the directory
   * @throws IOException when the directory cannot be created, listed or written
   */
  public static SegmentFileStore open(Path dir, long maxBytes) throws IOException {
    checkMaxBytes(maxBytes);
    long segment = Math.min(MAX_DEFAULT_SEGMENT_BYTES, Math.max(4096, maxBytes / 8));
    return open(dir, maxBytes, (int) Math.min(segment, maxBytes));
  }

  /**
   * Opens (creating) the spool in {@code dir}.
   *
   * @param maxBytes the bound on the segment files' total size, in bytes; at least {@value
   *     #MIN_MAX_BYTES}
   * @param segmentBytes the size at which a new segment file is started (a record larger than that
   *     gets a segment of its own); between 1024 and {@code maxBytes}
   * @throws IllegalArgumentException for a bound or segment size out of range
   * @throws SpoolInUseException when another live store holds the directory
   * @throws IOException when the directory cannot be created, listed or written
   */
  public static SegmentFileStore open(Path dir, long maxBytes, int segmentBytes)
      throws IOException {
    Objects.requireNonNull(dir, "dir");
    checkMaxBytes(maxBytes);
    if (segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > maxBytes) {
      throw new IllegalArgumentException(
          "segmentBytes="
              + segmentBytes
              + " is out of range: a spool segment holds between "
              + MIN_SEGMENT_BYTES
              + " bytes and the bound (maxBytes="
              + maxBytes
              + "); pass a size in that range");
    }
    SpoolDirectory directory = SpoolDirectory.lock(dir);
    try {
      return new SegmentFileStore(directory, maxBytes, segmentBytes);
    } catch (IOException | RuntimeException | Error e) {
      directory.close();
      throw e;
    }
  }

  private static void checkMaxBytes(long maxBytes) {
    if (maxBytes < MIN_MAX_BYTES) {
      throw new IllegalArgumentException(
          "maxBytes="
              + maxBytes
              + " is too small: a spool needs at least "
              + MIN_MAX_BYTES
              + " bytes; pass a larger bound");
    }
  }

  private SegmentFileStore(SpoolDirectory directory, long maxBytes, int segmentBytes)
      throws IOException {
    this.directory = directory;
    this.dir = directory.path;
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
    List<String> problems = new ArrayList<>();
    UUID idFromFile = directory.readStoreId(problems);
    SpoolCursor.State[] state = new SpoolCursor.State[1];
    this.cursor = SpoolCursor.open(dir, state);
    SpoolRecovery found;
    try {
      found = SpoolRecovery.recover(dir, idFromFile, state[0], segmentBytes, maxBytes);
    } catch (IOException | RuntimeException e) {
      cursor.close();
      throw e;
    }
    problems.addAll(found.problems());
    this.storeUuid = found.storeId;
    this.storeId = storeUuid.toString();
    counters.corruptRecords.set(found.corruptRecords);
    counters.skippedBytes.set(found.skippedBytes);
    counters.records.set(found.records);
    counters.payloadBytes.set(found.payloadBytes);
    counters.diskBytes.set(found.diskBytes);
    nextSeq = found.nextSeq;
    try {
      if (!storeUuid.equals(idFromFile)) {
        directory.writeStoreId(storeUuid);
      }
      // the reservation is on disk before a segment can hold a sequence of it
      reserved = nextSeq + RESERVATION - 1;
      cursor.reset(found.acked, reserved);
      List<Segment> segments = found.segments;
      Segment newest = segments.isEmpty() ? null : segments.get(segments.size() - 1);
      if (found.reuseLast && newest.size == newest.end) {
        tail = newest;
        tailSize = newest.size;
      } else {
        Segment created = createSegment(nextSeq, found.previousNext);
        if (newest != null) {
          unsynced.add(newest);
          newest.next = created;
        }
        tail = created;
        tailSize = created.size;
        counters.diskBytes.addAndGet(created.size);
      }
      directory.force();
    } catch (IOException | RuntimeException e) {
      for (Segment s = firstOf(found); s != null; s = s.next) {
        SpoolRecovery.closeQuietly(s.channel);
      }
      if (tail != null) {
        SpoolRecovery.closeQuietly(tail.channel);
      }
      cursor.close();
      throw e;
    }
    this.reader =
        new SpoolReader(
            dir,
            cursor,
            counters,
            maxBytes,
            () -> directoryDirty = true,
            found.segments.isEmpty() ? tail : found.segments.get(0),
            found.readSegment != null ? found.readSegment : tail,
            found.readSegment != null ? found.readOffset : SpoolFormat.SEGMENT_HEADER,
            found.acked,
            nextSeq - 1);
    if (!problems.isEmpty()) {
      LOG.warn(
          "Spool {}: {} records lost and {} bytes skipped at start; the rest is delivered: {}",
          dir,
          found.corruptRecords,
          found.skippedBytes,
          String.join("; ", problems));
    }
  }

  private static Segment firstOf(SpoolRecovery found) {
    return found.segments.isEmpty() ? null : found.segments.get(0);
  }

  @Override
  public String storeId() {
    return storeId;
  }

  @Override
  public boolean append(byte[] payload) throws IOException {
    Objects.requireNonNull(payload, "payload");
    boolean[] stored = new boolean[1];
    try {
      appendAll(List.of(payload), stored);
    } catch (PartialAppendException e) {
      throw (IOException) e.getCause();
    }
    return stored[0];
  }

  /**
   * The most bytes of frames copied into the staging buffer before they are written with one call;
   * a frame larger than this is written on its own.
   */
  private static final int STAGING_BYTES = 256 * 1024;

  // appends copy frames here and write them with one positional call: a direct buffer of our own,
  // because writing heap buffers makes the JDK allocate temporary direct ones (one per buffer of
  // a gathering write beyond its small per-thread cache); guarded by appendMonitor
  private @Nullable ByteBuffer staging;
  private final ByteBuffer frameHeader = ByteBuffer.allocate(SpoolFormat.FRAME_HEADER);

  /**
   * Appends each payload in turn (the bound, segment rolls and sequences as for one record at a
   * time; {@link #append} is this for one payload), copying the frames of a run of records that fit
   * in the current segment into one staging buffer and writing it with one call per {@value
   * #STAGING_BYTES} bytes instead of one write per record.
   */
  @Override
  public void appendAll(List<byte[]> payloads, boolean[] stored) throws PartialAppendException {
    int n = payloads.size();
    int i = 0;
    int appendedRecords = 0;
    synchronized (appendMonitor) {
      if (closed) {
        throw new PartialAppendException(0, new IOException("The spool " + dir + " is closed"));
      }
      ByteBuffer buffer = staging;
      if (buffer == null) {
        buffer = ByteBuffer.allocateDirect(STAGING_BYTES);
        staging = buffer;
      }
      while (i < n) {
        Segment t = tail;
        long start = tailSize;
        long position = start;
        long written = start;
        long seq = nextSeq;
        long bytes = 0;
        long payloadBytes = 0;
        int count = 0;
        int first = i;
        boolean rollNeeded = false;
        buffer.clear();
        try {
          for (; i < n; i++) {
            byte[] payload = payloads.get(i);
            long frame = (long) SpoolFormat.FRAME_HEADER + payload.length;
            if (tailBroken
                || (position + frame > segmentBytes && position > SpoolFormat.SEGMENT_HEADER)) {
              rollNeeded = true;
              break;
            }
            if (counters.diskBytes.get() + bytes + frame > maxBytes) {
              stored[i] = false;
              continue;
            }
            if (seq > reserved) {
              long wanted = seq + RESERVATION - 1;
              try {
                cursor.reserve(wanted);
              } catch (IOException e) {
                rollBack(t); // frames of this run already flushed are cut again
                throw new PartialAppendException(first, e);
              }
              reserved = wanted;
            }
            SpoolFormat.encodeFrameHeader(frameHeader, seq, payload, appendCrc);
            if (frame > buffer.remaining()) {
              written = flush(t, buffer, written);
            }
            if (frame > buffer.remaining()) {
              // larger than the whole staging buffer: written from the heap on its own
              written =
                  writeFully(t, new ByteBuffer[] {frameHeader, ByteBuffer.wrap(payload)}, written);
            } else {
              buffer.put(frameHeader).put(payload);
            }
            count++;
            stored[i] = true;
            seq++;
            position += frame;
            bytes += frame;
            payloadBytes += payload.length;
          }
          flush(t, buffer, written);
        } catch (IOException e) {
          rollBack(t);
          throw new PartialAppendException(
              first,
              new IOException("Writing to the spool segment " + t.path + " failed: " + e, e));
        }
        if (count > 0) {
          tailSize = position;
          nextSeq = seq;
          t.size = tailSize;
          counters.diskBytes.addAndGet(bytes);
          counters.records.addAndGet(count);
          counters.payloadBytes.addAndGet(payloadBytes);
          t.end = tailSize; // publish to the reader
          appendedRecords += count;
        }
        if (rollNeeded) {
          long frame = (long) SpoolFormat.FRAME_HEADER + payloads.get(i).length;
          if (counters.diskBytes.get() + frame + SpoolFormat.SEGMENT_HEADER > maxBytes) {
            stored[i] = false;
            i++;
          } else {
            try {
              roll();
            } catch (IOException e) {
              throw new PartialAppendException(i, e);
            }
          }
        }
      }
    }
    if (appendedRecords > 0) {
      appendCount.addAndGet(appendedRecords);
      if (readerWaiting) {
        signal.lock();
        try {
          appended.signalAll();
        } finally {
          signal.unlock();
        }
      }
    }
  }

  /** Writes what {@code buffer} holds at {@code at} of {@code t}, clears it; the end offset. */
  private static long flush(Segment t, ByteBuffer buffer, long at) throws IOException {
    if (buffer.position() == 0) {
      return at;
    }
    buffer.flip();
    long end = writeFully(t, new ByteBuffer[] {buffer}, at);
    buffer.clear();
    return end;
  }

  private static long writeFully(Segment t, ByteBuffer[] buffers, long at) throws IOException {
    long position = at;
    for (ByteBuffer b : buffers) {
      while (b.hasRemaining()) {
        position += t.channel.write(b, position);
      }
    }
    return position;
  }

  /** After a failed write: cut what it may have left, or start a new segment next time. */
  private void rollBack(Segment t) {
    try {
      t.channel.truncate(tailSize);
    } catch (IOException e) {
      tailBroken = true;
    }
  }

  private void roll() throws IOException {
    Segment old = tail;
    Segment created = createSegment(nextSeq, nextSeq);
    unsynced.add(old);
    counters.diskBytes.addAndGet(created.size);
    old.next = created; // old.end is final: every append to it was published
    tail = created;
    tailSize = created.size;
    tailBroken = false;
  }

  private Segment createSegment(long firstSeq, long previousNext) throws IOException {
    Path path = dir.resolve(SpoolFormat.segmentName(firstSeq));
    FileChannel channel;
    try {
      channel =
          FileChannel.open(
              path,
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
    } catch (FileAlreadyExistsException e) {
      throw new IOException(
          "The spool segment "
              + path
              + " already exists; the spool directory was changed while"
              + " open",
          e);
    }
    try {
      ByteBuffer header =
          SpoolFormat.encodeHeader(new SpoolFormat.Header(storeUuid, firstSeq, previousNext));
      while (header.hasRemaining()) {
        channel.write(header, header.position());
      }
    } catch (IOException e) {
      SpoolRecovery.closeQuietly(channel);
      Files.deleteIfExists(path);
      throw new IOException("Creating the spool segment " + path + " failed: " + e, e);
    }
    directoryDirty = true;
    long h = SpoolFormat.SEGMENT_HEADER;
    return new Segment(path, firstSeq, previousNext, channel, false, h, h);
  }

  @Override
  public List<Record> peek(int maxRecords, long maxPayloadBytes, Duration wait)
      throws IOException, InterruptedException {
    if (maxRecords < 1) {
      throw new IllegalArgumentException("maxRecords=" + maxRecords + ": pass at least 1");
    }
    long waitNanos = Objects.requireNonNull(wait, "wait").isNegative() ? 0 : saturatedNanos(wait);
    long deadline = System.nanoTime() + waitNanos;
    synchronized (readMonitor) {
      while (true) {
        if (closed) {
          return List.of();
        }
        long seen = appendCount.get();
        List<Record> batch =
            reader.read(maxRecords, maxPayloadBytes, Long.MAX_VALUE, Long.MIN_VALUE);
        if (!batch.isEmpty()) {
          return batch;
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return List.of();
        }
        signal.lock();
        try {
          readerWaiting = true;
          while (appendCount.get() == seen && !closed && remaining > 0) {
            remaining = appended.awaitNanos(remaining);
          }
        } finally {
          readerWaiting = false;
          signal.unlock();
        }
      }
    }
  }

  @Override
  public List<Record> peekAfter(long afterSequence, int maxRecords, long maxPayloadBytes) {
    if (maxRecords < 1) {
      throw new IllegalArgumentException("maxRecords=" + maxRecords + ": pass at least 1");
    }
    synchronized (readMonitor) {
      if (closed) {
        return List.of();
      }
      return reader.read(maxRecords, maxPayloadBytes, Long.MAX_VALUE, afterSequence);
    }
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 2;
    }
  }

  @Override
  public void ack(Record last) throws IOException {
    Objects.requireNonNull(last, "last");
    synchronized (readMonitor) {
      if (closed) {
        throw new IOException("The spool " + dir + " is closed");
      }
      reader.ack(last);
    }
  }

  @Override
  public long bytes() {
    return Math.max(0, counters.payloadBytes.get());
  }

  @Override
  public long records() {
    return Math.max(0, counters.records.get());
  }

  /**
   * Bytes of the segment files, headers and unacknowledged parts included: what the bound holds.
   */
  public long diskBytes() {
    return counters.diskBytes.get();
  }

  /** The bound on {@link #diskBytes()}, in bytes. */
  public long maxBytes() {
    return maxBytes;
  }

  /** The spool directory (absolute). */
  public Path directory() {
    return dir;
  }

  /**
   * Records found lost since open: sequences above the acknowledged one that should be in the spool
   * but are not readable (damaged, truncated or deleted segments). Counted at open for what is on
   * disk then (again at each start until the reader passes them), and as the reader meets them.
   */
  public long corruptRecords() {
    return counters.corruptRecords.get();
  }

  /** Bytes of segment files skipped since open as unreadable (damaged, cut, foreign, garbage). */
  public long skippedBytes() {
    return counters.skippedBytes.get();
  }

  /**
   * Forces what was appended, the cursor and new or deleted segment files to the disk. The caller
   * calls it at its sync interval: the records a machine crash can lose are those appended since
   * the last sync. A no-op once closed.
   */
  @Override
  public void sync() throws IOException {
    synchronized (syncMonitor) {
      if (closed) {
        return;
      }
      try {
        forceAll();
      } catch (ClosedChannelException e) {
        if (!closed) {
          throw e;
        }
      }
    }
  }

  private void forceAll() throws IOException {
    Segment t = tail; // first the tail, then the queue: a segment rolled meanwhile is in either
    long appends = appendCount.get();
    Segment s;
    while ((s = unsynced.poll()) != null) {
      force(s);
    }
    if (appends != syncedAppends) {
      force(t);
      syncedAppends = appends;
    }
    if (directoryDirty) {
      directoryDirty = false;
      directory.force();
    }
    cursor.force();
  }

  private static void force(Segment s) throws IOException {
    try {
      s.channel.force(false);
    } catch (ClosedChannelException e) {
      // deleted after acknowledgement meanwhile
    }
  }

  /** Forces everything, records a clean close, and releases the directory. Idempotent. */
  @Override
  public void close() throws IOException {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    closed = true;
    signal.lock();
    try {
      appended.signalAll();
    } finally {
      signal.unlock();
    }
    synchronized (appendMonitor) {
      synchronized (readMonitor) {
        synchronized (syncMonitor) {
          try {
            forceAll();
            cursor.closeClean(nextSeq - 1);
          } finally {
            for (Segment s = reader.head(); s != null; s = s.next) {
              SpoolRecovery.closeQuietly(s.channel);
            }
            try {
              cursor.close();
            } finally {
              directory.close();
            }
          }
        }
      }
    }
  }

  @Override
  public String toString() {
    return "SegmentFileStore[" + dir + ", " + records() + " records]";
  }
}
