package com.aicompanion.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.LoopbackReceiver.Answer;
import com.aicompanion.monitoring.internal.delivery.Backoff;
import com.aicompanion.monitoring.internal.delivery.MemoryRecordStore;
import com.aicompanion.monitoring.internal.delivery.RecordStore;
import com.aicompanion.monitoring.testsupport.FreePort;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The delivery component alone, against real HTTP servers on 127.0.0.1: batching, request size,
 * per-record outcomes, 413 splitting, backoff, outage log lines, the close deadline and the
 * accounting {@code offered == delivered + rejected + dropped + queued}.
 */
class DeliveryTest {
  private static final String LOGGER = "com.example.delivery.test";

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final Outcomes outcomes = new Outcomes();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private <T extends AutoCloseable> T keep(T resource) {
    resources.add(resource);
    return resource;
  }

  private LoopbackReceiver receiver() {
    return keep(new LoopbackReceiver());
  }

  private Delivery.Builder builder(Delivery.Sender sender) {
    return Delivery.builder("delivery-test", sender)
        .destination("test receiver")
        .logger(LoggerFactory.getLogger(LOGGER))
        .listener(outcomes)
        .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
        .batch(100, 1 << 20, Duration.ofMillis(20));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> names(String prefix, int n) {
    return IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
  }

  private static void assertAccounted(Delivery delivery) {
    Delivery.Counts c = delivery.counts();
    assertThat(c.delivered() + c.rejected() + c.dropped() + c.queuedRecords())
        .as("delivered + rejected + dropped + queued == offered (%s)", c)
        .isEqualTo(c.offered());
  }

  /** Every outcome by reason, as a listener hears them. */
  static final class Outcomes implements Delivery.Listener {
    final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    @Override
    public void delivered(int count, String reason) {
      add("delivered:" + reason, count);
    }

    @Override
    public void rejected(int count, String reason) {
      add("rejected:" + reason, count);
    }

    @Override
    public void dropped(int count, String reason) {
      add("dropped:" + reason, count);
    }

    @Override
    public void failedAttempt(int count, String cause) {
      add("failedAttempt", count);
    }

    private void add(String key, int n) {
      counts.computeIfAbsent(key, k -> new AtomicInteger()).addAndGet(n);
    }

    int get(String key) {
      AtomicInteger n = counts.get(key);
      return n == null ? 0 : n.get();
    }
  }

  @Test
  void maxInFlightOutOfRangeIsRefusedNamingTheValueTheRuleAndTheFix() {
    Delivery.Builder b = Delivery.builder("bad", batch -> null);
    for (int bad : new int[] {0, -1, Delivery.MAX_IN_FLIGHT_LIMIT + 1}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.maxInFlight(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("maxInFlight(" + bad + ")")
          .hasMessageContaining("1 to " + Delivery.MAX_IN_FLIGHT_LIMIT)
          .hasMessageContaining("use 1 for one request at a time");
    }
  }

  @Test
  void recordsArriveOnceInOrderInBatchesOfAtMostTheConfiguredCount() {
    LoopbackReceiver receiver = receiver();
    Delivery delivery =
        keep(
            builder(new LineSender(receiver.uri()))
                .batch(10, 1 << 20, Duration.ofMillis(20))
                .maxInFlight(1) // in order: one request at a time
                .build());
    List<String> sent = names("r", 35);
    sent.forEach(s -> assertThat(delivery.offer(bytes(s))).isTrue());

    await().atMost(Duration.ofSeconds(20)).until(() -> delivery.counts().delivered() == 35);
    assertThat(receiver.payloads()).containsExactlyElementsOf(sent);
    assertThat(receiver.requests()).allSatisfy(r -> assertThat(r.records()).hasSizeBetween(1, 10));
    assertThat(outcomes.get("delivered:ok")).isEqualTo(35);
    assertThat(delivery.counts().queuedRecords()).isZero();
    assertAccounted(delivery);
  }

  @Test
  void aPartialBatchWaitsForTheLingerAndThenGoesAsOneRequest() {
    LoopbackReceiver receiver = receiver();
    Delivery delivery =
        keep(
            builder(new LineSender(receiver.uri()))
                .batch(100, 1 << 20, Duration.ofMillis(300))
                .build());
    long start = System.nanoTime();
    for (String s : names("p", 3)) {
      delivery.offer(bytes(s));
    }

    await().atMost(Duration.ofSeconds(20)).until(() -> delivery.counts().delivered() == 3);
    assertThat(receiver.requests()).hasSize(1);
    assertThat(Duration.ofNanos(receiver.requests().get(0).nanos() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(250));
  }

  @Test
  void noRequestExceedsTheByteLimitCountingTheFraming() {
    LoopbackReceiver receiver = receiver();
    Delivery delivery =
        keep(
            builder(new LineSender(receiver.uri()))
                .batch(1000, 200, Duration.ofMillis(10))
                .build());
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      // 24 payload bytes, 65 framed with the 22-character store id and 16-digit sequence
      sent.add(String.format("%03d", i) + "x".repeat(21));
    }
    sent.forEach(s -> delivery.offer(bytes(s)));

    await().atMost(Duration.ofSeconds(20)).until(() -> delivery.counts().delivered() == 40);
    assertThat(receiver.requests())
        .allSatisfy(r -> assertThat(r.body().length).isLessThanOrEqualTo(200));
    assertThat(receiver.requests()).anySatisfy(r -> assertThat(r.records()).hasSize(3));
    assertThat(receiver.payloads())
        .containsExactlyInAnyOrderElementsOf(sent); // two in flight: any order, each once
  }

  @Test
  void aFailingDestinationIsRetriedWithGrowingWaitsAndTheOutageAndRecoveryAreLogged() {
    AtomicInteger calls = new AtomicInteger();
    LoopbackReceiver receiver =
        receiver()
            .answer(r -> calls.incrementAndGet() <= 3 ? new Answer(503, "busy") : Answer.ok());
    try (LogCapture log = LogCapture.of(LOGGER)) {
      Delivery delivery =
          keep(
              builder(new LineSender(receiver.uri()))
                  .backoff(Duration.ofMillis(100), Duration.ofSeconds(2))
                  .build());
      names("f", 5).forEach(s -> delivery.offer(bytes(s)));

      await().atMost(Duration.ofSeconds(20)).until(() -> delivery.counts().delivered() == 5);
      assertThat(delivery.counts().failedAttempts()).isEqualTo(15);
      assertThat(outcomes.get("failedAttempt")).isEqualTo(15);
      List<LoopbackReceiver.Request> requests = receiver.requests();
      assertThat(requests).hasSize(4);
      // waits of 100, 200, 400 ms planned, each drawn from its upper half
      for (int i = 1; i < 4; i++) {
        long planned = 100L << (i - 1);
        assertThat(Duration.ofNanos(requests.get(i).nanos() - requests.get(i - 1).nanos()))
            .as("wait before attempt %d", i + 1)
            .isGreaterThanOrEqualTo(Duration.ofMillis(planned / 2));
      }
      assertThat(log.warnings())
          .singleElement()
          .satisfies(
              w ->
                  assertThat(w)
                      .contains("test receiver")
                      .contains("HTTP 503: busy")
                      .contains("5 waiting"));
      assertThat(log.messages())
          .anySatisfy(
              m -> assertThat(m).contains("test receiver works again").contains("5 sent now"));
    }
  }

  @Test
  void backoffDoublesUpToTheCapAndDrawsFromTheUpperHalf() {
    double[] draws = {0.0, 0.999, 0.5, 0.0, 0.999, 0.0};
    AtomicInteger next = new AtomicInteger();
    Backoff backoff =
        new Backoff(
            Duration.ofMillis(100), Duration.ofMillis(500), () -> draws[next.getAndIncrement()]);
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      waits.add(Duration.ofNanos(backoff.nextNanos()).toMillis());
    }
    // planned 100, 200, 400, 500 (cap), 500; jitter in [planned/2, planned]
    assertThat(waits).containsExactly(50L, 199L, 300L, 250L, 499L);
    backoff.reset();
    assertThat(Duration.ofNanos(backoff.nextNanos()).toMillis()).isEqualTo(50L);
  }

  @Test
  void aRefusedRequestIsRejectedWithItsReasonLoggedAndNotRetried() {
    LoopbackReceiver receiver = receiver().answer(r -> new Answer(400, "field x is bad"));
    try (LogCapture log = LogCapture.of(LOGGER)) {
      Delivery delivery = keep(builder(new LineSender(receiver.uri())).build());
      names("bad", 4).forEach(s -> delivery.offer(bytes(s)));

      await().atMost(Duration.ofSeconds(20)).until(() -> delivery.counts().rejected() == 4);
      receiver.answer(r -> Answer.ok());
      delivery.offer(bytes("good"));
      await().atMost(Duration.ofSeconds(20)).until(() -> delivery.counts().delivered() == 1);

      assertThat(receiver.requests()).hasSize(2);
      assertThat(outcomes.get("rejected:rejected")).isEqualTo(4);
      assertThat(log.warnings())
          .singleElement()
          .satisfies(
              w ->
                  assertThat(w)
                      .contains("4 record(s) refused by test receiver")
                      .contains("field x is bad"));
      assertAccounted(delivery);
    }
  }

  @Test
  void aRequestRefusedForOneRecordIsSplitSoThatTheOthersGetThrough() {
    LoopbackReceiver receiver =
        receiver()
            .answer(r -> r.text().contains("poison") ? new Answer(400, "poison") : Answer.ok());
    Delivery delivery = keep(builder(new LineSender(receiver.uri()).splitOn400()).build());
    List<String> sent = List.of("a", "b", "poison", "c", "d", "e");
    sent.forEach(s -> delivery.offer(bytes(s)));

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> delivery.counts().delivered() + delivery.counts().rejected() == 6);
    assertThat(outcomes.get("rejected:invalid")).isEqualTo(1);
    assertThat(outcomes.get("delivered:ok")).isEqualTo(5);
    List<String> accepted = new ArrayList<>();
    for (LoopbackReceiver.Request r : receiver.requests()) {
      if (!r.text().contains("poison")) {
        r.records().forEach(rec -> accepted.add(rec[1]));
      }
    }
    // the halves of a split may be in flight together: any order
    assertThat(accepted).containsExactlyInAnyOrder("a", "b", "c", "d", "e");
  }

