package com.aicompanion.monitoring.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The memory store: bounded by payload bytes, ordered, peek without consuming, ack consumes. */
class MemoryRecordStoreTest {

  @Test
  void appendsAreRefusedOncePayloadBytesReachTheBoundNotByCount() {
    MemoryRecordStore store = new MemoryRecordStore(100, Integer.MAX_VALUE);
    assertThat(store.append(new byte[60])).isTrue();
    assertThat(store.append(new byte[41])).isFalse();
    assertThat(store.append(new byte[40])).isTrue();
    for (int i = 0; i < 10; i++) {
      assertThat(store.append(new byte[0])).isTrue(); // empty records cost no payload
    }
    assertThat(store.bytes()).isEqualTo(100);
    assertThat(store.records()).isEqualTo(12);
  }

  @Test
  void aRecordBoundAppliesBesideTheByteBound() {
    MemoryRecordStore store = new MemoryRecordStore(1000, 2);
    assertThat(store.append(new byte[1])).isTrue();
    assertThat(store.append(new byte[1])).isTrue();
    assertThat(store.append(new byte[1])).isFalse();
  }

  @Test
  void peekReturnsTheSameRecordsUntilAckConsumesThemInOrder() throws Exception {
    MemoryRecordStore store = new MemoryRecordStore(1000, Integer.MAX_VALUE);
    for (int i = 0; i < 5; i++) {
      store.append(new byte[] {(byte) i});
    }
    List<RecordStore.Record> first = store.peek(3, 1000, Duration.ZERO);
    assertThat(first).extracting(RecordStore.Record::sequence).containsExactly(0L, 1L, 2L);
    assertThat(store.peek(3, 1000, Duration.ZERO)).isEqualTo(first);

    store.ack(first.get(1));
    assertThat(store.peek(10, 1000, Duration.ZERO))
        .extracting(RecordStore.Record::sequence)
        .containsExactly(2L, 3L, 4L);
    assertThat(store.records()).isEqualTo(3);
    assertThat(store.bytes()).isEqualTo(3);
  }

  @Test
  void peekStopsAtTheByteHintButAlwaysReturnsOneRecord() throws Exception {
    MemoryRecordStore store = new MemoryRecordStore(10_000, Integer.MAX_VALUE);
    store.append(new byte[500]);
    store.append(new byte[500]);
    assertThat(store.peek(10, 100, Duration.ZERO)).hasSize(1);
    assertThat(store.peek(10, 1000, Duration.ZERO)).hasSize(2);
  }

  @Test
  void peekWaitsForAFirstRecordAndCloseRefusesAppendsButKeepsWhatIsHeld() throws Exception {
    MemoryRecordStore store = new MemoryRecordStore(1000, Integer.MAX_VALUE);
    Thread reader = Thread.currentThread();
    Thread writer =
        new Thread(
            () -> {
              // append only once the reader is parked in peek, waiting for a first record
              org.awaitility.Awaitility.await()
                  .atMost(Duration.ofSeconds(10))
                  .until(() -> reader.getState() == Thread.State.TIMED_WAITING);
              store.append(new byte[] {7});
            });
    writer.start();
    assertThat(store.peek(1, 10, Duration.ofSeconds(10))).hasSize(1);
    writer.join();

    store.close();
    assertThat(store.append(new byte[1])).isFalse();
    assertThat(store.records()).isEqualTo(1);
    assertThat(store.clear()).isEqualTo(1);
    assertThat(store.records()).isZero();
  }

  @Test
  void eachStoreHasItsOwnId() {
    assertThat(new MemoryRecordStore(1, 1).storeId())
        .hasSize(12)
        .isNotEqualTo(new MemoryRecordStore(1, 1).storeId());
  }
}
