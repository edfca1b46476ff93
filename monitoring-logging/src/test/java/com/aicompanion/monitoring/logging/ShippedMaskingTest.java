package com.aicompanion.monitoring.logging;

import static net.logstash.logback.argument.StructuredArguments.kv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.testsupport.SecretCorpus;
import com.aicompanion.monitoring.testsupport.opensearch.OpenSearchExtension;
import com.aicompanion.monitoring.testsupport.opensearch.OpenSearchNode;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole corpus shipped to a real single-node OpenSearch 2.19 (in this JVM, 127.0.0.1): every
 * document the node stores is read back and no fragment of its case's secret is in it; fields whose
 * name is secret arrive as {@code "****"} for every value type.
 */
@ExtendWith(OpenSearchExtension.class)
class ShippedMaskingTest {
  private static final Logger LOG = LoggerFactory.getLogger("com.example.chat.Shipped");

  private JsonLogging logging;

  @AfterEach
  void close() {
    if (logging != null) {
      logging.close();
    }
  }

  @Test
  void noSecretOfTheCorpusIsStoredByTheNode(OpenSearchNode node) {
    logging =
        JsonLogging.builder("shipped-mask-svc")
            .output(new LineSink())
            .elasticsearch(node.uri())
            .config("elasticsearch.flush.interval", "100ms")
            .config("elasticsearch.queue.capacity", "100000")
            .config("log.queue.capacity", "100000")
            .meterRegistry(new SimpleMeterRegistry())
            .mask(SecretCorpus.USER_PATTERN)
            .maskEmails(true)
            .install();
    List<SecretCorpus.Case> cases = new ArrayList<>(SecretCorpus.cases());
    cases.addAll(SecretCorpus.optIn());
    for (int i = 0; i < cases.size(); i++) {
      String text = cases.get(i).text();
      LOG.warn("case-" + i + " " + text, new IllegalArgumentException(text));
      LOG.info("case-" + i + " fields", kv("detail", text));
    }
    for (SecretCorpus.Field f : SecretCorpus.fields()) {
      LOG.info("field " + f.name(), kv(f.name(), f.value()));
    }
    String ds = logging.dataStream();
    int expected = cases.size() * 2 + SecretCorpus.fields().size();
    // every one of ours, not just as many documents: other lines (the library's own) may be
    // stored too, and with two requests in flight they may arrive before the last of ours
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> count(node, ds) >= expected && ours(documents(node, ds)) == expected);
    assertThat(logging.failedEvents()).isZero();

    List<JsonNode> stored = documents(node, ds);
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (JsonNode source : stored) {
      String message = source.path("message").asText();
      if (!message.startsWith("case-")) {
        continue;
      }
      int id = Integer.parseInt(message.substring("case-".length(), message.indexOf(' ')));
      SecretCorpus.Case c = cases.get(id);
      String document = source.toString();
      List<String> leaks = SecretCorpus.leaks(document, c);
      if (!leaks.isEmpty()) {
        failures.add(c + "\n  -> " + document + "\n  leaks " + leaks);
      }
      checked++;
    }
    assertThat(checked).isEqualTo(cases.size() * 2);
    assertThat(failures).isEmpty();

    for (SecretCorpus.Field f : SecretCorpus.fields()) {
      JsonNode doc =
          stored.stream()
              .filter(d -> d.path("message").asText().equals("field " + f.name()))
              .findFirst()
              .orElseThrow();
      assertThat(LineSink.field(doc, f.name()).asText()).as(f.name()).isEqualTo("****");
      assertThat(SecretCorpus.leaks(doc.toString(), f.fragments())).as(f.name()).isEmpty();
    }
  }

  private static long ours(List<JsonNode> documents) {
    return documents.stream()
        .map(d -> d.path("message").asText())
        .filter(m -> m.startsWith("case-") || m.startsWith("field "))
        .count();
  }

  private static long count(OpenSearchNode node, String dataStream) {
    node.request("POST", "/" + dataStream + "/_refresh", null);
    var response = node.request("GET", "/" + dataStream + "/_count", null);
    return response.statusCode() == 200 ? json(response.body()).path("count").asLong() : -1;
  }

  /** Every document of the data stream (fewer than the default result window of 10,000). */
  private static List<JsonNode> documents(OpenSearchNode node, String dataStream) {
    var response =
        node.request(
            "POST", "/" + dataStream + "/_search", "{\"size\":10000,\"query\":{\"match_all\":{}}}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<JsonNode> sources = new ArrayList<>();
    json(response.body()).path("hits").path("hits").forEach(h -> sources.add(h.path("_source")));
    return sources;
  }

  private static JsonNode json(String body) {
    try {
      return LineSink.JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