  @Test
  void eachRecordGetsItsOwnOutcome() {
    AtomicInteger calls = new AtomicInteger();
    LoopbackReceiver receiver =
        receiver()
            .answer(
                r ->
                    calls.incrementAndGet() == 1
                        ? new Answer(207, "200\n409\n503\n400\n422\n")
                        : Answer.ok());
    Delivery delivery = keep(builder(new LineSender(receiver.uri())).build());
    List.of("a", "b", "c", "d", "e").forEach(s -> delivery.offer(bytes(s)));

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> delivery.counts().delivered() + delivery.counts().rejected() == 5);
    assertThat(outcomes.get("delivered:ok")).isEqualTo(2); // a, then c on its retry
    assertThat(outcomes.get("delivered:duplicate")).isEqualTo(1); // b
    assertThat(outcomes.get("delivered:upper_case")).isEqualTo(1); // e, resent as E
    assertThat(outcomes.get("rejected:rejected")).isEqualTo(1); // d
    assertThat(outcomes.get("failedAttempt")).isEqualTo(1);
    assertThat(receiver.requests()).hasSize(2);
    assertThat(receiver.requests().get(1).records())
        .extracting(rec -> rec[1])
        .containsExactly("c", "E");
    // the id of a record stays the same on every attempt
    assertThat(receiver.requests().get(1).records().get(0)[0])
        .isEqualTo(receiver.requests().get(0).records().get(2)[0])
        .isEqualTo(delivery.storeId() + "-0000000000000002");
    assertAccounted(delivery);
  }

  @Test
  void aRecordOverTheRequestLimitIsShortenedWhenTheSenderCanAndRejectedAsOversizeOtherwise() {
    LoopbackReceiver receiver = receiver();
    Delivery shortening =
        keep(builder(new LineSender(receiver.uri(), true)).batch(100, 100, Duration.ZERO).build());
    shortening.offer(bytes("y".repeat(300)));
    shortening.offer(bytes("small"));
    await().atMost(Duration.ofSeconds(20)).until(() -> shortening.counts().delivered() == 2);
    assertThat(outcomes.get("delivered:shortened")).isEqualTo(1);
    assertThat(receiver.payloads()) // two requests in flight: any order
        .anySatisfy(p -> assertThat(p).endsWith("~").startsWith("yyy"))
        .contains("small");
    assertThat(receiver.requests())
        .allSatisfy(r -> assertThat(r.body().length).isLessThanOrEqualTo(100));

    LoopbackReceiver other = receiver();
    Delivery plain =
        keep(builder(new LineSender(other.uri())).batch(100, 100, Duration.ZERO).build());
    plain.offer(bytes("z".repeat(300)));
    plain.offer(bytes("fits"));
    await().atMost(Duration.ofSeconds(20)).until(() -> plain.counts().delivered() == 1);
    assertThat(outcomes.get("rejected:oversize")).isEqualTo(1);
    assertThat(other.payloads()).containsExactly("fits");
    assertAccounted(plain);
  }

  @Test
  void aTooLargeAnswerSplitsTheBatchInOrderDownToSingleRecordsAndLowersTheLimit() {
    LoopbackReceiver receiver =
        receiver().answer(r -> r.body().length > 150 ? new Answer(413, "too large") : Answer.ok());
    try (LogCapture log = LogCapture.of(LOGGER)) {
      Delivery delivery =
          keep(
              builder(new LineSender(receiver.uri()))
                  .batch(100, 10_000, Duration.ofMillis(50))
                  .build());
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        sent.add(i + "-" + "k".repeat(38));
      }
      sent.forEach(s -> delivery.offer(bytes(s)));
      await().atMost(Duration.ofSeconds(20)).until(() -> delivery.counts().delivered() == 10);

      List<String> accepted = new ArrayList<>();
      for (LoopbackReceiver.Request r : receiver.requests()) {
        if (r.body().length <= 150) {
          r.records().forEach(rec -> accepted.add(rec[1]));
        }
      }
      assertThat(accepted).containsExactlyInAnyOrderElementsOf(sent);
      assertThat(log.warnings()).anySatisfy(w -> assertThat(w).contains("refused a request of"));

      // later batches stay under the learned limit: no more 413 for records that fit alone
      int before = receiver.requests().size();
      for (int i = 0; i < 6; i++) {
        delivery.offer(bytes(i + "-" + "L".repeat(38)));
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> delivery.counts().delivered() == 16);
      assertThat(receiver.requests().subList(before, receiver.requests().size()))
          .allSatisfy(r -> assertThat(r.body().length).isLessThanOrEqualTo(150));
      assertThat(delivery.counts().rejected()).isZero();
    }
  }

  @Test
  void aLargeBatchBehindASmallLimitCostsAboutOneRefusalPerHalvingNotOnePerPart() {
    AtomicInteger refused = new AtomicInteger();
    LoopbackReceiver receiver =
        receiver()
            .answer(
                r -> {
                  if (r.body().length > 4096) {
                    refused.incrementAndGet();
                    return new Answer(413, "");
                  }
                  return Answer.ok();
                });
    Delivery delivery =
        keep(
            builder(new LineSender(receiver.uri()))
                .batch(10_000, 1 << 20, Duration.ofMillis(200))
                .build());
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      sent.add(String.format("%04d", i) + "b".repeat(96));
    }
    sent.forEach(s -> delivery.offer(bytes(s)));

    await().atMost(Duration.ofSeconds(30)).until(() -> delivery.counts().delivered() == 3000);
    List<String> accepted = new ArrayList<>();
    for (LoopbackReceiver.Request r : receiver.requests()) {
      if (r.body().length <= 4096) {
        r.records().forEach(rec -> accepted.add(rec[1]));
      }
    }
    assertThat(accepted).containsExactlyInAnyOrderElementsOf(sent);
    // ~350 KB down to 4 KiB is 7 halvings; sending both halves of every level would be ~127
    assertThat(refused.get()).isBetween(1, 12);
  }

  @Test
  void closeAbandonsARequestThatNeverAnswersAtTheDeadlineAndCountsWhatWasNotSent() {
    LoopbackReceiver receiver = receiver().hang();
    try (LogCapture log = LogCapture.of(LOGGER)) {
      Delivery delivery =
          builder(new LineSender(receiver.uri()))
              .requestTimeout(Duration.ofMinutes(1))
              .closeTimeout(Duration.ofMillis(500))
              .build();
      names("h", 20).forEach(s -> delivery.offer(bytes(s)));
      await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requests().size() == 1);

      long start = System.nanoTime();
      delivery.close();
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(took).isLessThan(Duration.ofMillis(500 + 400));
      assertThat(delivery.counts().dropped()).isEqualTo(20);
      assertThat(outcomes.get("dropped:close_deadline")).isEqualTo(20);
      assertThat(delivery.counts().queuedRecords()).isZero();
      assertAccounted(delivery);
      assertThat(log.warnings())
          .anySatisfy(
              w ->
                  assertThat(w)
                      .contains("20 record(s) not sent to test receiver by the close deadline"));
    }
  }

  @Test
  void closeFlushesWhatIsQueued() {
    LoopbackReceiver receiver = receiver();
    Delivery delivery =
        builder(new LineSender(receiver.uri())).batch(1000, 1 << 20, Duration.ofMinutes(1)).build();
    List<String> sent = names("q", 50);
    sent.forEach(s -> delivery.offer(bytes(s)));
    assertThat(receiver.requests()).isEmpty();

    delivery.close();

    assertThat(delivery.counts().delivered()).isEqualTo(50);
    assertThat(receiver.payloads()).containsExactlyInAnyOrderElementsOf(sent);
    assertThat(delivery.offer(bytes("late"))).isFalse();
    assertThat(outcomes.get("dropped:closed")).isEqualTo(1);
    assertAccounted(delivery);
  }

  @Test
  void closeWhileTheDestinationIsDownDropsAtOnceInsteadOfWaitingOutTheBackoff() {
    URI dead = URI.create("http://127.0.0.1:" + FreePort.find() + "/ingest");
    Delivery delivery =
        builder(new LineSender(dead))
            .backoff(Duration.ofSeconds(3), Duration.ofSeconds(10))
            .closeTimeout(Duration.ofSeconds(20))
            .build();
    names("d", 10).forEach(s -> delivery.offer(bytes(s)));
    await().atMost(Duration.ofSeconds(20)).until(() -> delivery.counts().failedAttempts() >= 10);

    long start = System.nanoTime();
    delivery.close();

    // one more attempt at once, then no backoff wait (3 s) and no waiting for the deadline (20 s)
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(outcomes.get("dropped:close_failing")).isEqualTo(10);
    assertAccounted(delivery);
  }

  @Test
  void aFullQueueDropsNewRecordsAndCountsThemWithoutBlocking() {
    LoopbackReceiver receiver = receiver().hang();
    try (LogCapture log = LogCapture.of(LOGGER)) {
      Delivery delivery =
          builder(new LineSender(receiver.uri()))
              .queue(1000, Integer.MAX_VALUE)
              .requestTimeout(Duration.ofMinutes(1))
              .closeTimeout(Duration.ofMillis(200))
              .build();
      int accepted = 0;
      for (int i = 0; i < 50; i++) {
        if (delivery.offer(bytes(String.format("%02d", i) + "m".repeat(98)))) {
          accepted++;
        }
      }
      // 1000 bytes hold 10 records of 100 bytes, whatever the worker took in flight
      assertThat(accepted).isEqualTo(10);
      assertThat(outcomes.get("dropped:queue_full")).isEqualTo(40);
      assertThat(delivery.queuedBytes()).isEqualTo(1000);
      assertAccounted(delivery);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> log.warnings().stream().anyMatch(w -> w.contains("(queue_full)")));
      delivery.close();
      assertAccounted(delivery);
      assertThat(delivery.counts().dropped()).isEqualTo(50);
    }
  }

  @Test
  void aPeriodicTaskRunsOnTheWorkerAndCanOfferAgain() {
    LoopbackReceiver receiver = receiver();
    Delivery[] holder = new Delivery[1];
    Delivery delivery =
        keep(
            builder(new LineSender(receiver.uri()))
                .every(Duration.ofMillis(50), () -> holder[0].offer(bytes("tick")))
                .build());
    holder[0] = delivery;
    await().atMost(Duration.ofSeconds(20)).until(() -> delivery.counts().delivered() >= 3);
    assertThat(receiver.payloads()).allMatch("tick"::equals);
  }

  /** A store whose appends take 20 ms each, standing in for a slow disk. */
  static final class SlowStore implements RecordStore {
    final MemoryRecordStore inner = new MemoryRecordStore(1 << 20, Integer.MAX_VALUE);
    final AtomicInteger appended = new AtomicInteger();

    @Override
    public String storeId() {
      return "durable1";
    }

    @Override
    public boolean append(byte[] payload) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      appended.incrementAndGet();
      return inner.append(payload);
    }

    @Override
    public List<Record> peek(int maxRecords, long maxBytes, Duration wait)
        throws InterruptedException {
      return inner.peek(maxRecords, maxBytes, wait);
    }

    @Override
    public List<Record> peekAfter(long afterSequence, int maxRecords, long maxBytes) {
      return inner.peekAfter(afterSequence, maxRecords, maxBytes);
    }

    @Override
    public void ack(Record last) {
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
    public void sync() {}

    @Override
    public void close() {}
  }

  @Test
  void withADurableStoreOffersDoNotWaitForItAndRecordsCarryItsId() {
    LoopbackReceiver receiver = receiver();
    SlowStore store = new SlowStore();
    Delivery delivery =
        keep(builder(new LineSender(receiver.uri())).store(store, Duration.ofMillis(100)).build());
    List<String> sent = names("s", 30);
    sent.forEach(s -> assertThat(delivery.offer(bytes(s))).isTrue());
    // 30 appends take 600 ms: the offers returned before the store took them all
    assertThat(store.appended.get()).isLessThan(30);

    await().atMost(Duration.ofSeconds(20)).until(() -> delivery.counts().delivered() == 30);
    assertThat(receiver.payloads()).containsExactlyInAnyOrderElementsOf(sent);
    assertThat(receiver.requests().get(0).records().get(0)[0])
        .isEqualTo("durable1-0000000000000000");
  }

  @Test
  void withADurableStoreCloseKeepsWhatItCouldNotSendInsteadOfDroppingIt() {
    URI dead = URI.create("http://127.0.0.1:" + FreePort.find() + "/ingest");
    SlowStore store = new SlowStore();
    Delivery delivery =
        builder(new LineSender(dead))
            .store(store, Duration.ofMillis(100))
            .closeTimeout(Duration.ofSeconds(5))
            .build();
    names("k", 5).forEach(s -> delivery.offer(bytes(s)));
    await().atMost(Duration.ofSeconds(20)).until(() -> delivery.counts().failedAttempts() >= 5);

    delivery.close();

    assertThat(delivery.counts().dropped()).isZero();
    assertThat(store.records()).isEqualTo(5);
  }
}
