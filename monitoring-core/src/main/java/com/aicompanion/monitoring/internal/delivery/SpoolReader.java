package com.aicompanion.monitoring.internal.delivery;

import com.aicompanion.monitoring.internal.delivery.RecordStore.Record;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reading side of a {@link SegmentFileStore}: walks the segments from the read position up to
 * what the appender has published, skips and counts damage, remembers where each record of the last
 * peek ends so that {@link #ack} can move there, and deletes acknowledged segments. Called by one
 * thread at a time (the store serializes it).
 */
final class SpoolReader {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentFileStore.class);

  private final Path dir;
  private final SpoolCursor cursor;
  private final SpoolCounters counters;
  private final FrameReader frames;
  private final Runnable directoryChanged;
  private final AtomicBoolean damageLogged = new AtomicBoolean();

  private Segment head;
  private Segment readSegment;
  private long readOffset;
  private long ackedSeq;

  /** Sequences up to this were checked at open, or counted missing since. */
  private long gapCountedThrough;

  private int peekCount;
  private long[] peekSeqs = new long[0];
  private long[] peekEnds = new long[0];
  private long[] peekBytes = new long[0];
  private Segment[] peekSegments = new Segment[0];

  SpoolReader(
      Path dir,
      SpoolCursor cursor,
      SpoolCounters counters,
      long maxPayload,
      Runnable directoryChanged,
      Segment head,
      Segment readSegment,
      long readOffset,
      long ackedSeq,
      long checkedThrough) {
    this.dir = dir;
    this.cursor = cursor;
    this.counters = counters;
    this.frames = new FrameReader(256 << 10, maxPayload);
    this.directoryChanged = directoryChanged;
    this.head = head;
    this.readSegment = readSegment;
    this.readOffset = readOffset;
    this.ackedSeq = ackedSeq;
    this.gapCountedThrough = checkedThrough;
  }

  /** The oldest segment still on disk. */
  Segment head() {
    return head;
  }

  /**
   * Reads from the read position; stops after {@code lastSeq} at the latest. Records up to {@code
   * afterSeq} (in flight) are walked and remembered for {@link #ack} but not returned; when the
   * last record remembered is {@code afterSeq} itself (the usual case: the delivery asks for what
   * follows the batches it dispatched), reading resumes after it without walking them again.
   */
  List<Record> read(int maxRecords, long maxPayloadBytes, long lastSeq, long afterSeq) {
    List<Record> batch = new ArrayList<>(Math.min(maxRecords, 1024));
    Segment seg;
    long offset;
    long previous;
    long walked; // payload bytes from the read position, for ack's counting
    if (afterSeq != Long.MIN_VALUE && peekCount > 0 && peekSeqs[peekCount - 1] == afterSeq) {
      // the records up to afterSeq (in flight) were walked by the last reads and are remembered:
      // go on after them instead of reading and checking each of them again
      seg = peekSegments[peekCount - 1];
      offset = peekEnds[peekCount - 1];
      previous = afterSeq;
      walked = peekBytes[peekCount - 1];
    } else {
      peekCount = 0;
      seg = readSegment;
      offset = readOffset;
      previous = offset == SpoolFormat.SEGMENT_HEADER ? seg.firstSeq - 1 : ackedSeq;
      walked = 0;
    }
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
        kind = frames.read(seg.channel, offset, end);
      } catch (IOException e) {
        kind = FrameReader.Kind.END;
        readDamage(seg, "read error (" + e + ")");
      }
      if (kind == FrameReader.Kind.BAD) {
        countSkip(seg, offset, frames.next());
        offset = frames.next();
        continue;
      }
      if (kind == FrameReader.Kind.END || frames.seq() <= previous) {
        countSkip(seg, offset, end); // nothing readable up to the published end of this segment
        offset = end;
        continue;
      }
      long seq = frames.seq();
      if (seq > previous + 1 && !seg.recovered && seq - 1 > gapCountedThrough) {
        counters.corruptRecords.addAndGet(seq - 1 - Math.max(previous, gapCountedThrough));
        gapCountedThrough = seq - 1;
        readDamage(seg, "records missing before sequence " + seq);
      }
      previous = seq;
      long next = frames.next();
      if (seq <= ackedSeq) {
        offset = next;
        continue;
      }
      int length = frames.payloadLength();
      if (seq <= afterSeq) {
        walked += length;
        remember(seg, next, seq, walked);
        offset = next;
        continue;
      }
      if (!batch.isEmpty() && bytes + length > maxPayloadBytes) {
        break;
      }
      batch.add(new Record(seq, frames.payload()));
      bytes += length;
      walked += length;
      remember(seg, next, seq, walked);
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
    counters.skippedBytes.addAndGet(to - Math.max(from, seg.skipCountedTo));
    seg.skipCountedTo = to;
    readDamage(seg, "unreadable bytes at offset " + from);
  }

  private void readDamage(Segment seg, String what) {
    if (damageLogged.compareAndSet(false, true)) {
      LOG.warn(
          "Spool {}: {} in {}; skipped and counted. Further damage is counted, not logged.",
          dir,
          what,
          seg.path.getFileName());
    }
  }

  /** Consumes up to {@code last}; see {@link RecordStore#ack}. */
  void ack(Record last) throws IOException {
    if (last.sequence() <= ackedSeq) {
      return;
    }
    int i = Arrays.binarySearch(peekSeqs, 0, peekCount, last.sequence());
    if (i < 0) {
      // from an earlier peek than the last one: read up to it again
      read(Integer.MAX_VALUE, Long.MAX_VALUE, last.sequence(), Long.MIN_VALUE);
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
    counters.records.addAndGet(-(i + 1));
    counters.payloadBytes.addAndGet(-bytes);
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
      counters.diskBytes.addAndGet(-gone.size);
      frames.forget();
      SpoolRecovery.closeQuietly(gone.channel);
      try {
        Files.deleteIfExists(gone.path);
      } catch (IOException e) {
        readDamage(gone, "deleting an acknowledged segment failed (" + e + ")");
      }
      directoryChanged.run();
    }
  }
}
