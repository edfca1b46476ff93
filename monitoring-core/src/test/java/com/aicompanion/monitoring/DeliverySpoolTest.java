package com.aicompanion.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.testsupport.FreePort;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@link Delivery} with its public spool option: the real segment-file spool on disk, a real HTTP
 * receiver on 127.0.0.1, a destination that is down (a closed port).
 */
class DeliverySpoolTest {
  @TempDir Path dir;

  private static Delivery.Builder builder(URI uri) {
    return Delivery.builder("spool-test", new LineSender(uri))
        .logger(LoggerFactory.getLogger("com.example.delivery.spool"))
        .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
        .batch(100, 1 << 20, Duration.ofMillis(20))
        .closeTimeout(Duration.ofSeconds(2));
  }

  private static List<String> names(String prefix, int n) {
    return IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
  }

  @Test
  void whatIsSpooledWhileTheDestinationIsDownIsDeliveredAfterARestartWithTheSameIds() {
    URI dead = URI.create("http://127.0.0.1:" + FreePort.find() + "/ingest");
    List<String> sent = names("r", 250);
    String storeId;
    Delivery first = builder(dead).spool(dir, 1 << 20, Duration.ofMillis(50)).build();
    try {
      sent.forEach(s -> first.offer(s.getBytes(StandardCharsets.UTF_8)));
      await().atMost(Duration.ofSeconds(20)).until(() -> first.counts().failedAttempts() > 0);
      storeId = first.storeId();
      assertThat(first.spoolCounts().diskBytes()).isPositive();
    } finally {
      first.close();
    }
    assertThat(first.counts().dropped()).as("kept in the spool, not dropped").isZero();
    assertThat(first.counts().delivered()).isZero();

    try (LoopbackReceiver receiver = new LoopbackReceiver();
        Delivery second =
            builder(receiver.uri()).spool(dir, 1 << 20, Duration.ofSeconds(1)).build()) {
      await().atMost(Duration.ofSeconds(20)).until(() -> second.counts().delivered() == 250);
      // two requests in flight by default: the batches may arrive in either order
      assertThat(receiver.payloads()).containsExactlyInAnyOrderElementsOf(sent);
      assertThat(second.storeId()).isEqualTo(storeId);
      assertThat(
              receiver.requests().stream()
                  .flatMap(request -> request.records().stream())
                  .map(record -> record[0]))
          .contains(storeId + "-0000000000000001", storeId + "-00000000000000fa");
      assertThat(second.counts().offered()).as("nothing offered in this run").isZero();
      Delivery.SpoolCounts counts = second.spoolCounts();
      assertThat(counts.directory()).isEqualTo(dir);
      assertThat(counts.maxBytes()).isEqualTo(1 << 20);
      assertThat(counts.corruptRecords()).isZero();
      assertThat(counts.skippedBytes()).isZero();
    }
  }

  @Test
  void aSpoolDirectoryHeldByAnotherDeliveryFailsTheBuildNamingItAndTheFix() {
    URI dead = URI.create("http://127.0.0.1:" + FreePort.find() + "/ingest");
    try (Delivery holder = builder(dead).spool(dir, 1 << 20, Duration.ofSeconds(1)).build()) {
      assertThatThrownBy(() -> builder(dead).spool(dir, 1 << 20, Duration.ofSeconds(1)).build())
          .isInstanceOf(MonitoringException.class)
          .hasMessageContaining(dir.toString())
          .hasMessageContaining("in use")
          .hasMessageContaining("give each instance its own directory");
      assertThat(holder.spoolCounts()).isNotNull();
    }
  }

  @Test
  void aSpoolDirectoryThatCannotBeCreatedFailsTheBuildNamingIt() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
    Path below = file.resolve("spool");
    URI dead = URI.create("http://127.0.0.1:" + FreePort.find() + "/ingest");
    assertThatThrownBy(() -> builder(dead).spool(below, 1 << 20, Duration.ofSeconds(1)).build())
        .isInstanceOf(MonitoringException.class)
        .hasMessageContaining(below.toString())
        .hasMessageContaining("give a directory this process can create and write");
  }

  @Test
  void badSpoolArgumentsAreRefusedAtOnce() {
    URI dead = URI.create("http://127.0.0.1:1/x");
    assertThatThrownBy(() -> builder(dead).spool(dir, 100, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("100")
        .hasMessageContaining("4096");
    assertThatThrownBy(() -> builder(dead).spool(null, 1 << 20, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder(dead).spool(dir, 1 << 20, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT0S");
  }

  @Test
  void withoutASpoolThereAreNoSpoolCounts() {
    try (Delivery delivery = builder(URI.create("http://127.0.0.1:1/x")).build()) {
      assertThat(delivery.spoolCounts()).isNull();
    }
  }
}
