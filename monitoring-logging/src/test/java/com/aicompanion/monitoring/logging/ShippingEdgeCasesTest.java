package com.aicompanion.monitoring.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.logging.internal.ElasticsearchAppender;
import com.aicompanion.monitoring.logging.internal.IndexTemplate;
import com.aicompanion.monitoring.testsupport.opensearch.OpenSearchExtension;
import com.aicompanion.monitoring.testsupport.opensearch.OpenSearchNode;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 13 items 3, 4 and 9 as a new user tries them: request sizes the module's tests do not use
 * (everything refused as too large, a batch limit under one action line, a 10 MB message, an
 * exception with a 1 MB message), a node failing with 500 for 10 s, a node that accepts the
 * connection and never answers, and a node that is gone when the application closes.
 */
@ExtendWith(OpenSearchExtension.class)
class ShippingEdgeCasesTest {
  private static final Logger LOG = LoggerFactory.getLogger("com.example.shipping.Edges");

  private final LineSink sink = new LineSink();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private JsonLogging logging;
  private FaultyNodeProxy proxy;

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

  private List<JsonNode> shipperLines() {
    return sink.json().stream()
        .filter(j -> ElasticsearchAppender.LOGGER.equals(j.path("log.logger").asText()))
        .collect(Collectors.toList());
  }

  private String shipperText() {
    return shipperLines().stream()
        .map(j -> j.path("log.level").asText() + " " + j.path("message").asText())
        .collect(Collectors.joining("\n"));
  }

  private long outcomes() {
    return logging.shippedEvents() + logging.droppedEvents() + logging.failedEvents();
  }

  private double reason(String outcome, String reason) {
    return meters
        .get("monitoring.log.event.reasons")
        .tag("outcome", outcome)
        .tag("reason", reason)
        .functionCounter()
        .count();
  }

  private static JsonNode json(String body) {
    try {
      return LineSink.JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode search(OpenSearchNode node, String stream, String query) {
    node.request("POST", "/" + stream + "/_refresh", null);
    return json(node.request("GET", "/" + stream + "/_search?" + query, null).body())
        .path("hits")
        .path("hits");
  }

  @Test
  void aProxyAnswering413ToEveryBulkFailsTheEventsCountedAndKeepsRunning(OpenSearchNode node) {
    proxy = FaultyNodeProxy.forwarding(node.uri());
    proxy.bulkStatus = 413;
    install("edge-413-all", proxy.uri());
    for (int i = 0; i < 5; i++) {
      LOG.info("refused {}", i);
    }

    await().atMost(Duration.ofSeconds(60)).until(() -> outcomes() >= 5 + 1);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> meters.get("monitoring.log.queue.size").gauge().value() == 0);

    assertThat(logging.shippedEvents()).isZero();
    assertThat(reason("failed", "oversize")).as(shipperText()).isEqualTo(outcomes());
    // a handful of 413s per event at most, not a storm
    assertThat(proxy.overridden.get()).as("413 answers").isLessThan(100);
    assertThat(shipperText()).contains(proxy.uri().toString()).contains("413");
  }

  @Test
  void aServerAnswering413ToTheTemplateWarnsOnceAndShippingGoesOn() {
    proxy = FaultyNodeProxy.forwarding(URI.create("http://127.0.0.1:9"));
    proxy.allStatus = 413;
    install("edge-413-template", proxy.uri());
    LOG.info("one event");

    // a lasting 4xx like 403: not retried; the bulk requests go on (and are refused as too large)
    await().atMost(Duration.ofSeconds(60)).until(() -> outcomes() >= 2);
    assertThat(proxy.requests)
        .anySatisfy(r -> assertThat(r).startsWith("POST /").endsWith("/_bulk"));
    // two requests in flight may both ask before the first answer: at most one PUT each
    assertThat(proxy.requests.stream().filter(r -> r.startsWith("PUT /_index_template")))
        .hasSizeBetween(1, 2);
    List<JsonNode> templateWarns =
        shipperLines().stream()
            .filter(j -> j.path("log.level").asText().equals("WARN"))
            .filter(j -> j.path("message").asText().contains("Installing the index template"))
            .toList();
    assertThat(templateWarns).as(shipperText()).hasSize(1);
    assertThat(templateWarns.get(0).path("message").asText())
        .contains(proxy.uri().toString())
        .contains("HTTP 413")
        .contains("installed by operators");
    assertThat(shipperText()).doesNotContain("installing the index template answered HTTP 413");
  }

  /**
   * An API key with write privileges only (Elastic's recommended role for shippers: create_doc on
   * logs-*) gets 403 on the template PUT, while {@code _bulk} into a data stream whose template the
   * operators installed works.
   */
  @Test
  void aKeyThatMayWriteButNotPutTemplatesStillShips(OpenSearchNode node) {
    node.request("PUT", "/_index_template/logs-edge-403", IndexTemplate.json("logs-edge-403-*"));
    proxy = FaultyNodeProxy.forwarding(node.uri());
    proxy.templateStatus = 403;
    install("edge-403", proxy.uri());
    LOG.info("written with a write-only key");

    // the start line, the event and the WARN about the template
    await().atMost(Duration.ofSeconds(20)).until(() -> outcomes() >= 3);
    assertThat(logging.shippedEvents()).as(shipperText()).isEqualTo(3);
    // one WARN says why the template is missing and who must install it
    List<JsonNode> warns =
        shipperLines().stream().filter(j -> j.path("log.level").asText().equals("WARN")).toList();
    assertThat(warns).as(shipperText()).hasSize(1);
    assertThat(warns.get(0).path("message").asText())
        .contains(proxy.uri() + "/_index_template/logs-edge-403")
        .contains("HTTP 403")
        .contains("is unauthorized")
        .contains("installed by operators");
    assertThat(proxy.requests.stream().filter(r -> r.startsWith("PUT /_index_template")))
        .hasSize(1);
  }

  @Test
  void batchBytesSmallerThanOneActionLineIsRefusedAtSetUpOrFailsEventsCounted() {
    proxy = FaultyNodeProxy.forwarding(URI.create("http://127.0.0.1:9"));
    proxy.allStatus = 500;
    try {
      install("edge-tiny-batch", proxy.uri(), "elasticsearch.batch.bytes", "50");
    } catch (RuntimeException e) {
      assertThat(e.getMessage()).contains("batch.bytes").contains("50");
      return;
    }
    LOG.info("tiny");
    await().atMost(Duration.ofSeconds(30)).until(() -> outcomes() >= 2);
    assertThat(reason("failed", "oversize")).isEqualTo(2.0);
    assertThat(proxy.bulkSizes).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(50));
  }

