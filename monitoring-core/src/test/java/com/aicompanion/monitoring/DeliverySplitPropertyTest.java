package com.aicompanion.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.LoopbackReceiver.Answer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.slf4j.LoggerFactory;

/**
 * Request size for every input: records of random sizes, a random request byte limit and a receiver
 * (real HTTP on 127.0.0.1) that answers 413 above its own random limit. Whatever they are, no
 * request exceeds the configured limit, every record is delivered exactly once or counted as
 * oversize (exactly those that cannot pass alone), and what is delivered arrives in order.
 */
class DeliverySplitPropertyTest {
  private LoopbackReceiver receiver;

  @BeforeProperty
  void start() {
    receiver = new LoopbackReceiver();
  }

  @AfterProperty
  void stop() {
    receiver.close();
  }

  @Property(tries = 120)
  void requestsStayUnderTheLimitAndEveryRecordIsDeliveredInOrderOrCountedOversize(
      @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 1, max = 600) Integer> sizes,
      @ForAll @IntRange(min = 64, max = 2048) int batchBytes,
      @ForAll @IntRange(min = 64, max = 2048) int receiverLimit,
      @ForAll @IntRange(min = 1, max = 50) int batchRecords,
      @ForAll @IntRange(min = 1, max = 3) int maxInFlight) {
    receiver.clear();
    receiver.answer(r -> r.body().length > receiverLimit ? new Answer(413, "") : Answer.ok());
    LineSender sender = new LineSender(receiver.uri());
    Delivery delivery =
        Delivery.builder("split-property", sender)
            .logger(LoggerFactory.getLogger("com.example.delivery.property"))
            .batch(batchRecords, batchBytes, Duration.ZERO)
            .backoff(Duration.ofMillis(5), Duration.ofMillis(20))
            .maxInFlight(maxInFlight)
            .build();
    List<String> payloads = new ArrayList<>();
    List<String> passAlone = new ArrayList<>();
    try {
      for (int i = 0; i < sizes.size(); i++) {
        String head = i + ":";
        String payload = head + "x".repeat(Math.max(0, sizes.get(i) - head.length()));
        payloads.add(payload);
        // the request of this record alone, as LineSender frames it
        long alone =
            new Delivery.Item(delivery.storeId(), i, new byte[0]).idLength()
                + 1
                + payload.length()
                + 1;
        if (alone <= Math.min(batchBytes, receiverLimit)) {
          passAlone.add(payload);
        }
        assertThat(delivery.offer(payload.getBytes(StandardCharsets.UTF_8))).isTrue();
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> delivery.counts().delivered() + delivery.counts().rejected() == sizes.size());
    } finally {
      delivery.close();
    }

    List<String> accepted = new ArrayList<>();
    for (LoopbackReceiver.Request request : receiver.requests()) {
      assertThat(request.body().length).isLessThanOrEqualTo(batchBytes);
      if (request.body().length <= receiverLimit) {
        request.records().forEach(r -> accepted.add(r[1]));
      }
    }
    if (maxInFlight == 1) {
      assertThat(accepted).containsExactlyElementsOf(passAlone);
    } else { // requests in flight together may complete in any order; each record once
      assertThat(accepted).containsExactlyInAnyOrderElementsOf(passAlone);
    }
    assertThat(delivery.counts().delivered()).isEqualTo(passAlone.size());
    assertThat(delivery.counts().rejected()).isEqualTo(sizes.size() - passAlone.size());
    assertThat(delivery.counts().dropped()).isZero();
  }
}
