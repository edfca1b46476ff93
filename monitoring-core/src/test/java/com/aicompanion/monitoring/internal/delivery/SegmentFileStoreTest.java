package com.aicompanion.monitoring.internal.delivery;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentFileStoreTest {
  private static final Duration NO_WAIT = Duration.ZERO;

  @TempDir Path dir;

  static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  static List<String> texts(List<RecordStore.Record> records) {
    return records.stream().map(r -> new String(r.payload(), UTF_8)).toList();
  }

  static List<Long> seqs(List<RecordStore.Record> records) {
    return records.stream().map(RecordStore.Record::sequence).toList();
  }

  @Test
  void recordsComeBackInAppendOrderWithSequencesFromOneAndPeekDoesNotConsume() throws Exception {
    try (SegmentFileStore store = SegmentFileStore.open(dir, 1 << 20)) {
      for (String s : List.of("a", "bb", "ccc", "")) {
        assertThat(store.append(bytes(s))).isTrue();
      }
      assertThat(store.records()).isEqualTo(4);
      assertThat(store.bytes()).isEqualTo(6);
      List<RecordStore.Record> first = store.peek(10, 1 << 20, NO_WAIT);
      assertThat(texts(first)).containsExactly("a", "bb", "ccc", "");
      assertThat(seqs(first)).containsExactly(1L, 2L, 3L, 4L);
      assertThat(texts(store.peek(10, 1 << 20, NO_WAIT))).containsExactly("a", "bb", "ccc", "");

      store.ack(first.get(1));
      assertThat(store.records()).isEqualTo(2);
      assertThat(store.bytes()).isEqualTo(3);
      assertThat(texts(store.peek(10, 1 << 20, NO_WAIT))).containsExactly("ccc", "");
    }
  }

  @Test
  void peekStopsAtMaxRecordsAndAboutMaxBytesButReturnsAtLeastOne() throws Exception {
    try (SegmentFileStore store = SegmentFileStore.open(dir, 1 << 20)) {
      for (int i = 0; i < 10; i++) {
        store.append(new byte[100]);
      }
      assertThat(store.peek(3, 1 << 20, NO_WAIT)).hasSize(3);
      assertThat(store.peek(10, 250, NO_WAIT)).hasSize(2);
      assertThat(store.peek(10, 10, NO_WAIT)).as("one record over maxBytes still comes").hasSize(1);
    }
  }

  @Test
  void acknowledgingTwiceFromOneBatchAndAnOldRecordAreFine() throws Exception {
    try (SegmentFileStore store = SegmentFileStore.open(dir, 1 << 20)) {
      for (int i = 0; i < 5; i++) {
        store.append(bytes("r" + i));
      }
      List<RecordStore.Record> batch = store.peek(5, 1 << 20, NO_WAIT);
      store.ack(batch.get(1));
      store.ack(batch.get(3));
      store.ack(batch.get(0)); // already acknowledged: nothing happens
      assertThat(texts(store.peek(5, 1 << 20, NO_WAIT))).containsExactly("r4");
      assertThat(store.records()).isEqualTo(1);
      assertThatThrownBy(() -> store.ack(new RecordStore.Record(99, new byte[0])))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Record 99 is not stored");
    }
  }

  @Test
  void aRecordFromAnEarlierLargerPeekCanBeAcknowledged() throws Exception {
    try (SegmentFileStore store = SegmentFileStore.open(dir, 1 << 20)) {
      for (int i = 0; i < 10; i++) {
        store.append(bytes("r" + i));
      }
      List<RecordStore.Record> large = store.peek(10, 1 << 20, NO_WAIT);
      store.peek(2, 1 << 20, NO_WAIT);
      store.ack(large.get(6));
      assertThat(store.records()).isEqualTo(3);
      assertThat(texts(store.peek(10, 1 << 20, NO_WAIT))).containsExactly("r7", "r8", "r9");
    }
  }

  @Test
  void peekWaitsForAFirstRecordAndWakesWhenOneIsAppended() throws Exception {
    try (SegmentFileStore store = SegmentFileStore.open(dir, 1 << 20)) {
      long start = System.nanoTime();
      assertThat(store.peek(10, 1000, Duration.ofMillis(50))).isEmpty();
      assertThat(System.nanoTime() - start)
          .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));

      CompletableFuture<List<RecordStore.Record>> result = new CompletableFuture<>();
      Thread reader = peekInThread(store, Duration.ofSeconds(30), result);
      awaitWaiting(reader);
      store.append(bytes("wake"));
      assertThat(texts(result.get(10, TimeUnit.SECONDS))).containsExactly("wake");
    }
  }

  @Test
  void closeWakesAWaitingReader() throws Exception {
    SegmentFileStore store = SegmentFileStore.open(dir, 1 << 20);
    CompletableFuture<List<RecordStore.Record>> result = new CompletableFuture<>();
    Thread reader = peekInThread(store, Duration.ofSeconds(60), result);
    awaitWaiting(reader);
    store.close();
    assertThat(result.get(10, TimeUnit.SECONDS)).isEmpty();
  }

  private static Thread peekInThread(
      SegmentFileStore store, Duration wait, CompletableFuture<List<RecordStore.Record>> result) {
    Thread t =
        new Thread(
            () -> {
              try {
                result.complete(store.peek(10, 1000, wait));
              } catch (Exception e) {
                result.completeExceptionally(e);
              }
            },
            "spool-test-reader");
    t.start();
    return t;
  }

  /** The reader parks in a timed wait: no busy loop. */
  private static void awaitWaiting(Thread reader) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> reader.getState() == Thread.State.TIMED_WAITING);
  }

  @Test
  void aRestartContinuesFromTheCursorWithTheSameSequencesAndTheSameStoreId() throws Exception {
    String id;
    try (SegmentFileStore store = SegmentFileStore.open(dir, 1 << 20, 1024)) {
      id = store.storeId();
      for (int i = 1; i <= 100; i++) {
        store.append(bytes("record-" + i));
      }
      List<RecordStore.Record> batch = store.peek(40, 1 << 20, NO_WAIT);
      store.ack(batch.get(39));
    }
    assertThat(SpoolFiles.segments(dir)).as("the unacknowledged ones span segments").hasSize(2);
    try (SegmentFileStore store = SegmentFileStore.open(dir, 1 << 20, 1024)) {
      assertThat(store.storeId()).isEqualTo(id);
      assertThat(store.records()).isEqualTo(60);
      List<RecordStore.Record> rest = store.peek(1000, 1 << 20, NO_WAIT);
      assertThat(seqs(rest)).first().isEqualTo(41L);
      assertThat(seqs(rest)).last().isEqualTo(100L);
      assertThat(texts(rest)).first().isEqualTo("record-41");
      store.append(bytes("after restart"));
      List<RecordStore.Record> all = store.peek(1000, 1 << 20, NO_WAIT);
      assertThat(all.get(all.size() - 1).sequence()).isEqualTo(101L);
      assertThat(store.corruptRecords()).isZero();
      assertThat(store.skippedBytes()).isZero();
    }
    assertThat(Files.readString(dir.resolve("store-id")).trim()).isEqualTo(id);
  }

  @Test
  void acknowledgedSegmentsAreDeletedAndTheNewestIsKept() throws Exception {
    try (SegmentFileStore store = SegmentFileStore.open(dir, 1 << 20, 1024)) {
      for (int i = 0; i < 200; i++) {
        store.append(new byte[50]);
      }
      int before = SpoolFiles.segments(dir).size();
      long diskBefore = store.diskBytes();
      List<RecordStore.Record> all = store.peek(1000, 1 << 20, NO_WAIT);
      store.ack(all.get(all.size() - 1));
      assertThat(before).isGreaterThan(5);
      assertThat(SpoolFiles.segments(dir)).hasSize(1);
      assertThat(store.diskBytes())
          .isLessThan(diskBefore)
          .isEqualTo(Files.size(SpoolFiles.segments(dir).get(0)));
      assertThat(store.records()).isZero();
      assertThat(store.bytes()).isZero();
    }
  }

  @Test
  void appendReturnsFalseAtTheByteBoundAndTrueAgainOnceSegmentsAreAcknowledged() throws Exception {
    try (SegmentFileStore store = SegmentFileStore.open(dir, 8192, 1024)) {
      int accepted = 0;
      while (store.append(new byte[100])) {
        accepted++;
      }
      assertThat(accepted).isBetween(50, 70);
      assertThat(store.diskBytes()).isLessThanOrEqualTo(8192);
      assertThat(totalSegmentBytes()).isEqualTo(store.diskBytes()).isLessThanOrEqualTo(8192);
      assertThat(store.append(new byte[100])).as("still full").isFalse();

      List<RecordStore.Record> some = store.peek(20, 1 << 20, NO_WAIT);
      store.ack(some.get(some.size() - 1));
      assertThat(store.append(new byte[100])).isTrue();
      assertThat(totalSegmentBytes()).isLessThanOrEqualTo(8192);
    }
  }

  private long totalSegmentBytes() throws Exception {
    long total = 0;
    for (Path p : SpoolFiles.segments(dir)) {
      total += Files.size(p);
    }
    return total;
  }

  @Test
  void aRecordLargerThanASegmentGetsItsOwn() throws Exception {
    try (SegmentFileStore store = SegmentFileStore.open(dir, 1 << 20, 1024)) {
      store.append(bytes("small"));
      byte[] big = new byte[5000];
      big[4999] = 7;
      assertThat(store.append(big)).isTrue();
      store.append(bytes("after"));
      List<RecordStore.Record> all = store.peek(10, 1 << 20, NO_WAIT);
      assertThat(all).hasSize(3);
      assertThat(all.get(1).payload()).isEqualTo(big);
      assertThat(store.append(new byte[2 << 20])).as("larger than the bound").isFalse();
    }
  }

  @Test
  void aDirectoryHeldByAnotherStoreIsRefusedNamingTheDirectoryAndTheFix() throws Exception {
    try (SegmentFileStore store = SegmentFileStore.open(dir, 1 << 20)) {
      store.append(bytes("x"));
      assertThatThrownBy(() -> SegmentFileStore.open(dir, 1 << 20))
          .isInstanceOf(SpoolInUseException.class)
          .hasMessageContaining(dir.toAbsolutePath().toString())
          .hasMessageContaining("another store in this JVM")
          .hasMessageContaining("give each instance its own directory");
    }
    try (SegmentFileStore again = SegmentFileStore.open(dir, 1 << 20)) {
      assertThat(again.records()).as("released at close").isEqualTo(1);
    }
  }

  @Test
  void aDirectoryHeldByAnotherProcessIsRefused() throws Exception {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process holder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classpath,
                SpoolChildProcess.class.getName(),
                "hold",
                dir.toString())
            .redirectErrorStream(true)
            .start();
    try (var out =
        new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream(), UTF_8))) {
      String line = out.readLine();
      while (line != null && !line.equals("open")) {
        line = out.readLine(); // anything the child logs before it holds the directory
      }
      assertThat(line).as("the child holds the directory").isEqualTo("open");
      assertThatThrownBy(() -> SegmentFileStore.open(dir, 1 << 20))
          .isInstanceOf(SpoolInUseException.class)
          .hasMessageContaining("another process")
          .hasMessageContaining(dir.toAbsolutePath().toString());
    } finally {
      holder.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    try (SegmentFileStore store = SegmentFileStore.open(dir, 1 << 20)) {
      assertThat(store.records()).as("a dead holder's lock is gone").isZero();
    }
  }

  @Test
  void badArgumentsAreRefusedNamingTheValueAndTheRule() {
    assertThatThrownBy(() -> SegmentFileStore.open(dir, 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBytes=100")
        .hasMessageContaining("at least 4096");
    assertThatThrownBy(() -> SegmentFileStore.open(dir, 1 << 20, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("segmentBytes=10");
  }

  @Test
  void anUncreatableDirectoryIsRefusedNamingIt() throws Exception {
    Path file = Files.writeString(dir.resolve("plain-file"), "x");
    assertThatThrownBy(() -> SegmentFileStore.open(file.resolve("spool"), 1 << 20))
        .hasMessageContaining("Cannot create the spool directory")
        .hasMessageContaining("plain-file");
  }

  @Test
  void afterCloseAppendAndAckFailAndPeekIsEmpty() throws Exception {
    SegmentFileStore store = SegmentFileStore.open(dir, 1 << 20);
    store.append(bytes("x"));
    List<RecordStore.Record> batch = store.peek(1, 100, NO_WAIT);
    store.close();
    store.close();
    assertThatThrownBy(() -> store.append(bytes("y"))).hasMessageContaining("is closed");
    assertThatThrownBy(() -> store.ack(batch.get(0))).hasMessageContaining("is closed");
    assertThat(store.peek(1, 100, Duration.ofSeconds(5))).isEmpty();
    store.sync();
  }

  @Test
  void syncForcesWithoutChangingWhatIsRead() throws Exception {
    try (SegmentFileStore store = SegmentFileStore.open(dir, 1 << 20, 1024)) {
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        store.append(bytes("s" + i));
        expected.add("s" + i);
        if (i % 7 == 0) {
          store.sync();
        }
      }
      store.sync();
      store.sync();
      assertThat(texts(store.peek(1000, 1 << 20, NO_WAIT))).isEqualTo(expected);
    }
  }
}