  @Test
  void aTenMegabyteMessageWithSmallBatchesArrivesShortened(OpenSearchNode node) {
    install("edge-10mb", node.uri(), "elasticsearch.batch.bytes", "65536");
    String big = "m".repeat(10 << 20);
    LOG.info("big {}", big);
    LOG.info("after big");

    await().atMost(Duration.ofSeconds(60)).until(() -> outcomes() >= 3);
    assertThat(logging.failedEvents()).as(shipperText()).isZero();
    assertThat(reason("shipped", "shortened")).isEqualTo(1.0);
    JsonNode hits = search(node, logging.dataStream(), "q=labels.truncated:true");
    assertThat(hits).hasSize(1);
    assertThat(hits.get(0).path("_source").path("message").asText())
        .startsWith("big mmm")
        .endsWith("...[truncated from " + (10 * 1024 * 1024 + 4) + " bytes]");
  }

  @Test
  void anExceptionWithAOneMegabyteMessageArrivesWholeWithDefaultBatches(OpenSearchNode node) {
    install("edge-1mb-error", node.uri());
    LOG.error("failed", new IllegalStateException("e".repeat(1 << 20)));

    await().atMost(Duration.ofSeconds(60)).until(() -> outcomes() >= 2);
    assertThat(logging.failedEvents()).as(shipperText()).isZero();
    JsonNode hits =
        search(node, logging.dataStream(), "q=error.type:java.lang.IllegalStateException");
    assertThat(hits).hasSize(1);
    JsonNode source = hits.get(0).path("_source");
    assertThat(source.path("error.message").asText()).hasSize(1 << 20);
    assertThat(source.path("error.stack_trace").asText()).contains("ShippingEdgeCasesTest");
  }

