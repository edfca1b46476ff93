package com.aicompanion.monitoring.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.logging.internal.ElasticsearchAppender;
import com.aicompanion.monitoring.testsupport.SecretCorpus;
import com.aicompanion.monitoring.testsupport.opensearch.OpenSearchExtension;
import com.aicompanion.monitoring.testsupport.opensearch.OpenSearchNode;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Direct shipping to a real single-node OpenSearch 2.19 started in this JVM on 127.0.0.1. */
@ExtendWith(OpenSearchExtension.class)
class ElasticsearchShippingTest {
  private static final Logger LOG = LoggerFactory.getLogger("com.example.chat.Shipping");

  /** install() logs one INFO line, which is shipped too. */
  private static final int INSTALL_LINE = 1;

  private final LineSink sink = new LineSink();
  private JsonLogging logging;

  @AfterEach
  void close() {
    if (logging != null) {
      logging.close();
    }
  }

  private JsonLogging install(OpenSearchNode node, String service, String... config) {
    JsonLogging.Builder builder =
        JsonLogging.builder(service)
            .output(sink)
            .elasticsearch(node.uri())
            .config("elasticsearch.flush.interval", "100ms")
            .config("elasticsearch.max.backoff", "500ms")
            .meterRegistry(new SimpleMeterRegistry())
            .mask(SecretCorpus.USER_PATTERN)
            .maskEmails(true);
    for (int i = 0; i < config.length; i += 2) {
      builder.config(config[i], config[i + 1]);
    }
    logging = builder.install();
    return logging;
  }

  private static long count(OpenSearchNode node, String dataStream) {
    node.request("POST", "/" + dataStream + "/_refresh", null);
    var response = node.request("GET", "/" + dataStream + "/_count", null);
    if (response.statusCode() != 200) {
      return -1;
    }
    return json(response.body()).path("count").asLong();
  }

  /**
   * The shipper's own lines (outage, recovery, queue full) that reached it: they are log events
   * like any other. Lines logged while closing (after it was detached) are not.
   */
  private long shipperLines() {
    return sink.json().stream()
        .filter(j -> ElasticsearchAppender.LOGGER.equals(j.path("log.logger").asText()))
        .filter(j -> !j.path("message").asText().contains(" at close"))
        .filter(j -> !j.path("message").asText().contains("by the close deadline"))
        .count();
  }

  private List<JsonNode> shipperLines(String level) {
    return sink.json().stream()
        .filter(j -> ElasticsearchAppender.LOGGER.equals(j.path("log.logger").asText()))
        .filter(j -> level.equals(j.path("log.level").asText()))
        .toList();
  }

