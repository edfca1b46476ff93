package com.aicompanion.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.internal.delivery.MemoryRecordStore;
import com.aicompanion.monitoring.internal.delivery.RecordStore;
import com.aicompanion.monitoring.internal.delivery.SegmentFileStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.slf4j.LoggerFactory;

/**
 * Requests in flight for every order: batches of random size, up to four in flight, answered in a
 * random order, some of them failing (retried after backoff), with a memory store or a disk spool.
 * Whatever the order, the store is acknowledged in strictly increasing sequence order and never
 * past a record that has not been delivered (so a crash could only resend, never lose), no more
 * requests are in flight than allowed, and every record ends delivered.
 */
class DeliveryInFlightPropertyTest {

  @Property(tries = 100)
  void theStoreIsAcknowledgedInSequenceAndNeverPastAnUndeliveredRecord(
      @ForAll @IntRange(min = 1, max = 60) int records,
      @ForAll @IntRange(min = 1, max = 6) int batchRecords,
      @ForAll @IntRange(min = 1, max = 4) int maxInFlight,
      @ForAll @IntRange(min = 0, max = 40) int failurePercent,
      @ForAll boolean spool,
      @ForAll Random random)
      throws Exception {
    Path dir = spool ? Files.createTempDirectory("inflight-property") : null;
    RecordStore inner =
        dir != null
            ? SegmentFileStore.open(dir, 1 << 20, 4096)
            : new MemoryRecordStore(1 << 20, Integer.MAX_VALUE);
    Set<Long> delivered = ConcurrentHashMap.newKeySet();
    CheckingStore store = new CheckingStore(inner, delivered);
    LinkedBlockingQueue<Attempt> sent = new LinkedBlockingQueue<>();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostInFlight = new AtomicInteger();
    Delivery delivery =
        Delivery.builder(
                "inflight-property",
                batch -> {
                  mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                  CompletableFuture<Delivery.Result> answer = new CompletableFuture<>();
                  sent.add(new Attempt(batch, answer));
                  return answer;
                })
            .logger(LoggerFactory.getLogger("com.example.delivery.inflight"))
            .store(store, Duration.ofMillis(50))
            .batch(batchRecords, 1 << 20, Duration.ZERO)
            .backoff(Duration.ofMillis(1), Duration.ofMillis(2))
            .maxInFlight(maxInFlight)
            .build();
    try {
      for (int i = 0; i < records; i++) {
        assertThat(delivery.offer(("r" + i).getBytes(StandardCharsets.UTF_8))).isTrue();
      }
      List<Attempt> open = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (delivery.counts().delivered() < records && System.nanoTime() < deadline) {
        sent.drainTo(open);
        if (open.isEmpty()) {
          Attempt next = sent.poll(20, TimeUnit.MILLISECONDS);
          if (next != null) {
            open.add(next);
          }
          continue;
        }
        // answer one of the requests in flight, chosen at random
        Attempt attempt = open.remove(random.nextInt(open.size()));
        inFlight.decrementAndGet();
        if (random.nextInt(100) < failurePercent) {
          attempt.answer().complete(Delivery.Result.retry("HTTP 503"));
        } else {
          attempt.batch().items().forEach(item -> delivered.add(item.sequence()));
          attempt.answer().complete(Delivery.Result.delivered());
        }
      }
      assertThat(delivery.counts().delivered()).isEqualTo(records);
    } finally {
      delivery.close();
      if (dir != null) {
        com.aicompanion.monitoring.testsupport.TempDirs.deleteRecursively(dir);
      }
    }
    assertThat(store.violations).isEmpty();
    assertThat(store.acks).isNotEmpty().isSorted().doesNotHaveDuplicates();
    assertThat(store.records()).isZero(); // acknowledged up to the last record
    assertThat(mostInFlight.get()).isBetween(1, maxInFlight);
  }

  private record Attempt(Delivery.Batch batch, CompletableFuture<Delivery.Result> answer) {}

  /** A store that checks every acknowledgement against what the destination took. */
  private static final class CheckingStore implements RecordStore {
    final RecordStore inner;
    final Set<Long> delivered;
    final List<Long> acks = new CopyOnWriteArrayList<>();
    final List<String> violations = new CopyOnWriteArrayList<>();

    CheckingStore(RecordStore inner, Set<Long> delivered) {
      this.inner = inner;
      this.delivered = delivered;
    }

    @Override
    public String storeId() {
      return inner.storeId();
    }

    @Override
    public boolean append(byte[] payload) throws IOException {
      return inner.append(payload);
    }

    @Override
    public List<Record> peek(int maxRecords, long maxBytes, Duration wait)
        throws IOException, InterruptedException {
      return inner.peek(maxRecords, maxBytes, wait);
    }

    @Override
    public List<Record> peekAfter(long afterSequence, int maxRecords, long maxBytes)
        throws IOException {
      return inner.peekAfter(afterSequence, maxRecords, maxBytes);
    }

    @Override
    public void ack(Record last) throws IOException {
      long seq = last.sequence();
      if (!acks.isEmpty() && seq <= acks.get(acks.size() - 1)) {
        violations.add("ack " + seq + " after ack " + acks.get(acks.size() - 1));
      }
      // what the store holds now: the acknowledgement discards those up to seq
      for (Record held : inner.peekAfter(Long.MIN_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE)) {
        if (held.sequence() <= seq && !delivered.contains(held.sequence())) {
          violations.add(
              "ack " + seq + " would discard record " + held.sequence() + " undelivered");
        }
      }
      acks.add(seq);
      inner.ack(last);
    }

    @Override
    public long bytes() {
      return inner.bytes();
    }

    @Override
    public long records() {
      return inner.records();
    }

    @Override
    public void sync() throws IOException {
      inner.sync();
    }

    @Override
    public void close() throws IOException {
      inner.close();
    }
  }
}