  @Test
  void anExceptionWithAOneMegabyteMessageUnderSmallBatchesArrivesShortened(OpenSearchNode node) {
    install("edge-1mb-small", node.uri(), "elasticsearch.batch.bytes", "16384");
    LOG.error("failed small", new IllegalStateException("e".repeat(1 << 20)));

    await().atMost(Duration.ofSeconds(60)).until(() -> outcomes() >= 2);
    assertThat(logging.failedEvents()).as(shipperText()).isZero();
    JsonNode hits = search(node, logging.dataStream(), "q=labels.truncated:true");
    assertThat(hits).hasSize(1);
    JsonNode source = hits.get(0).path("_source");
    assertThat(source.path("error.type").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(source.path("error.message").asText()).contains("...[truncated from");
  }

  @Test
  void aNodeAnswering500ForTenSecondsIsOneWarnNamingItThenOneRecoveryLine(OpenSearchNode node) {
    proxy = FaultyNodeProxy.forwarding(node.uri());
    proxy.bulkStatus = 500;
    proxy.bulkStatusUntilNanos = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    install("edge-500", proxy.uri());
    for (int i = 0; i < 200; i++) {
      LOG.info("during outage {}", i);
      if (i % 20 == 0) {
        await().pollDelay(Duration.ofMillis(500)).until(() -> true);
      }
    }

    await().atMost(Duration.ofSeconds(60)).until(() -> shipperText().contains("works again"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> logging.shippedEvents() == 200 + 1 + shipperLines().size());
    List<JsonNode> warns =
        shipperLines().stream().filter(j -> j.path("log.level").asText().equals("WARN")).toList();
    assertThat(warns).as(shipperText()).hasSize(1);
    assertThat(warns.get(0).path("message").asText())
        .contains(proxy.uri().toString())
        .contains("500");
    assertThat(logging.droppedEvents()).isZero();
    assertThat(logging.failedEvents()).isZero();
  }

  @Test
  void closeKeepsItsDeadlineWhenTheNodeAcceptsAndNeverAnswersEvenTheTemplate() {
    proxy = FaultyNodeProxy.silent();
    // memory only: with the spool the unsent events stay on disk for the next start instead
    install("edge-silent", proxy.uri(), "log.close.timeout", "1s", "elasticsearch.spool", "false");
    for (int i = 0; i < 10; i++) {
      LOG.info("silent {}", i);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> proxy.acceptedConnections() > 0);

    long start = System.nanoTime();
    logging.close();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(took).isLessThan(Duration.ofMillis(1500));
    assertThat(logging.droppedEvents()).isEqualTo(11);
    assertThat(reason("dropped", "close_deadline")).isEqualTo(11.0);
  }

  @Test
  void closeDropsAtOnceWhenTheNodeIsGoneInsteadOfWaitingOutTheDeadline() {
    proxy = FaultyNodeProxy.forwarding(URI.create("http://127.0.0.1:9"));
    URI url = proxy.uri();
    proxy.close();
    proxy = null;
    install("edge-gone", url, "log.close.timeout", "20s", "elasticsearch.spool", "false");
    for (int i = 0; i < 10; i++) {
      LOG.info("gone {}", i);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> shipperText().contains(url.toString()));

    long start = System.nanoTime();
    logging.close();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(took).isLessThan(Duration.ofSeconds(5));
    assertThat(logging.droppedEvents()).isEqualTo(outcomes()).isGreaterThanOrEqualTo(11);
  }

  @Test
  void installingTwiceFailsNamingTheOwnerAndClosingTwiceIsHarmless() {
    logging = JsonLogging.builder("edge-twice").output(sink).install();
    assertThatThrownBy(() -> JsonLogging.builder("edge-twice-2").output(sink).install())
        .hasMessageContaining("edge-twice");
    logging.close();
    logging.close();
    JsonLogging second = JsonLogging.builder("edge-twice-3").output(sink).install();
    try {
      LOG.info("after the second install");
    } finally {
      second.close();
    }
    assertThat(sink.json())
        .anySatisfy(
            j -> {
              assertThat(j.path("message").asText()).isEqualTo("after the second install");
              assertThat(j.path("service.name").asText()).isEqualTo("edge-twice-3");
            });
  }

  @Test
  void textFormatWithShippingShipsJsonAndPrintsText(OpenSearchNode node) {
    logging =
        JsonLogging.builder("edge-text")
            .output(sink)
            .format("text")
            .elasticsearch(node.uri())
            .config("elasticsearch.flush.interval", "200ms")
            .install();
    org.slf4j.MDC.put("message", "mdc message");
    try {
      LOG.info("text line {}", net.logstash.logback.argument.StructuredArguments.kv("error", "x"));
    } finally {
      org.slf4j.MDC.clear();
    }

    await().atMost(Duration.ofSeconds(60)).until(() -> outcomes() >= 2);
    assertThat(logging.failedEvents()).isZero();
    assertThat(sink.lines()).anySatisfy(l -> assertThat(l).contains("text line error=x"));
    JsonNode hits = search(node, logging.dataStream(), "q=labels.error:x");
    assertThat(hits).hasSize(1);
    assertThat(hits.get(0).path("_source").path("labels").path("message").asText())
        .isEqualTo("mdc message");
  }
}
