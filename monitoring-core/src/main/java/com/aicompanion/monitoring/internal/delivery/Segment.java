package com.aicompanion.monitoring.internal.delivery;

import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * One segment file of a spool, linked to the next one. The appender owns the newest (the tail); the
 * reader walks from the oldest and deletes what is acknowledged.
 */
final class Segment {
  final Path path;
  final long firstSeq;
  final long previousNext;
  final FileChannel channel;

  /** Found at open: its damage was counted then, and the reader does not count it again. */
  final boolean recovered;

  /** Frames lie in [header, end); the tail's end grows as records are published. */
  volatile long end;

  /** Bytes on disk. */
  volatile long size;

  /** Set once, when the appender rolls to a new segment; this segment's end is final by then. */
  volatile Segment next;

  /** Offsets below this were already counted as skipped by the reader (runtime damage). */
  long skipCountedTo;

  Segment(
      Path path,
      long firstSeq,
      long previousNext,
      FileChannel channel,
      boolean recovered,
      long end,
      long size) {
    this.path = path;
    this.firstSeq = firstSeq;
    this.previousNext = previousNext;
    this.channel = channel;
    this.recovered = recovered;
    this.end = end;
    this.size = size;
  }
}
