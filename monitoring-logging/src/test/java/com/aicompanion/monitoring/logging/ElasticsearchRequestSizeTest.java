package com.aicompanion.monitoring.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.logging.internal.ElasticsearchAppender;
import com.aicompanion.monitoring.testsupport.opensearch.OpenSearchExtension;
import com.aicompanion.monitoring.testsupport.opensearch.OpenSearchNode;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 13 item 3, request size, against the real OpenSearch node behind a real proxy that answers
 * 413 above its limit: no request is over {@code elasticsearch.batch.bytes} (action lines counted),
 * a 413 splits the request and later ones stay under the refused size, and a single event over the
 * limit arrives shortened with a visible marker.
 */
@ExtendWith(OpenSearchExtension.class)
class ElasticsearchRequestSizeTest {
  private static final Logger LOG = LoggerFactory.getLogger("com.example.chat.Sizes");
  private static final int INSTALL_LINE = 1;

  private final LineSink sink = new LineSink();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private JsonLogging logging;
  private NodeProxy proxy;

  @AfterEach
  void close() {
    if (logging != null) {
      logging.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  private JsonLogging install(String service, URI url, String... config) {
    JsonLogging.Builder builder =
        JsonLogging.builder(service)
            .output(sink)
            .elasticsearch(url)
            .config("elasticsearch.flush.interval", "200ms")
            .config("elasticsearch.max.backoff", "500ms")
            .meterRegistry(meters);
    for (int i = 0; i < config.length; i += 2) {
      builder.config(config[i], config[i + 1]);
    }
    logging = builder.install();
    return logging;
  }

  private long shipperLines() {
    return sink.json().stream()
        .filter(j -> ElasticsearchAppender.LOGGER.equals(j.path("log.logger").asText()))
        .count();
  }

  private double reason(String outcome, String reason) {
    return meters
        .get("monitoring.log.event.reasons")
        .tag("outcome", outcome)
        .tag("reason", reason)
        .functionCounter()
        .count();
  }

  private static long count(OpenSearchNode node, String dataStream) {
    node.request("POST", "/" + dataStream + "/_refresh", null);
    var response = node.request("GET", "/" + dataStream + "/_count", null);
    return response.statusCode() != 200 ? -1 : json(response.body()).path("count").asLong();
  }

  private static JsonNode json(String body) {
    try {
      return LineSink.JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void twoEventsOfAbout650BytesArriveUnderA1024ByteLimitAndTheProxyNeverRefuses(
      OpenSearchNode node) {
    proxy = new NodeProxy(node.uri()).maxBody(1024);
    install("size-svc", proxy.uri(), "elasticsearch.batch.bytes", "1024");
    String padding = "p".repeat(330);
    LOG.info("first {}", padding);
    LOG.info("second {}", padding);

    await().atMost(Duration.ofSeconds(60)).until(() -> logging.shippedEvents() == 2 + INSTALL_LINE);
    // the two lines are ~650 bytes each: together with their action lines over 1,024
    int both =
        sink.lines().stream()
            .filter(l -> l.contains(padding))
            .mapToInt(l -> l.length() + 1)
            .peek(n -> assertThat(n).isBetween(580, 760))
            .sum();
    assertThat(both + 2 * 30).isGreaterThan(1024);
    assertThat(proxy.bulkSizes())
        .isNotEmpty()
        .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(1024));
    assertThat(proxy.tooLargeAnswers()).isZero();
    assertThat(logging.failedEvents()).isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> count(node, logging.dataStream()) == 2 + INSTALL_LINE);
  }

  @Test
  void defaultFiveMiBBatchesBehindA64KiBProxyLoseNothingAndSoonStopHittingTheLimit(
      OpenSearchNode node) {
    proxy = new NodeProxy(node.uri()).maxBody(64 * 1024);
    install("proxy-svc", proxy.uri());
    int events = 3000;
    for (int i = 0; i < events; i++) {
      LOG.info("event {} {}", i, "q".repeat(150));
    }

    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> logging.shippedEvents() == events + INSTALL_LINE + shipperLines());
    assertThat(logging.droppedEvents()).isZero();
    assertThat(logging.failedEvents()).isZero();
    assertThat(proxy.tooLargeAnswers()).isPositive();
    // a few halvings find the limit: each 413 halves what later batches are filled to, and at
    // most the requests in flight can hear 413 at one size, so no more than that many per halving
    // from the largest refused request down to the proxy's limit (a bound of 6 held at batches of
    // 500 events; 1,600-event batches of this size need a halving more)
    int largestRefused =
        proxy.bulkSizes().stream().filter(n -> n > 64 * 1024).max(Integer::compare).orElseThrow();
    int halvings = 0;
    for (long size = largestRefused; size > 64 * 1024; size /= 2) {
      halvings++;
    }
    assertThat(proxy.tooLargeAnswers())
        .isLessThanOrEqualTo(com.aicompanion.monitoring.Delivery.DEFAULT_MAX_IN_FLIGHT * halvings);
    assertThat(proxy.bulkSizes()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(5 << 20));
    assertThat(sink.json())
        .anySatisfy(
            j ->
                assertThat(j.path("message").asText())
                    .contains("refused a request of")
                    .contains("as too large"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> count(node, logging.dataStream()) == events + INSTALL_LINE + shipperLines());
  }

  @Test
  void aSingleEventOverTheLimitArrivesShortenedWithAVisibleMarker(OpenSearchNode node) {
    install("huge-svc", node.uri(), "elasticsearch.batch.bytes", "4096");
    LOG.info("huge {}", "h".repeat(20_000));

    await().atMost(Duration.ofSeconds(60)).until(() -> logging.shippedEvents() == 1 + INSTALL_LINE);
    assertThat(reason("shipped", "shortened")).isEqualTo(1.0);
    String ds = logging.dataStream();
    await().atMost(Duration.ofSeconds(30)).until(() -> count(node, ds) == 1 + INSTALL_LINE);
    JsonNode hits =
        json(node.request("GET", "/" + ds + "/_search?q=labels.truncated:true", null).body())
            .path("hits")
            .path("hits");
    assertThat(hits).hasSize(1);
    String message = hits.get(0).path("_source").path("message").asText();
    assertThat(message).startsWith("huge hhhh").endsWith("...[truncated from 20005 bytes]");
    assertThat(message.length()).isLessThan(4096);
  }
}
