package com.aicompanion.monitoring.internal.delivery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Reads a spool directory at open: checks every segment, counts what is damaged, cuts the damaged
 * tail of the newest segment, and works out where reading and appending continue. Never throws for
 * damaged or unreadable segments; only for a directory it cannot list.
 *
 * <p>Counting: a record is "lost" when its sequence is above the acknowledged one and should be in
 * the spool but is not readable: a gap between the sequences of intact records, a segment whose
 * header says its predecessor should reach further, or, after a clean close, sequences the close
 * recorded that are not there. Lost records in the part not yet acknowledged are counted at each
 * start until the reader passes them.
 */
final class SpoolRecovery {
  private static final int MAX_PROBLEMS = 12;

  private final Path dir;
  private final FrameReader reader;
  private final List<String> problems = new ArrayList<>();
  private int moreProblems;

  long corruptRecords;
  long skippedBytes;
  long records;
  long payloadBytes;
  long diskBytes;
  long acked;
  long nextSeq;
  long previousNext;
  UUID storeId;
  final List<Segment> segments = new ArrayList<>();
  Segment readSegment;
  long readOffset;

  /** The newest segment can take more appends (sequences continue in it). */
  boolean reuseLast;

  private long maxUnusableName;

  private SpoolRecovery(Path dir, long maxBytes) {
    this.dir = dir;
    this.reader = new FrameReader(1 << 20, maxBytes);
  }

  /** What was wrong, for the one warning at open; empty when nothing was. */
  List<String> problems() {
    List<String> all = new ArrayList<>(problems);
    if (moreProblems > 0) {
      all.add("and " + moreProblems + " more");
    }
    return all;
  }

  private record Candidate(
      Path path, long nameSeq, FileChannel channel, SpoolFormat.Header header, long size) {}

  static SpoolRecovery recover(
      Path dir, UUID idFromFile, SpoolCursor.State state, int segmentBytes, long maxBytes)
      throws IOException {
    SpoolRecovery r = new SpoolRecovery(dir, maxBytes);
    r.run(idFromFile, state, segmentBytes);
    return r;
  }

  private void run(UUID idFromFile, SpoolCursor.State state, int segmentBytes) throws IOException {
    List<Candidate> valid = readHeaders();
    storeId = idFromFile;
    if (storeId == null) {
      storeId =
          valid.isEmpty() ? UUID.randomUUID() : valid.get(valid.size() - 1).header().storeId();
    }
    List<Candidate> ours = new ArrayList<>();
    for (Candidate c : valid) {
      if (c.header().storeId().equals(storeId)) {
        ours.add(c);
      } else {
        unusable(
            c.path(),
            c.size(),
            "belongs to another spool (store id " + c.header().storeId() + "); deleted");
        closeAndDelete(c);
      }
    }
    if (state == null && !ours.isEmpty()) {
      problem(
          "the cursor file is missing or unreadable: records are delivered again from the"
              + " oldest one in the spool (receivers drop duplicates by store id and sequence)");
    }
    acked =
        state != null ? state.acked() : ours.isEmpty() ? 0 : ours.get(0).header().firstSeq() - 1;
    while (ours.size() > 1 && ours.get(1).header().firstSeq() <= acked + 1) {
      closeAndDelete(ours.remove(0)); // fully acknowledged, its deletion was interrupted
    }
    long expected = acked + 1;
    long lastIntact = 0;
    long newestLastSeq = -2;
    for (int i = 0; i < ours.size(); i++) {
      Candidate c = ours.get(i);
      boolean newest = i == ours.size() - 1;
      if (c.header().previousNext() > expected) {
        lost(expected, c.header().previousNext() - 1, "before " + name(c.path()));
        expected = c.header().previousNext();
      }
      expected = Math.max(expected, c.header().firstSeq());
      Scan scan = scan(c, expected);
      expected = scan.expected;
      lastIntact = Math.max(lastIntact, scan.lastSeq);
      long size = c.size();
      if (newest && size > scan.goodEnd) {
        try {
          c.channel().truncate(scan.goodEnd);
          size = scan.goodEnd;
        } catch (IOException e) {
          problem(name(c.path()) + ": cutting its damaged tail failed (" + e + ")");
        }
      }
      Segment s =
          new Segment(
              c.path(),
              c.header().firstSeq(),
              c.header().previousNext(),
              c.channel(),
              true,
              scan.goodEnd,
              size);
      if (!segments.isEmpty()) {
        segments.get(segments.size() - 1).next = s;
      }
      segments.add(s);
      diskBytes += size;
      if (readSegment == null) {
        readSegment = s;
        readOffset = scan.ackEnd;
      }
      if (newest) {
        reuseLast = scan.goodEnd < segmentBytes;
        newestLastSeq = scan.lastSeq;
      }
    }
    if (state != null && state.acked() > lastIntact) {
      problem(
          "the cursor (acknowledged "
              + state.acked()
              + ") is past the last stored record ("
              + lastIntact
              + "): nothing is waiting; new records continue above it");
    }
    if (state != null && state.clean() && state.reserved() >= expected) {
      lost(
          expected,
          state.reserved(),
          "at the end (the last clean close recorded up to " + state.reserved() + ")");
      expected = state.reserved() + 1;
    }
    // sequences that an unclean stop may have handed out are skipped, never reused: the gap
    // between previousNext and nextSeq is not a loss
    previousNext = expected;
    nextSeq = Math.max(expected, Math.max(acked + 1, maxUnusableName + 1));
    if (state != null) {
      nextSeq = Math.max(nextSeq, state.reserved() + 1);
    }
    reuseLast = reuseLast && newestLastSeq + 1 == nextSeq;
  }