  private static JsonNode json(String body) {
    try {
      return LineSink.JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void documentsArriveInTheDataStreamWithEcsFieldTypes(OpenSearchNode node) {
    install(node, "types-svc");
    LOG.info("hello {}", "opensearch");
    LOG.error("boom", new IllegalStateException("bad state"));
    String ds = logging.dataStream();
    assertThat(ds).isEqualTo("logs-types-svc-dev");

    await().atMost(Duration.ofSeconds(60)).until(() -> count(node, ds) >= 2);
    JsonNode mapping = json(node.request("GET", "/" + ds + "/_mapping", null).body());
    JsonNode properties = mapping.elements().next().path("mappings").path("properties");
    assertThat(properties.path("@timestamp").path("type").asText()).isEqualTo("date");
    assertThat(properties.path("log").path("properties").path("level").path("type").asText())
        .isEqualTo("keyword");
    assertThat(properties.path("message").path("type").asText()).isEqualTo("text");
    assertThat(properties.path("service").path("properties").path("name").path("type").asText())
        .isEqualTo("keyword");

    JsonNode hits =
        json(node.request("GET", "/" + ds + "/_search?q=log.level:ERROR", null).body())
            .path("hits")
            .path("hits");
    JsonNode error = hits.get(0).path("_source");
    assertThat(error.path("error.type").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(error.path("service.name").asText()).isEqualTo("types-svc");
    JsonNode streams = json(node.request("GET", "/_data_stream/" + ds, null).body());
    assertThat(streams.path("data_streams").get(0).path("name").asText()).isEqualTo(ds);
  }

  /**
   * Issue 13 item 4 with the node down for 4 s: the application's own output (stdout here) names
   * the node and the cause, then says it works again and what the outage cost; nothing is lost.
   */
  @Test
  void nodeDownForFourSecondsIsLoggedWithNodeAndCauseThenRecoveredWithoutLoss(OpenSearchNode node) {
    install(node, "outage-svc");
    String ds = logging.dataStream();
    for (int i = 0; i < 200; i++) {
      LOG.info("before outage {}", i);
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> logging.shippedEvents() == 200 + INSTALL_LINE);

    node.stop();
    long start = System.nanoTime();
    for (int i = 0; i < 300; i++) {
      LOG.info("during outage {}", i);
    }
    // the application thread did not wait for the dead node
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    // the node stays down 4 s; the shipper fails, says so once, and backs off
    await()
        .pollDelay(Duration.ofSeconds(4))
        .atMost(Duration.ofSeconds(10))
        .until(() -> logging.shippedEvents() == 200 + INSTALL_LINE);
    assertThat(shipperLines("WARN"))
        .singleElement()
        .satisfies(
            warn ->
                assertThat(warn.path("message").asText())
                    .contains("Sending log event(s) to " + node.uri() + " failed")
                    .contains("ConnectException: cannot connect")
                    .contains("waiting, retrying in"));
    assertThat(shipperLines("INFO")).isEmpty();
    node.restart();
    for (int i = 0; i < 100; i++) {
      LOG.info("after outage {}", i);
    }

    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> logging.shippedEvents() == 600 + INSTALL_LINE + shipperLines());
    assertThat(shipperLines("INFO"))
        .singleElement()
        .satisfies(
            info ->
                assertThat(info.path("message").asText())
                    .contains("Sending log event(s) to " + node.uri() + " works again after")
                    .contains("0 dropped during the outage"));
    // the warning and the recovery line are shipped too, once the node is back
    assertThat(shipperLines()).isEqualTo(2);
    assertThat(logging.droppedEvents()).isZero();
    assertThat(logging.failedEvents()).isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> count(node, ds) == 600 + INSTALL_LINE + shipperLines());
  }

  @Test
  void fullQueueDropsAndCountsWithoutBlocking(OpenSearchNode node) {
    // nothing listens on this port: every batch fails and the queue fills up
    int deadPort = com.aicompanion.monitoring.testsupport.FreePort.find();
    logging =
        JsonLogging.builder("overflow-svc")
            .output(sink)
            .elasticsearch(URI.create("http://127.0.0.1:" + deadPort))
            .config("elasticsearch.queue.bytes", "65536")
            // memory only: with the spool the queue would not overflow (SpoolShippingTest)
            .config("elasticsearch.spool", "false")
            .config("elasticsearch.batch.size", "10")
            .config("log.close.timeout", "500ms")
            .install();
    long start = System.nanoTime();
    for (int i = 0; i < 5000; i++) {
      LOG.info("flood {}", i);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    // 64 KiB hold about 200 lines of ~300 bytes; the rest is dropped and counted
    assertThat(logging.droppedEvents()).isGreaterThanOrEqualTo(5000 - 300);
    // the worker says so in the application's log (once per minute at most)
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                shipperLines("WARN").stream()
                    .anyMatch(w -> w.path("message").asText().contains("(queue_full)")));
    logging.close();
    assertThat(logging.shippedEvents()).isZero();
    assertThat(logging.shippedEvents() + logging.droppedEvents() + logging.failedEvents())
        .isEqualTo(5000 + INSTALL_LINE + shipperLines());
    assertThat(node.uri()).isNotNull();
  }

  @Test
  void closeFlushesWhatIsQueued(OpenSearchNode node) {
    install(
        node,
        "flush-svc",
        "elasticsearch.flush.interval",
        "60s",
        "elasticsearch.batch.size",
        "100000");
    String ds = logging.dataStream();
    for (int i = 0; i < 250; i++) {
      LOG.info("queued {}", i);
    }
    // with a 60s flush interval and a huge batch nothing is sent before close
    assertThat(logging.shippedEvents()).isZero();
    logging.close();
    assertThat(logging.shippedEvents()).isEqualTo(250 + INSTALL_LINE);
    assertThat(logging.droppedEvents()).isZero();
    await().atMost(Duration.ofSeconds(30)).until(() -> count(node, ds) == 250 + INSTALL_LINE);
  }

  @Test
  void withTwoRequestsInFlightShippedEqualsLoggedEqualsDocuments(OpenSearchNode node) {
    install(
        node,
        "inflight-svc",
        "elasticsearch.max.in.flight",
        "2",
        "elasticsearch.batch.size",
        "50",
        "elasticsearch.spool",
        "false");
    String ds = logging.dataStream();
    int events = 5_000;
    for (int i = 0; i < events; i++) {
      LOG.info("answered conversation {}", i);
    }

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> logging.shippedEvents() + logging.failedEvents() >= events + INSTALL_LINE);
    // logged: the console got every event (the same encoder's output the shipper sends)
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                sink.json().stream()
                        .filter(
                            j -> "com.example.chat.Shipping".equals(j.path("log.logger").asText()))
                        .count()
                    == events);
    assertThat(logging.failedEvents()).isZero();
    assertThat(logging.droppedEvents()).isZero();
    assertThat(logging.shippedEvents()).isEqualTo(events + INSTALL_LINE);
    // each event once: ids are storeId-sequence with create, so a resend cannot add a copy
    await().atMost(Duration.ofSeconds(30)).until(() -> count(node, ds) == events + INSTALL_LINE);
  }

  /**
   * The document ids: by default the store's id and the sequence as 16 hexadecimal digits, so that
   * the ids of one store sort as text in the order the events were logged (what lets the node rule
   * out older segments when it checks a new id); with {@code elasticsearch.document.ids=false} the
   * actions name no id and the node makes them up, and every event is still indexed once.
   */
  @Test
  void documentIdsSortInLoggingOrderAndCanBeLeftToTheNode(OpenSearchNode node) {
    for (boolean ids : new boolean[] {true, false}) {
      install(node, "ship-ids-" + ids, "elasticsearch.document.ids", Boolean.toString(ids));
      String ds = logging.dataStream();
      int events = 300;
      for (int i = 0; i < events; i++) {
        LOG.info("ordered event {}", i);
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> logging.shippedEvents() >= events + INSTALL_LINE);
      assertThat(logging.failedEvents()).isZero();
      await().atMost(Duration.ofSeconds(30)).until(() -> count(node, ds) == events + INSTALL_LINE);
      logging.close();
      logging = null;

      node.request("POST", "/" + ds + "/_refresh", null);
      var response =
          node.request(
              "POST",
              "/" + ds + "/_search",
              "{\"size\":1000,\"query\":{\"match_phrase\":{\"message\":\"ordered event\"}}}");
      assertThat(response.statusCode()).isEqualTo(200);
      java.util.TreeMap<Integer, String> idByEvent = new java.util.TreeMap<>();
      for (JsonNode hit : json(response.body()).path("hits").path("hits")) {
        String message = hit.path("_source").path("message").asText();
        idByEvent.put(
            Integer.parseInt(message.substring("ordered event ".length())),
            hit.path("_id").asText());
      }
      assertThat(idByEvent).hasSize(events);
      List<String> inLoggingOrder = List.copyOf(idByEvent.values());
      if (ids) {
        String store = inLoggingOrder.get(0).substring(0, inLoggingOrder.get(0).length() - 17);
        assertThat(inLoggingOrder)
            .allMatch(id -> id.matches(java.util.regex.Pattern.quote(store) + "-[0-9a-f]{16}"));
        // past one digit, past two: decimal sequences (…-9, …-10, …-100) would not sort so
        assertThat(inLoggingOrder).isSorted();
        assertThat(inLoggingOrder.get(events - 1)).isNotEqualTo(inLoggingOrder.get(0));
      } else {
        assertThat(inLoggingOrder).noneMatch(id -> id.matches(".*-[0-9a-f]{16}"));
        assertThat(new java.util.HashSet<>(inLoggingOrder)).hasSize(events);
      }
    }
  }
}
