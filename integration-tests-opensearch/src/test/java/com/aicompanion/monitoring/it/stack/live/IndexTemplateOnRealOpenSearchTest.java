package com.aicompanion.monitoring.it.stack.live;

import static com.aicompanion.monitoring.it.stack.live.LiveFiles.JSON;
import static com.aicompanion.monitoring.it.stack.live.LiveFiles.json;
import static com.aicompanion.monitoring.it.stack.live.LiveFiles.stackDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.logging.JsonLogging;
import com.aicompanion.monitoring.testsupport.opensearch.OpenSearchExtension;
import com.aicompanion.monitoring.testsupport.opensearch.OpenSearchNode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The stack's index template ({@code stack/elasticsearch/index-template.json}) installed on a real
 * OpenSearch 2.19 node in this JVM, then real log lines shipped by the logging module's shipper
 * into its data stream, whose mapping must give every field the type the template declares.
 *
 * <p>OpenSearch has no ILM: the template's one Elasticsearch-only setting, {@code
 * index.lifecycle.name}, is removed before the install (and must name the policy that {@code
 * setup.sh} installs), and the ILM policy itself cannot be installed here (this OpenSearch has
 * neither the {@code _ilm} API nor the ISM plugin).
 */
@ExtendWith(OpenSearchExtension.class)
class IndexTemplateOnRealOpenSearchTest {
  private static final Logger LOG = LoggerFactory.getLogger("com.example.chat.StackTemplate");
  private static final String LIFECYCLE_SETTING = "index.lifecycle.name";

  @Test
  void shippedDocumentsHaveTheFieldTypesTheStackTemplateDeclares(OpenSearchNode node)
      throws IOException {
    JsonNode stackTemplate =
        JSON.readTree(stackDir().resolve("elasticsearch/index-template.json").toFile());
    HttpResponse<String> asIs =
        node.request("PUT", "/_index_template/logs-companion", stackTemplate.toString());
    assertThat(asIs.statusCode())
        .as("OpenSearch refuses ILM settings: %s", asIs.body())
        .isEqualTo(400);
    assertThat(asIs.body()).contains(LIFECYCLE_SETTING);
    ObjectNode forOpenSearch = stackTemplate.deepCopy();
    ((ObjectNode) forOpenSearch.path("template").path("settings")).remove(LIFECYCLE_SETTING);
    HttpResponse<String> put =
        node.request("PUT", "/_index_template/logs-companion", forOpenSearch.toString());
    assertThat(put.statusCode())
        .as("OpenSearch accepts the template: %s", put.body())
        .isEqualTo(200);

    String dataStream;
    try (JsonLogging logging =
        JsonLogging.builder("stack-template-svc")
            .output(OutputStream.nullOutputStream())
            .elasticsearch(node.uri())
            .config("elasticsearch.flush.interval", "100ms")
            .meterRegistry(new SimpleMeterRegistry())
            .install()) {
      dataStream = logging.dataStream();
      shipOneOfEachKindOfLine();
      await("3 lines in " + dataStream)
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> count(node, dataStream) >= 3);
    }

    JsonNode stream = json(node.request("GET", "/_data_stream/" + dataStream, null));
    assertThat(stream.path("data_streams").path(0).path("template").asText())
        .as("the template %s uses (the stack's priority 250 beats the shipper's 200)", dataStream)
        .isEqualTo("logs-companion");

    JsonNode mapping = json(node.request("GET", "/" + dataStream + "/_mapping", null));
    JsonNode actual = mapping.elements().next().path("mappings").path("properties");
    List<String> mismatches = new ArrayList<>();
    compare(
        "", stackTemplate.path("template").path("mappings").path("properties"), actual, mismatches);
    assertThat(mismatches)
        .as("fields of the shipped documents whose type differs from index-template.json")
        .isEmpty();
    // a string field the template does not name: its dynamic template makes it a keyword
    assertThat(actual.path("conversation").path("properties").path("id").path("type").asText())
        .isEqualTo("keyword");

    JsonNode settings =
        json(node.request("GET", "/" + dataStream + "/_settings", null))
            .elements()
            .next()
            .path("settings")
            .path("index");
    assertThat(settings.path("number_of_replicas").asText()).isEqualTo("0");
    assertThat(settings.path("refresh_interval").asText()).isEqualTo("5s");
  }

  @Test
  void theOnlyElasticsearchOnlySettingNamesThePolicyThatSetupInstalls() throws IOException {
    Path dir = stackDir().resolve("elasticsearch");
    JsonNode settings =
        JSON.readTree(dir.resolve("index-template.json").toFile())
            .path("template")
            .path("settings");
    List<String> names = new ArrayList<>();
    settings.fieldNames().forEachRemaining(names::add);
    assertThat(names)
        .as("settings OpenSearch cannot take, besides %s", LIFECYCLE_SETTING)
        .allMatch(n -> n.equals(LIFECYCLE_SETTING) || !n.startsWith("index.lifecycle."));
    String policy = settings.path(LIFECYCLE_SETTING).asText();
    String setup = Files.readString(dir.resolve("setup.sh"));
    assertThat(setup)
        .as("setup.sh installs the policy the template names")
        .contains("_ilm/policy/" + policy + " ");
    JsonNode ilm = JSON.readTree(dir.resolve("ilm-policy.json").toFile());
    assertThat(ilm.path("policy").path("phases").path("hot").path("actions").has("rollover"))
        .as("a data stream's policy rolls over in the hot phase")
        .isTrue();
  }

  private static void shipOneOfEachKindOfLine() {
    SpanContext context =
        SpanContext.create(
            "0af7651916cd43dd8448eb211c80319c",
            "b7ad6b7169203331",
            TraceFlags.getSampled(),
            TraceState.getDefault());
    Scope scope = Span.wrap(context).makeCurrent();
    try {
      MDC.put("conversation.id", "conv-7");
      LOG.info("Answered conversation {}", "conv-7");
      LOG.warn("Slow answer for conversation conv-7");
      LOG.error("LLM call failed", new IllegalStateException("upstream 503"));
    } finally {
      MDC.remove("conversation.id");
      scope.close();
    }
  }

  /** Every leaf of {@code declared} (the template) against the same path in {@code actual}. */
  private static void compare(String prefix, JsonNode declared, JsonNode actual, List<String> out) {
    for (Map.Entry<String, JsonNode> field : declared.properties()) {
      String path = prefix + field.getKey();
      JsonNode want = field.getValue();
      JsonNode got = actual.path(field.getKey());
      if (want.has("properties")) {
        compare(path + ".", want.path("properties"), got.path("properties"), out);
      } else if (got.isMissingNode()) {
        out.add(
            path + ": declared " + want.path("type").asText() + ", not in the shipped documents");
      } else if (!want.path("type").asText().equals(got.path("type").asText())) {
        out.add(
            path
                + ": declared "
                + want.path("type").asText()
                + ", mapped "
                + got.path("type").asText());
      }
    }
  }

  private static long count(OpenSearchNode node, String dataStream) {
    node.request("POST", "/" + dataStream + "/_refresh", null);
    HttpResponse<String> r = node.request("GET", "/" + dataStream + "/_count", null);
    return r.statusCode() == 200 ? json(r).path("count").asLong() : -1;
  }
}
