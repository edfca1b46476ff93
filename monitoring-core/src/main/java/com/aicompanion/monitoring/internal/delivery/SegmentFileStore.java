package com.aicompanion.monitoring.internal.delivery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RecordStore} on disk: a directory of append-only segment files with checksummed records,
 * an acknowledged-sequence cursor, and a byte bound.
 *
 * <pre>{@code
 * SegmentFileStore spool = SegmentFileStore.open(Path.of("/var/lib/app/spool"), 256L << 20);
 * spool.append(bytes);                               // false when the 256 MiB bound is reached
 * scheduler.scheduleAtFixedRate(spool::sync, 1, 1, SECONDS);   // the crash-loss window
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
 * <p>Threads: one appender and one reader at a time (each side is serialized, so more are safe but
 * wait on each other); {@link #sync()} and {@link #close()} from any thread.
 */
public final class SegmentFileStore implements RecordStore {
  /** The largest segment size chosen by {@link #open(Path, long)}: {@value} bytes (16 MiB). */
  public static final int MAX_DEFAULT_SEGMENT_BYTES = 16 << 20;

  /** The smallest byte bound accepted: {@value} bytes. */
  public static final long MIN_MAX_BYTES = 4096;

  static final String LOCK_FILE = "spool.lock";
  static final String STORE_ID_FILE = "store-id";

  /** Sequences reserved (and forced to the cursor file) ahead of use. */
  static final long RESERVATION = 1 << 20;

  private static final int MIN_SEGMENT_BYTES = 1024;
  private static final Logger LOG = LoggerFactory.getLogger(SegmentFileStore.class);

  private final Path dir;
  private final long maxBytes;
  private final int segmentBytes;
  private final String storeId;
  private final UUID storeUuid;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final SpoolCursor cursor;

  private final AtomicLong records = new AtomicLong();
  private final AtomicLong payloadBytes = new AtomicLong();
  private final AtomicLong diskBytes = new AtomicLong();
  private final AtomicLong corruptRecords = new AtomicLong();
  private final AtomicLong skippedBytes = new AtomicLong();
  private final AtomicLong appendCount = new AtomicLong();
  private final AtomicBoolean readDamageLogged = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile boolean closed;

  private final ReentrantLock signal = new ReentrantLock();
  private final Condition appended = signal.newCondition();
  private volatile boolean readerWaiting;

  // appender side, guarded by appendMonitor
  private final Object appendMonitor = new Object();
  private final CRC32C appendCrc = new CRC32C();
  private final ByteBuffer frameHeader = ByteBuffer.allocate(SpoolFormat.FRAME_HEADER);
  private volatile Segment tail;
  private long tailSize;
  private boolean tailBroken;
  private long nextSeq;
  private long reserved;

  // reader side, guarded by readMonitor
  private final Object readMonitor = new Object();
  private final FrameReader reader;
  private Segment head;
  private Segment readSegment;
  private long readOffset;
  private long ackedSeq;
  private long gapCountedThrough;
  private int peekCount;
  private long[] peekSeqs = new long[0];
  private long[] peekEnds = new long[0];
  private long[] peekBytes = new long[0];
  private Segment[] peekSegments = new Segment[0];

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
    Path directory = dir.toAbsolutePath();
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new IOException(
          "Cannot create the spool directory " + directory + " (" + e + "); choose a writable one",
          e);
    }
    FileChannel lockChannel =
        FileChannel.open(
            directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lockChannel.close();
      throw new SpoolInUseException(directory, "another store in this JVM");
    } catch (IOException e) {
      lockChannel.close();
      throw e;
    }
    if (lock == null) {
      lockChannel.close();
      throw new SpoolInUseException(directory, "another process");
    }
    try {
      return new SegmentFileStore(directory, maxBytes, segmentBytes, lockChannel, lock);
    } catch (IOException | RuntimeException | Error e) {
      try {
        lock.release();
      } finally {
        lockChannel.close();
      }
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

  private SegmentFileStore(
      Path dir, long maxBytes, int segmentBytes, FileChannel lockChannel, FileLock lock)
      throws IOException {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.reader = new FrameReader(256 << 10, maxBytes);
    Files.deleteIfExists(dir.resolve(STORE_ID_FILE + ".tmp"));
    List<String> problems = new ArrayList<>();
    UUID idFromFile = readStoreId(problems);
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
    corruptRecords.set(found.corruptRecords);
    skippedBytes.set(found.skippedBytes);
    records.set(found.records);
    payloadBytes.set(found.payloadBytes);
    diskBytes.set(found.diskBytes);
    ackedSeq = found.acked;
    nextSeq = found.nextSeq;
    gapCountedThrough = nextSeq - 1;
    try {
      if (!storeUuid.equals(idFromFile)) {
        writeStoreId();
      }
      // the reservation is on disk before a segment can hold a sequence of it
      reserved = nextSeq + RESERVATION - 1;
      cursor.reset(ackedSeq, reserved);
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
        diskBytes.addAndGet(created.size);
      }
      head = segments.isEmpty() ? tail : segments.get(0);
      readSegment = found.readSegment != null ? found.readSegment : tail;
      readOffset = found.readSegment != null ? found.readOffset : SpoolFormat.SEGMENT_HEADER;
      forceDirectory();
    } catch (IOException | RuntimeException e) {
      for (Segment s = head != null ? head : firstOf(found); s != null; s = s.next) {
        SpoolRecovery.closeQuietly(s.channel);
      }
      cursor.close();
      throw e;
    }
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
    synchronized (appendMonitor) {
      if (closed) {
        throw new IOException("The spool " + dir + " is closed");
      }
      long frame = (long) SpoolFormat.FRAME_HEADER + payload.length;
      boolean roll =
          tailBroken || (tailSize + frame > segmentBytes && tailSize > SpoolFormat.SEGMENT_HEADER);
      long needed = frame + (roll ? SpoolFormat.SEGMENT_HEADER : 0);
      if (diskBytes.get() + needed > maxBytes) {
        return false;
      }
      if (roll) {
        roll();
      }
      long seq = nextSeq;
      if (seq > reserved) {
        reserved = seq + RESERVATION - 1;
        cursor.reserve(reserved);
      }
      Segment t = tail;
      SpoolFormat.encodeFrameHeader(frameHeader, seq, payload, appendCrc);
      ByteBuffer[] buffers = {frameHeader, ByteBuffer.wrap(payload)};
      try {
        t.channel.position(tailSize);
        while (buffers[1].hasRemaining() || buffers[0].hasRemaining()) {
          t.channel.write(buffers);
        }
      } catch (IOException e) {
        rollBack(t);
        throw new IOException("Writing to the spool segment " + t.path + " failed: " + e, e);
      }
      tailSize += frame;
      nextSeq = seq + 1;
      t.size = tailSize;
      diskBytes.addAndGet(frame);
      records.incrementAndGet();
      payloadBytes.addAndGet(payload.length);
      t.end = tailSize; // publish to the reader
    }
    appendCount.incrementAndGet();
    if (readerWaiting) {
      signal.lock();
      try {
        appended.signalAll();
      } finally {
        signal.unlock();
      }
    }
    return true;
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
    diskBytes.addAndGet(created.size);
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
        List<Record> batch = readBatch(maxRecords, maxPayloadBytes, Long.MAX_VALUE);
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

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 2;
    }
  }

  /** Reads from the read position; stops after {@code lastSeq} at the latest. */
  private List<Record> readBatch(int maxRecords, long maxPayloadBytes, long lastSeq) {
    List<Record> batch = new ArrayList<>(Math.min(maxRecords, 1024));
    peekCount = 0;
    Segment seg = readSegment;
    long offset = readOffset;
    long previous = offset == SpoolFormat.SEGMENT_HEADER ? seg.firstSeq - 1 : ackedSeq;
    long bytes = 0;
    while (batch.size() < maxRecords) {
      Segment following = seg.next; // read before end: once set, end is final
      long end = seg.end;
      if (offset >= end) {
        if (following == null) {
          break;
        }
        seg = following;
        offset = SpoolFormat.SEGMENT_HEADER;
        previous = seg.firstSeq - 1;
        continue;
      }
      FrameReader.Kind kind;
      try {
        kind = reader.read(seg.channel, offset, end);
      } catch (IOException e) {
        kind = FrameReader.Kind.END;
        readDamage(seg, "read error (" + e + ")");
      }
      if (kind == FrameReader.Kind.BAD) {
        countSkip(seg, offset, reader.next());
        offset = reader.next();
        continue;
      }
      if (kind == FrameReader.Kind.END || reader.seq() <= previous) {
        countSkip(seg, offset, end); // nothing readable up to the published end of this segment
        offset = end;
        continue;
      }
      long seq = reader.seq();
      if (seq > previous + 1 && !seg.recovered && seq - 1 > gapCountedThrough) {
        corruptRecords.addAndGet(seq - 1 - Math.max(previous, gapCountedThrough));
        gapCountedThrough = seq - 1;
        readDamage(seg, "records missing before sequence " + seq);
      }
      previous = seq;
      long next = reader.next();
      if (seq <= ackedSeq) {
        offset = next;
        continue;
      }
      int length = reader.payloadLength();
      if (!batch.isEmpty() && bytes + length > maxPayloadBytes) {
        break;
      }
      batch.add(new Record(seq, reader.payload()));
      bytes += length;
      remember(seg, next, seq, bytes);
      offset = next;
      if (seq >= lastSeq) {
        break;
      }
    }
    return batch;
  }

  private void remember(Segment seg, long end, long seq, long bytesSoFar) {
    if (peekCount == peekSeqs.length) {
      int n = Math.max(16, peekCount * 2);
      peekSeqs = Arrays.copyOf(peekSeqs, n);
      peekEnds = Arrays.copyOf(peekEnds, n);
      peekBytes = Arrays.copyOf(peekBytes, n);
      peekSegments = Arrays.copyOf(peekSegments, n);
    }
    peekSeqs[peekCount] = seq;
    peekEnds[peekCount] = end;
    peekBytes[peekCount] = bytesSoFar;
    peekSegments[peekCount] = seg;
    peekCount++;
  }

  private void countSkip(Segment seg, long from, long to) {
    if (seg.recovered || to <= seg.skipCountedTo) {
      return; // counted at open, or already
    }
    skippedBytes.addAndGet(to - Math.max(from, seg.skipCountedTo));
    seg.skipCountedTo = to;
    readDamage(seg, "unreadable bytes at offset " + from);
  }

  private void readDamage(Segment seg, String what) {
    if (readDamageLogged.compareAndSet(false, true)) {
      LOG.warn(
          "Spool {}: {} in {}; skipped and counted. Further damage is counted, not logged.",
          dir,
          what,
          seg.path.getFileName());
    }
  }

  @Override
  public void ack(Record last) throws IOException {
    Objects.requireNonNull(last, "last");
    synchronized (readMonitor) {
      if (closed) {
        throw new IOException("The spool " + dir + " is closed");
      }
      if (last.sequence() <= ackedSeq) {
        return;
      }
      int i = Arrays.binarySearch(peekSeqs, 0, peekCount, last.sequence());
      if (i < 0) {
        // from an earlier peek than the last one: read up to it again
        readBatch(Integer.MAX_VALUE, Long.MAX_VALUE, last.sequence());
        i = Arrays.binarySearch(peekSeqs, 0, peekCount, last.sequence());
      }
      if (i < 0) {
        throw new IllegalArgumentException(
            "Record "
                + last.sequence()
                + " is not stored in the spool "
                + dir
                + ": acknowledge a record that peek returned");
      }
      long bytes = peekBytes[i];
      records.addAndGet(-(i + 1));
      payloadBytes.addAndGet(-bytes);
      ackedSeq = last.sequence();
      readSegment = peekSegments[i];
      readOffset = peekEnds[i];
      int rest = peekCount - i - 1;
      System.arraycopy(peekSeqs, i + 1, peekSeqs, 0, rest);
      System.arraycopy(peekEnds, i + 1, peekEnds, 0, rest);
      System.arraycopy(peekSegments, i + 1, peekSegments, 0, rest);
      for (int k = 0; k < rest; k++) {
        peekBytes[k] = peekBytes[i + 1 + k] - bytes;
      }
      peekCount = rest;
      cursor.ack(ackedSeq);
      deleteAcknowledged();
    }
  }

  /** Deletes the segments before the read position, and the read one if it is finished. */
  private void deleteAcknowledged() throws IOException {
    for (Segment following = readSegment.next;
        following != null && readOffset >= readSegment.end;
        following = readSegment.next) {
      readSegment = following;
      readOffset = SpoolFormat.SEGMENT_HEADER;
    }
    if (head == readSegment) {
      return;
    }
    cursor.force(); // the cursor is on disk before the records it covers are gone
    while (head != readSegment) {
      Segment gone = head;
      head = gone.next;
      diskBytes.addAndGet(-gone.size);
      reader.forget();
      SpoolRecovery.closeQuietly(gone.channel);
      try {
        Files.deleteIfExists(gone.path);
      } catch (IOException e) {
        readDamage(gone, "deleting an acknowledged segment failed (" + e + ")");
      }
      directoryDirty = true;
    }
  }

  @Override
  public long bytes() {
    return Math.max(0, payloadBytes.get());
  }

  @Override
  public long records() {
    return Math.max(0, records.get());
  }

  /**
   * Bytes of the segment files, headers and unacknowledged parts included: what the bound holds.
   */
  public long diskBytes() {
    return diskBytes.get();
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
    return corruptRecords.get();
  }

  /** Bytes of segment files skipped since open as unreadable (damaged, cut, foreign, garbage). */
  public long skippedBytes() {
    return skippedBytes.get();
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
      forceDirectory();
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

  private void forceDirectory() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // some platforms cannot force a directory; the files themselves are forced
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
            for (Segment s = head; s != null; s = s.next) {
              SpoolRecovery.closeQuietly(s.channel);
            }
            try {
              cursor.close();
            } finally {
              try {
                lock.release();
              } finally {
                lockChannel.close();
              }
            }
          }
        }
      }
    }
  }

  private UUID readStoreId(List<String> problems) {
    Path file = dir.resolve(STORE_ID_FILE);
    try {
      String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
      return UUID.fromString(text);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException | IllegalArgumentException e) {
      problems.add(STORE_ID_FILE + " is unreadable (" + e + "); taken from the segments");
      return null;
    }
  }

  private void writeStoreId() throws IOException {
    Path tmp = dir.resolve(STORE_ID_FILE + ".tmp");
    try (FileChannel out =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap((storeId + "\n").getBytes(StandardCharsets.US_ASCII));
      while (b.hasRemaining()) {
        out.write(b);
      }
      out.force(true);
    }
    try {
      Files.move(
          tmp,
          dir.resolve(STORE_ID_FILE),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dir.resolve(STORE_ID_FILE), StandardCopyOption.REPLACE_EXISTING);
    }
    directoryDirty = true;
  }

  @Override
  public String toString() {
    return "SegmentFileStore[" + dir + ", " + records() + " records]";
  }
}
