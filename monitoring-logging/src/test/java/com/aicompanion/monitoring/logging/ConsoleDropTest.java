package com.aicompanion.monitoring.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The console queue under a stalled stdout: the application goes on and every drop is counted. */
class ConsoleDropTest {
  private static final Logger LOG = LoggerFactory.getLogger("com.example.chat.Burst");

  /** A stdout whose first write hangs until released, like a terminal nobody reads. */
  private static final class StalledOutput extends OutputStream {
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch stalled = new CountDownLatch(1);
    final LineSink sink = new LineSink();

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      stalled.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      sink.write(b, off, len);
    }
  }

  @Test
  void fullConsoleQueueDropsWithoutBlockingAndCountsEveryDropInItsOwnMetric() throws Exception {
    StalledOutput out = new StalledOutput();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    JsonLogging logging =
        JsonLogging.builder("burst-svc")
            .output(out)
            .config("log.queue.capacity", "16")
            .meterRegistry(registry)
            .install();
    try {
      // the install line is being written and hangs: the queue can only fill from here on
      assertThat(out.stalled.await(10, TimeUnit.SECONDS)).isTrue();
      long start = System.nanoTime();
      for (int i = 0; i < 100; i++) {
        LOG.info("burst {}", i);
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

      long dropped = logging.consoleDroppedEvents();
      assertThat(dropped).isGreaterThanOrEqualTo(100 - 16);
      assertThat(registry.get("monitoring.log.console.dropped").functionCounter().count())
          .isEqualTo((double) dropped);
      // the shipper's outcomes are not touched by console drops
      assertThat(logging.droppedEvents()).isZero();

      out.release.countDown();
    } finally {
      out.release.countDown();
      logging.close();
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        out.sink.json().stream()
                                .filter(d -> d.get("message").asText().startsWith("burst "))
                                .count()
                            + logging.consoleDroppedEvents())
                    .isEqualTo(100));
  }
}
