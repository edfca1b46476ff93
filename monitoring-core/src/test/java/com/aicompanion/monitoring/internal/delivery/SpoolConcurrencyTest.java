package com.aicompanion.monitoring.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One appender, one reader and a syncing thread at once, over millions of small records. */
class SpoolConcurrencyTest {
  private static final int RECORDS = 2_000_000;

  @TempDir Path dir;

  @Test
  void oneWriterAndOneReaderSeeEveryRecordOnceInOrder() throws Exception {
    try (SegmentFileStore store = SegmentFileStore.open(dir, 32L << 20, 1 << 20)) {
      AtomicBoolean done = new AtomicBoolean();
      AtomicLong full = new AtomicLong();
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                try {
                  for (long n = 1; n <= RECORDS; n++) {
                    byte[] payload = SpoolChildProcess.payload(n, 8 + (int) (n % 25));
                    while (!store.append(payload)) {
                      full.incrementAndGet(); // bounded: wait for the reader to free segments
                      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                    }
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      CompletableFuture<Void> syncer =
          CompletableFuture.runAsync(
              () -> {
                try {
                  while (!done.get()) {
                    store.sync();
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      long expected = 1;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (expected <= RECORDS && System.nanoTime() < deadline) {
        List<RecordStore.Record> batch = store.peek(2000, 1 << 20, Duration.ofMillis(200));
        for (RecordStore.Record r : batch) {
          assertThat(r.sequence()).isEqualTo(expected);
          assertThat(r.payload())
              .isEqualTo(SpoolChildProcess.payload(expected, 8 + (int) (expected % 25)));
          expected++;
        }
        if (!batch.isEmpty()) {
          store.ack(batch.get(batch.size() - 1));
        }
      }
      done.set(true);
      writer.get(10, TimeUnit.SECONDS);
      syncer.get(10, TimeUnit.SECONDS);
      assertThat(expected - 1).isEqualTo(RECORDS);
      assertThat(store.peek(10, 100, Duration.ZERO)).isEmpty();
      assertThat(store.records()).isZero();
      assertThat(store.bytes()).isZero();
      assertThat(store.corruptRecords()).isZero();
      assertThat(store.skippedBytes()).isZero();
      assertThat(SpoolFiles.segments(dir)).as("acknowledged segments deleted").hasSize(1);
      assertThat(store.diskBytes()).isLessThanOrEqualTo(1 << 20);
      System.out.println("writer found the spool full " + full.get() + " times");
    }
  }
}
