package com.aicompanion.monitoring.logging;

import static net.logstash.logback.argument.StructuredArguments.kv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import com.aicompanion.monitoring.logging.internal.EcsEncoders;
import com.aicompanion.monitoring.logging.internal.ElasticsearchAppender;
import com.aicompanion.monitoring.logging.internal.SafeDocument;
import com.aicompanion.monitoring.logging.internal.SecretMasker;
import com.aicompanion.monitoring.logging.internal.ShippingCounters;
import com.aicompanion.monitoring.testsupport.opensearch.OpenSearchExtension;
import com.aicompanion.monitoring.testsupport.opensearch.OpenSearchNode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the real OpenSearch node answers per document and what the shipper makes of it: a mapping
 * conflict is resent once in the safe form and counted {@code safe_form} (failed as {@code mapping}
 * without one); a {@code _bulk} the node took but whose answer was lost is sent again with the same
 * ids, the node refuses the copies (409) and they count as shipped {@code duplicate}, so the index
 * holds each event once.
 */
@ExtendWith(OpenSearchExtension.class)
class ElasticsearchOutcomesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  /** A shipper in a Logback context of its own, for one logger. */
  private Logger shipper(
      URI url, String service, UnaryOperator<byte[]> safeForm, ShippingCounters counters) {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    context.start();
    ElasticsearchAppender.Settings settings =
        new ElasticsearchAppender.Settings(
            java.util.List.of(url),
            null,
            service,
            "test",
            64L << 20,
            0,
            500,
            5 << 20,
            Duration.ofMillis(100),
            Duration.ofSeconds(5),
            Duration.ofMillis(500),
            2,
            true,
            safeForm,
            null);
    ElasticsearchAppender appender =
        new ElasticsearchAppender(
            settings,
            EcsEncoders.create(
                context,
                new EcsEncoders.Identity(service, "1.0", "test", "host-1"),
                SecretMasker.defaults(false, List.of())),
            counters);
    appender.setContext(context);
    appender.start();
    Logger logger = context.getLogger("com.example.Outcomes");
    logger.addAppender(appender);
    return logger;
  }

  private static long count(OpenSearchNode node, String dataStream, String query) {
    node.request("POST", "/" + dataStream + "/_refresh", null);
    var response =
        node.request(
            "GET", "/" + dataStream + "/_count" + (query == null ? "" : "?q=" + query), null);
    return response.statusCode() != 200 ? -1 : json(response.body()).path("count").asLong();
  }

  private static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aMappingConflictIsResentOnceInTheSafeFormAndCounted(OpenSearchNode node) {
    ShippingCounters counters = new ShippingCounters();
    Logger log = shipper(node.uri(), "mapping-svc", SafeDocument::safeForm, counters);
    log.info("as text {}", kv("n", "plain"));
    await().atMost(Duration.ofSeconds(60)).until(() -> counters.shipped() == 1);

    log.info("as an object {}", kv("n", Map.of("a", 1)));

    await().atMost(Duration.ofSeconds(60)).until(() -> counters.shipped() == 2);
    assertThat(counters.count("shipped", "safe_form")).isEqualTo(1);
    assertThat(counters.failed()).isZero();
    String ds = "logs-mapping-svc-test";
    await().atMost(Duration.ofSeconds(30)).until(() -> count(node, ds, null) == 2);
    assertThat(count(node, ds, "labels.fields:*")).isEqualTo(1);
    // the conflicting value is kept, in the one text field of the safe form
    node.request("POST", "/" + ds + "/_refresh", null);
    assertThat(node.request("GET", "/" + ds + "/_search?q=labels.fields:*", null).body())
        .contains("\\\"n\\\":{\\\"a\\\":1}");
  }

  @Test
  void withoutASafeFormAMappingConflictFailsCountedAsMapping(OpenSearchNode node) {
    ShippingCounters counters = new ShippingCounters();
    Logger log = shipper(node.uri(), "nosafe-svc", null, counters);
    log.info("as text {}", kv("n", "plain"));
    await().atMost(Duration.ofSeconds(60)).until(() -> counters.shipped() == 1);

    log.info("as an object {}", kv("n", Map.of("a", 1)));

    await().atMost(Duration.ofSeconds(60)).until(() -> counters.failed() == 1);
    assertThat(counters.count("failed", "mapping")).isEqualTo(1);
    assertThat(counters.shipped()).isEqualTo(1);
  }

  @Test
  void aBulkWhoseAnswerWasLostIsSentAgainAndItsCopiesCountAsShippedDuplicates(OpenSearchNode node) {
    NodeProxy proxy = new NodeProxy(node.uri()).loseBulkAnswers(1);
    resources.add(proxy);
    ShippingCounters counters = new ShippingCounters();
    Logger log = shipper(proxy.uri(), "dup-svc", null, counters);
    for (int i = 0; i < 5; i++) {
      log.info("once {}", i);
    }

    await().atMost(Duration.ofSeconds(60)).until(() -> counters.shipped() == 5);
    assertThat(proxy.forwardedBulkSizes()).hasSize(2);
    assertThat(counters.count("shipped", "duplicate")).isEqualTo(5);
    assertThat(counters.dropped() + counters.failed()).isZero();
    String ds = "logs-dup-svc-test";
    await().atMost(Duration.ofSeconds(30)).until(() -> count(node, ds, null) >= 5);
    assertThat(count(node, ds, null)).isEqualTo(5);
  }
}
