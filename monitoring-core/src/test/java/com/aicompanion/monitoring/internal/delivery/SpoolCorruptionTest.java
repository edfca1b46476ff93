package com.aicompanion.monitoring.internal.delivery;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of damage is written into real files between runs (or under a running store); the
 * store opens, skips and counts it, logs one warning, and delivers the rest in order.
 */
class SpoolCorruptionTest {
  private static final int SEGMENT = 1024;
  private static final long MAX = 1 << 20;

  @TempDir Path dir;

  /** Appends records 1..n ("record-N" padded to 60 bytes) and closes cleanly. */
  private void fill(int n) throws Exception {
    try (SegmentFileStore store = SegmentFileStore.open(dir, MAX, SEGMENT)) {
      for (int i = 1; i <= n; i++) {
        store.append(payload(i));
      }
    }
  }

  private static byte[] payload(long n) {
    byte[] b = new byte[60];
    byte[] text = ("record-" + n).getBytes(UTF_8);
    System.arraycopy(text, 0, b, 0, text.length);
    return b;
  }

  private static List<Long> readAll(SegmentFileStore store) throws Exception {
    List<RecordStore.Record> all = store.peek(1_000_000, Long.MAX_VALUE, Duration.ZERO);
    for (RecordStore.Record r : all) {
      assertThat(r.payload()).as("payload of %d", r.sequence()).isEqualTo(payload(r.sequence()));
    }
    return all.stream().map(RecordStore.Record::sequence).toList();
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  private static List<Long> without(List<Long> all, List<Long> gone) {
    return all.stream().filter(s -> !gone.contains(s)).toList();
  }

  private Path segment(int index) {
    List<Path> segments = SpoolFiles.segments(dir);
    return segments.get(index < 0 ? segments.size() + index : index);
  }

  private static List<Long> seqsIn(Path segment) {
    return SpoolFiles.frames(segment).stream().map(SpoolFiles.Frame::seq).toList();
  }

  @Test
  void aBadChecksumInAMiddleSegmentLosesThatRecordOnly() throws Exception {
    fill(100);
    Path middle = segment(1);
    SpoolFiles.Frame hit = SpoolFiles.frames(middle).get(2);
    SpoolFiles.flipByte(middle, hit.offset() + SpoolFormat.FRAME_HEADER + 5);
    try (SpoolFiles.Warnings warnings = new SpoolFiles.Warnings();
        SegmentFileStore store = SegmentFileStore.open(dir, MAX, SEGMENT)) {
      assertThat(readAll(store)).isEqualTo(without(range(1, 100), List.of(hit.seq())));
      assertThat(store.corruptRecords()).isEqualTo(1);
      assertThat(store.skippedBytes()).isEqualTo(hit.end() - hit.offset());
      assertThat(store.records()).isEqualTo(99);
      assertThat(warnings.lines()).hasSize(1);
      assertThat(warnings.lines().get(0))
          .contains("1 records lost", middle.getFileName().toString(), "sequence " + hit.seq());
    }
  }

  @Test
  void aLengthPastTheFileEndInAMiddleSegmentLosesTheRestOfThatSegment() throws Exception {
    fill(100);
    Path middle = segment(1);
    List<SpoolFiles.Frame> frames = SpoolFiles.frames(middle);
    SpoolFiles.Frame hit = frames.get(3);
    SpoolFiles.write(middle, hit.offset(), ByteBuffer.allocate(4).putInt(50_000_000).array());
    List<Long> gone = frames.subList(3, frames.size()).stream().map(SpoolFiles.Frame::seq).toList();
    try (SegmentFileStore store = SegmentFileStore.open(dir, MAX, SEGMENT)) {
      assertThat(readAll(store)).isEqualTo(without(range(1, 100), gone));
      assertThat(store.corruptRecords()).isEqualTo(gone.size());
      assertThat(store.skippedBytes()).isEqualTo(Files.size(middle) - hit.offset());
    }
  }

  @Test
  void aLengthPastTheFileEndInTheNewestSegmentIsCutAndAppendsContinue() throws Exception {
    fill(100);
    Path newest = segment(-1);
    SpoolFiles.Frame last = SpoolFiles.frames(newest).get(SpoolFiles.frames(newest).size() - 1);
    SpoolFiles.write(
        newest, last.offset(), ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array());
    try (SegmentFileStore store = SegmentFileStore.open(dir, MAX, SEGMENT)) {
      assertThat(readAll(store)).isEqualTo(range(1, 99));
      assertThat(store.corruptRecords()).as("the clean close recorded 100").isEqualTo(1);
      assertThat(Files.size(newest)).as("cut").isEqualTo(last.offset());
      store.append(payload(101));
      store.append(payload(102));
    }
    try (SegmentFileStore store = SegmentFileStore.open(dir, MAX, SEGMENT)) {
      assertThat(readAll(store)).isEqualTo(without(range(1, 102), List.of(100L)));
      assertThat(store.skippedBytes()).as("nothing left to skip").isZero();
    }
  }

  @Test
  void garbageAfterTheLastRecordIsCutAndCountedOnce() throws Exception {
    fill(50);
    Path newest = segment(-1);
    long size = Files.size(newest);
    byte[] garbage = new byte[300];
    new Random(7).nextBytes(garbage);
    SpoolFiles.append(newest, garbage);
    try (SpoolFiles.Warnings warnings = new SpoolFiles.Warnings();
        SegmentFileStore store = SegmentFileStore.open(dir, MAX, SEGMENT)) {
      assertThat(readAll(store)).isEqualTo(range(1, 50));
      assertThat(store.skippedBytes()).isEqualTo(300);
      assertThat(store.corruptRecords()).isZero();
      assertThat(Files.size(newest)).isEqualTo(size);
      assertThat(warnings.lines()).singleElement().asString().contains("300 unreadable bytes");
      store.append(payload(51));
    }
    try (SegmentFileStore store = SegmentFileStore.open(dir, MAX, SEGMENT)) {
      assertThat(readAll(store)).isEqualTo(range(1, 51));
      assertThat(store.skippedBytes()).isZero();
    }
  }

  @Test
  void aZeroFilledTailAfterAPowerLossIsCut() throws Exception {
    fill(45);
    Path newest = segment(-1);
    List<SpoolFiles.Frame> frames = SpoolFiles.frames(newest);
    // the file system extended the file but the last three records never reached the disk
    SpoolFiles.Frame firstZeroed = frames.get(frames.size() - 3);
    long size = Files.size(newest);
    SpoolFiles.write(newest, firstZeroed.offset(), new byte[(int) (size - firstZeroed.offset())]);
    SpoolFiles.append(newest, new byte[4096]);
    try (SegmentFileStore store = SegmentFileStore.open(dir, MAX, SEGMENT)) {
      assertThat(readAll(store)).isEqualTo(range(1, 42));
      assertThat(store.corruptRecords()).isEqualTo(3);
      assertThat(store.skippedBytes()).isEqualTo(size - firstZeroed.offset() + 4096);
      store.append(payload(46));
      assertThat(readAll(store)).isEqualTo(without(range(1, 46), range(43, 45)));
    }
  }

  @Test
  void aTruncatedLastRecordIsCutSoAppendsContinueCleanly() throws Exception {
    fill(30);
    Path newest = segment(-1);
    SpoolFiles.Frame last = SpoolFiles.frames(newest).get(SpoolFiles.frames(newest).size() - 1);
    SpoolFiles.truncate(newest, last.offset() + 20);
    try (SegmentFileStore store = SegmentFileStore.open(dir, MAX, SEGMENT)) {
      assertThat(readAll(store)).isEqualTo(range(1, 29));
      assertThat(store.skippedBytes()).isEqualTo(20);
      assertThat(store.corruptRecords()).isEqualTo(1);
      for (int i = 31; i <= 40; i++) {
        store.append(payload(i));
      }
    }
    try (SegmentFileStore store = SegmentFileStore.open(dir, MAX, SEGMENT)) {
      assertThat(readAll(store)).isEqualTo(without(range(1, 40), List.of(30L)));
      assertThat(store.skippedBytes()).isZero();
    }
  }

  @Test
  void aMissingCursorDeliversAgainFromTheOldestRecordAndSaysSo() throws Exception {
    try (SegmentFileStore store = SegmentFileStore.open(dir, MAX, SEGMENT)) {
      for (int i = 1; i <= 100; i++) {
        store.append(payload(i));
      }
      List<RecordStore.Record> batch = store.peek(55, Long.MAX_VALUE, Duration.ZERO);
      store.ack(batch.get(54));
    }
    long oldest = seqsIn(segment(0)).get(0);
    Files.delete(dir.resolve(SpoolCursor.FILE));
    try (SpoolFiles.Warnings warnings = new SpoolFiles.Warnings();
        SegmentFileStore store = SegmentFileStore.open(dir, MAX, SEGMENT)) {
      assertThat(oldest).as("acknowledged records are delivered again").isLessThan(56);
      assertThat(readAll(store)).isEqualTo(range(oldest, 100));
      assertThat(store.corruptRecords()).isZero();
      assertThat(warnings.lines()).singleElement().asString().contains("cursor file is missing");
    }
  }

  @Test
  void aTornCursorSlotFallsBackToTheOtherOne() throws Exception {
    try (SegmentFileStore store = SegmentFileStore.open(dir, MAX, SEGMENT)) {
      for (int i = 1; i <= 20; i++) {
        store.append(payload(i));
      }
      store.ack(store.peek(5, Long.MAX_VALUE, Duration.ZERO).get(4));
      store.ack(store.peek(5, Long.MAX_VALUE, Duration.ZERO).get(4));
    }
    // the clean close wrote the newest slot; tear it: the slot before (acknowledged 10) remains
    byte[] torn = new byte[36];
    new Random(3).nextBytes(torn);
    Path cursor = dir.resolve(SpoolCursor.FILE);
    SpoolCursor.State[] before = new SpoolCursor.State[1];
    SpoolCursor.open(dir, before).close();
    long newestSlot = newestSlotOffset(cursor);
    SpoolFiles.write(cursor, newestSlot, torn);
    try (SegmentFileStore store = SegmentFileStore.open(dir, MAX, SEGMENT)) {
      assertThat(readAll(store)).isEqualTo(range(11, 20));
    }
  }

  /** The offset (0 or 512) of the slot with the higher write counter. */
  private static long newestSlotOffset(Path cursor) throws Exception {
    byte[] all = Files.readAllBytes(cursor);
    long a = ByteBuffer.wrap(all, 4, 8).getLong();
    long b = ByteBuffer.wrap(all, 516, 8).getLong();
    return a > b ? 0 : 512;
  }

  @Test
  void aCursorPastTheEndLeavesNothingWaitingAndNewRecordsContinueAboveIt() throws Exception {
    fill(20);
    try (SpoolCursor cursor = SpoolCursor.open(dir, new SpoolCursor.State[1])) {
      cursor.reset(5_000, 5_000);
    }
    try (SpoolFiles.Warnings warnings = new SpoolFiles.Warnings();
        SegmentFileStore store = SegmentFileStore.open(dir, MAX, SEGMENT)) {
      assertThat(readAll(store)).isEmpty();
      assertThat(store.records()).isZero();
      assertThat(warnings.lines()).singleElement().asString().contains("past the last stored");
      store.append(payload(5_001));
      assertThat(readAll(store)).containsExactly(5_001L);
    }
  }

  @Test
  void aDeletedMiddleSegmentIsCountedAndTheRestDelivered() throws Exception {
    fill(100);
    Path middle = segment(2);
    List<Long> gone = seqsIn(middle);
    Files.delete(middle);
    try (SegmentFileStore store = SegmentFileStore.open(dir, MAX, SEGMENT)) {
      assertThat(readAll(store)).isEqualTo(without(range(1, 100), gone));
      assertThat(store.corruptRecords()).isEqualTo(gone.size());
    }
  }

  @Test
  void aDeletedNewestSegmentIsCountedFromTheCleanClose() throws Exception {
    fill(100);
    Path newest = segment(-1);
    List<Long> gone = seqsIn(newest);
    Files.delete(newest);
    try (SegmentFileStore store = SegmentFileStore.open(dir, MAX, SEGMENT)) {
      assertThat(readAll(store)).isEqualTo(without(range(1, 100), gone));
      assertThat(store.corruptRecords()).isEqualTo(gone.size());
      store.append(payload(101));
      assertThat(readAll(store)).last().isEqualTo(101L);
    }
  }

  @Test
  void anUnreadableSegmentIsLeftInPlaceSkippedAndCounted() throws Exception {
    fill(100);
    Path middle = segment(1);
    List<Long> gone = seqsIn(middle);
    // tests run as root, which reads any file whatever its mode: a directory is what cannot be read
    Files.delete(middle);
    Files.createDirectory(middle);
    try (SpoolFiles.Warnings warnings = new SpoolFiles.Warnings();
        SegmentFileStore store = SegmentFileStore.open(dir, MAX, SEGMENT)) {
      assertThat(readAll(store)).isEqualTo(without(range(1, 100), gone));
      assertThat(store.corruptRecords()).isEqualTo(gone.size());
      assertThat(warnings.lines())
          .singleElement()
          .asString()
          .contains(middle.getFileName().toString(), "not a regular file");
      store.append(payload(101));
    }
    assertThat(middle).isDirectory();
  }

  @Test
  void garbageAndEmptyFilesWithSegmentNamesAreDeletedAndCounted() throws Exception {
    fill(10);
    byte[] garbage = new byte[500];
    new Random(11).nextBytes(garbage);
    Path junk = dir.resolve(SpoolFormat.segmentName(1_000));
    Files.write(junk, garbage);
    Path empty = Files.createFile(dir.resolve(SpoolFormat.segmentName(2_000)));
    try (SegmentFileStore store = SegmentFileStore.open(dir, MAX, SEGMENT)) {
      assertThat(readAll(store)).isEqualTo(range(1, 10));
      assertThat(store.skippedBytes()).isEqualTo(500);
      assertThat(junk).doesNotExist();
      assertThat(empty).doesNotExist();
      store.append(payload(11));
      assertThat(readAll(store)).isEqualTo(range(1, 11));
    }
  }

  @Test
  void aSegmentOfAnotherSpoolIsNotReadAsOurs() throws Exception {
    fill(10);
    Path foreign = dir.resolve(SpoolFormat.segmentName(500));
    ByteBuffer header =
        SpoolFormat.encodeHeader(new SpoolFormat.Header(UUID.randomUUID(), 500, 500));
    Files.write(foreign, header.array());
    try (SegmentFileStore store = SegmentFileStore.open(dir, MAX, SEGMENT)) {
      assertThat(readAll(store)).isEqualTo(range(1, 10));
      assertThat(foreign).doesNotExist();
      assertThat(store.skippedBytes()).isEqualTo(SpoolFormat.SEGMENT_HEADER);
    }
  }

  @Test
  void aDamagedStoreIdFileIsRecoveredFromTheSegments() throws Exception {
    String id;
    try (SegmentFileStore store = SegmentFileStore.open(dir, MAX, SEGMENT)) {
      id = store.storeId();
      store.append(payload(1));
    }
    Files.writeString(dir.resolve("store-id"), "not a uuid");
    try (SegmentFileStore store = SegmentFileStore.open(dir, MAX, SEGMENT)) {
      assertThat(store.storeId()).isEqualTo(id);
      assertThat(readAll(store)).containsExactly(1L);
    }
    assertThat(Files.readString(dir.resolve("store-id")).trim()).isEqualTo(id);
  }

  @Test
  void damageUnderARunningReaderIsSkippedAndCountedWithoutAnException() throws Exception {
    try (SegmentFileStore store = SegmentFileStore.open(dir, MAX, SEGMENT)) {
      for (int i = 1; i <= 10; i++) {
        store.append(payload(i));
      }
      Path current = segment(-1);
      SpoolFiles.Frame hit = SpoolFiles.frames(current).get(4);
      SpoolFiles.flipByte(current, hit.offset() + SpoolFormat.FRAME_HEADER);
      assertThat(readAll(store)).isEqualTo(without(range(1, 10), List.of(hit.seq())));
      assertThat(store.skippedBytes()).isEqualTo(hit.end() - hit.offset());
      assertThat(store.corruptRecords()).isEqualTo(1);
      // read again (no ack): not counted twice
      assertThat(readAll(store)).hasSize(9);
      assertThat(store.corruptRecords()).isEqualTo(1);
      assertThat(store.skippedBytes()).isEqualTo(hit.end() - hit.offset());
    }
  }
}
