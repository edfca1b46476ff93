package com.aicompanion.monitoring.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.testsupport.opensearch.OpenSearchExtension;
import com.aicompanion.monitoring.testsupport.opensearch.OpenSearchNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 13 item 9: {@code close()} keeps {@code log.close.timeout} with a {@code _bulk} request in
 * flight that is never answered (a real proxy in front of the node takes it and stays silent), and
 * counts what it did not send.
 */
@ExtendWith(OpenSearchExtension.class)
class ElasticsearchCloseDeadlineTest {
  private static final Logger LOG = LoggerFactory.getLogger("com.example.chat.Closing");
  private static final int INSTALL_LINE = 1;

  private NodeProxy proxy;

  @AfterEach
  void stopProxy() {
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  void closeReturnsWithinTheTimeoutWithARequestInFlightAndCountsItsEventsAsDropped(
      OpenSearchNode node) {
    proxy = new NodeProxy(node.uri()).hangBulk();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    LineSink sink = new LineSink();
    JsonLogging logging =
        JsonLogging.builder("deadline-svc")
            .output(sink)
            .elasticsearch(proxy.uri())
            .config("elasticsearch.flush.interval", "100ms")
            .config("log.close.timeout", "1s")
            // memory only: a spool keeps what close could not send for the next start instead
            .config("elasticsearch.spool", "false")
            .meterRegistry(meters)
            .install();
    for (int i = 0; i < 10; i++) {
      LOG.info("never answered {}", i);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> !proxy.bulkSizes().isEmpty());

    long start = System.nanoTime();
    logging.close();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(took).isLessThan(Duration.ofMillis(1000 + 500));
    assertThat(logging.shippedEvents()).isZero();
    assertThat(logging.failedEvents()).isZero();
    assertThat(logging.droppedEvents()).isEqualTo(10 + INSTALL_LINE);
    assertThat(
            meters
                .get("monitoring.log.event.reasons")
                .tag("outcome", "dropped")
                .tag("reason", "close_deadline")
                .functionCounter()
                .count())
        .isEqualTo(10.0 + INSTALL_LINE);
    assertThat(sink.text())
        .contains("11 log event(s) not sent to " + proxy.uri() + " by the close deadline (1.0s)");
    assertThat(node.uri()).isNotNull();
  }
}
