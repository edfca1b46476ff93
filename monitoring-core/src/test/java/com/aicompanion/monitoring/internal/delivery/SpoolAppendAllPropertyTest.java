package com.aicompanion.monitoring.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link SegmentFileStore#appendAll} is {@link SegmentFileStore#append} one by one with fewer
 * writes: for any batches of any sizes (runs crossing segment ends and the byte bound), two spools
 * fed the same batches, one each way, store the same records, refuse the same ones, return the same
 * records with the same sequences, and hold the same bytes; and both give back the same records
 * after a restart.
 */
class SpoolAppendAllPropertyTest {
  private static final int SEGMENT = 1024;
  private static final long MAX = 12 * 1024;

  @Property(tries = 200)
  void appendAllStoresWhatAppendingOneByOneStores(@ForAll("batches") List<List<Integer>> batches)
      throws Exception {
    compare(batches, MAX, SEGMENT);
  }

  /**
   * Runs larger than appendAll's staging buffer (256 KiB): it writes the buffer whenever the next
   * frame does not fit, and a frame larger than the whole buffer on its own, between small ones.
   */
  @Property(tries = 25)
  void runsLargerThanTheStagingBufferAreStoredAlike(
      @ForAll("largeBatches") List<List<Integer>> batches) throws Exception {
    compare(batches, 24L << 20, 4 << 20);
  }

  private static void compare(List<List<Integer>> batches, long max, int segment) throws Exception {
    Path root = Files.createTempDirectory("spool-append-all");
    try {
      Path one = root.resolve("one");
      Path all = root.resolve("all");
      try (SegmentFileStore single = SegmentFileStore.open(one, max, segment);
          SegmentFileStore batched = SegmentFileStore.open(all, max, segment)) {
        int n = 0;
        for (List<Integer> sizes : batches) {
          List<byte[]> payloads = new ArrayList<>();
          boolean[] expected = new boolean[sizes.size()];
          for (int i = 0; i < sizes.size(); i++) {
            byte[] payload = SpoolChildProcess.payload(n++, sizes.get(i));
            payloads.add(payload);
            expected[i] = single.append(payload);
          }
          boolean[] stored = new boolean[sizes.size()];
          batched.appendAll(payloads, stored);
          assertThat(stored).as("which records fit").containsExactly(expected);
          assertThat(batched.diskBytes()).isEqualTo(single.diskBytes());
          assertThat(batched.records()).isEqualTo(single.records());
          assertThat(batched.diskBytes()).isLessThanOrEqualTo(max);
        }
        assertSameRecords(single, batched);
      }
      try (SegmentFileStore single = SegmentFileStore.open(one, max, segment);
          SegmentFileStore batched = SegmentFileStore.open(all, max, segment)) {
        assertThat(batched.corruptRecords()).isZero();
        assertSameRecords(single, batched);
      }
    } finally {
      com.aicompanion.monitoring.testsupport.TempDirs.deleteRecursively(root);
    }
  }

  private static void assertSameRecords(SegmentFileStore single, SegmentFileStore batched)
      throws Exception {
    List<RecordStore.Record> a = single.peek(Integer.MAX_VALUE, Long.MAX_VALUE, Duration.ZERO);
    List<RecordStore.Record> b = batched.peek(Integer.MAX_VALUE, Long.MAX_VALUE, Duration.ZERO);
    assertThat(b).hasSameSizeAs(a);
    for (int i = 0; i < a.size(); i++) {
      assertThat(b.get(i).sequence()).isEqualTo(a.get(i).sequence());
      assertThat(b.get(i).payload()).isEqualTo(a.get(i).payload());
    }
  }

  @Provide
  Arbitrary<List<List<Integer>>> batches() {
    return Arbitraries.integers()
        .between(0, 700)
        .list()
        .ofMinSize(1)
        .ofMaxSize(80)
        .list()
        .ofMinSize(1)
        .ofMaxSize(12);
  }

  @Provide
  Arbitrary<List<List<Integer>>> largeBatches() {
    return Arbitraries.oneOf(
            Arbitraries.integers().between(0, 2_000),
            Arbitraries.integers().between(60_000, 300_000))
        .list()
        .ofMinSize(1)
        .ofMaxSize(24)
        .list()
        .ofMinSize(1)
        .ofMaxSize(6);
  }
}