  private List<Candidate> readHeaders() throws IOException {
    TreeMap<Long, Path> files = new TreeMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        long seq = SpoolFormat.parseSegmentName(p.getFileName().toString());
        if (seq >= 0) {
          files.put(seq, p);
        }
      }
    }
    List<Candidate> valid = new ArrayList<>();
    for (var e : files.entrySet()) {
      Path p = e.getValue();
      long nameSeq = e.getKey();
      if (!Files.isRegularFile(p)) {
        unusable(p, 0, "is not a regular file; left in place, remove it");
        leftInPlace(nameSeq);
        continue;
      }
      FileChannel channel;
      long size;
      try {
        channel = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
      } catch (IOException ex) {
        unusable(
            p,
            sizeOf(p),
            "cannot be opened ("
                + ex
                + "); left in place, make it"
                + " readable and writable or remove it");
        leftInPlace(nameSeq);
        continue;
      }
      SpoolFormat.Header header;
      try {
        size = channel.size();
        ByteBuffer b = ByteBuffer.allocate(SpoolFormat.SEGMENT_HEADER);
        while (b.hasRemaining() && channel.read(b, b.position()) > 0) {
          // fill the header
        }
        header = SpoolFormat.decodeHeader(b.flip());
      } catch (IOException ex) {
        closeQuietly(channel);
        unusable(p, sizeOf(p), "cannot be read (" + ex + "); left in place");
        leftInPlace(nameSeq);
        continue;
      }
      if (header == null || header.firstSeq() != nameSeq) {
        unusable(
            p,
            size,
            header == null
                ? "has no valid segment header (" + size + " bytes); deleted"
                : "has a header for sequence " + header.firstSeq() + "; deleted");
        closeAndDelete(new Candidate(p, nameSeq, channel, header, size));
        continue;
      }
      valid.add(new Candidate(p, nameSeq, channel, header, size));
    }
    return valid;
  }

  /** The outcome of reading one segment's frames. */
  private static final class Scan {
    long expected;
    long lastSeq;
    long goodEnd = SpoolFormat.SEGMENT_HEADER;
    long ackEnd = SpoolFormat.SEGMENT_HEADER;
  }

  private Scan scan(Candidate c, long expectedAtStart) {
    Scan scan = new Scan();
    scan.expected = expectedAtStart;
    scan.lastSeq = c.header().firstSeq() - 1;
    long offset = SpoolFormat.SEGMENT_HEADER;
    long pendingSkip = 0;
    long pendingFrom = -1;
    reader.forget();
    while (true) {
      FrameReader.Kind kind;
      try {
        kind = reader.read(c.channel(), offset, c.size());
      } catch (IOException e) {
        problem(name(c.path()) + ": read error at offset " + offset + " (" + e + ")");
        pendingSkip += c.size() - offset;
        break;
      }
      if (kind == FrameReader.Kind.VALID) {
        long seq = reader.seq();
        if (seq <= scan.lastSeq) {
          problem(
              name(c.path())
                  + ": record "
                  + seq
                  + " at offset "
                  + offset
                  + " is out of order;"
                  + " the rest of the segment is skipped");
          pendingSkip += c.size() - offset;
          break;
        }
        scan.lastSeq = seq;
        offset = reader.next();
        scan.goodEnd = offset;
        if (seq <= acked) {
          scan.ackEnd = offset;
          pendingSkip = 0; // damage inside the acknowledged part is not counted
          pendingFrom = -1;
          continue;
        }
        if (pendingSkip > 0) {
          skipped(c, pendingFrom, pendingSkip, "unreadable records");
          pendingSkip = 0;
          pendingFrom = -1;
        }
        if (seq > scan.expected) {
          lost(scan.expected, seq - 1, "in " + name(c.path()));
        }
        scan.expected = seq + 1;
        records++;
        payloadBytes += reader.payloadLength();
        continue;
      }
      if (kind == FrameReader.Kind.BAD) {
        // follow the lengths of damaged frames; if they lead to an intact one, only they are lost
        long p = reader.next();
        FrameReader.Kind after;
        try {
          while ((after = reader.read(c.channel(), p, c.size())) == FrameReader.Kind.BAD) {
            p = reader.next();
          }
        } catch (IOException e) {
          after = FrameReader.Kind.END;
        }
        if (after == FrameReader.Kind.VALID) {
          pendingFrom = pendingFrom < 0 ? offset : pendingFrom;
          pendingSkip += p - offset;
          offset = p;
          continue;
        }
      }
      if (offset < c.size()) {
        pendingFrom = pendingFrom < 0 ? offset : pendingFrom;
        pendingSkip += c.size() - offset;
      }
      break;
    }
    if (pendingSkip > 0) {
      skipped(c, pendingFrom, pendingSkip, "unreadable bytes (damaged, truncated or zero-filled)");
    }
    return scan;
  }

  private void skipped(Candidate c, long from, long bytes, String what) {
    skippedBytes += bytes;
    problem(name(c.path()) + ": " + bytes + " " + what + " from offset " + from + " skipped");
  }

  private void lost(long from, long to, String where) {
    long count = to - from + 1;
    if (count <= 0) {
      return;
    }
    corruptRecords += count;
    problem(
        count
            + (count == 1 ? " record" : " records")
            + " (sequence "
            + (count == 1 ? from : from + "-" + to)
            + ") missing "
            + where);
  }

  private void unusable(Path p, long size, String what) {
    skippedBytes += size;
    problem(name(p) + " " + what);
  }

  /** A segment file that stays: new segments must not take its name. */
  private void leftInPlace(long nameSeq) {
    maxUnusableName = Math.max(maxUnusableName, nameSeq);
  }

  private void problem(String text) {
    if (problems.size() < MAX_PROBLEMS) {
      problems.add(text);
    } else {
      moreProblems++;
    }
  }

  private void closeAndDelete(Candidate c) {
    closeQuietly(c.channel());
    try {
      Files.deleteIfExists(c.path());
    } catch (IOException e) {
      leftInPlace(c.nameSeq());
      problem(name(c.path()) + ": could not be deleted (" + e + ")");
    }
  }

  private static long sizeOf(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // closing a file we only read; nothing to do
    }
  }

  private static String name(Path p) {
    return p.getFileName().toString();
  }
}
