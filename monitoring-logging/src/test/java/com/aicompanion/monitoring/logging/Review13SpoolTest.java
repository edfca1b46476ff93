package com.aicompanion.monitoring.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicompanion.monitoring.internal.delivery.RecordStore;
import com.aicompanion.monitoring.internal.delivery.SegmentFileStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Review 13: the staging buffer's edges, a closed store, peekAfter across acks and a reopen. */
class Review13SpoolTest {
  private static byte[] payload(int n, int size) {
    byte[] p = new byte[size];
    Arrays.fill(p, (byte) ('a' + n % 26));
    return p;
  }

  @Test
  void framesAroundTheStagingSizeComeBackAfterAReopenAndPeekAfterWalksThemInOrder(@TempDir Path dir)
      throws Exception {
    int staging = 256 * 1024;
    int[] sizes = {10, staging - 16, staging - 17, staging - 15, 1, staging - 16, staging, 0, 5};
    List<byte[]> payloads = new ArrayList<>();
    for (int i = 0; i < sizes.length; i++) {
      payloads.add(payload(i, sizes[i]));
    }
    try (SegmentFileStore spool = SegmentFileStore.open(dir, 64L << 20, 1 << 20)) {
      boolean[] stored = new boolean[payloads.size()];
      spool.appendAll(payloads, stored);
      assertThat(stored).containsOnly(true);
      // dispatch in batches of 2, ack the first batch only, then reopen (a crash-free restart)
      List<RecordStore.Record> first = spool.peekAfter(Long.MIN_VALUE, 2, Long.MAX_VALUE);
      List<RecordStore.Record> second =
          spool.peekAfter(first.get(first.size() - 1).sequence(), 2, Long.MAX_VALUE);
      List<RecordStore.Record> third =
          spool.peekAfter(second.get(second.size() - 1).sequence(), 2, Long.MAX_VALUE);
      assertThat(third.get(0).payload()).isEqualTo(payloads.get(4));
      spool.ack(first.get(1));
      List<RecordStore.Record> fourth =
          spool.peekAfter(third.get(third.size() - 1).sequence(), 100, Long.MAX_VALUE);
      assertThat(fourth).hasSize(3);
      spool.ack(second.get(0)); // an ack from an earlier batch than the last
      assertThat(spool.records()).isEqualTo(6);
    }
    try (SegmentFileStore spool = SegmentFileStore.open(dir, 64L << 20, 1 << 20)) {
      List<RecordStore.Record> rest = spool.peekAfter(Long.MIN_VALUE, 100, Long.MAX_VALUE);
      assertThat(rest).hasSize(6);
      for (int i = 0; i < rest.size(); i++) {
        assertThat(rest.get(i).payload()).isEqualTo(payloads.get(3 + i));
      }
      spool.ack(rest.get(rest.size() - 1));
      assertThat(spool.records()).isZero();
      assertThat(spool.bytes()).isZero();
    }
  }

  @Test
  void appendAllOnAClosedStoreFailsWithNothingSettled(@TempDir Path dir) throws Exception {
    SegmentFileStore spool = SegmentFileStore.open(dir, 1L << 20);
    spool.close();
    assertThatThrownBy(() -> spool.appendAll(List.of(new byte[10]), new boolean[1]))
        .isInstanceOfSatisfying(
            RecordStore.PartialAppendException.class, e -> assertThat(e.done()).isZero())
        .hasMessageContaining("closed");
  }
}
