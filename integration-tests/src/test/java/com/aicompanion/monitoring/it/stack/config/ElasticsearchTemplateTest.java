package com.aicompanion.monitoring.it.stack.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.logging.JsonLogging;
import com.aicompanion.monitoring.testsupport.ExternalTool;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * The stack's index template against the one the logging module's shipper installs: the same field
 * types, a higher priority so that the lifecycle policy applies, and the Kibana data view.
 */
class ElasticsearchTemplateTest {
  private final JsonNode template = Stack.json(Stack.file("elasticsearch/index-template.json"));

  @Test
  void mappingsAreThoseTheShipperInstalls() throws Exception {
    JsonNode shipper = Stack.JSON.readTree(shipperTemplate("logs-ai-companion-*"));

    assertThat(template.path("template").path("mappings"))
        .isEqualTo(shipper.path("template").path("mappings"));
    assertThat(template.has("data_stream")).isTrue();
  }

  @Test
  void theStackTemplateWinsOverTheShippersAndCarriesTheLifecyclePolicy() throws Exception {
    JsonNode shipper = Stack.JSON.readTree(shipperTemplate("logs-ai-companion-*"));
    JsonNode policy = Stack.json(Stack.file("elasticsearch/ilm-policy.json"));

    assertThat(template.path("priority").asInt()).isGreaterThan(shipper.path("priority").asInt());
    assertThat(template.path("index_patterns").get(0).asText()).isEqualTo("logs-*-*");
    assertThat(template.path("template").path("settings").path("index.lifecycle.name").asText())
        .isEqualTo("logs-companion");
    assertThat(policy.path("policy").path("phases").path("hot").path("actions").has("rollover"))
        .isTrue();
    assertThat(policy.path("policy").path("phases").path("delete").path("min_age").asText())
        .isEqualTo("30d");
    assertThat(Stack.read(Stack.file("elasticsearch/setup.sh")))
        .contains("_ilm/policy/logs-companion")
        .contains("_index_template/logs-companion");
  }

  @Test
  void theKibanaDataViewCoversTheLogDataStreams() throws Exception {
    String ndjson = Stack.read(Stack.file("kibana/data-view.ndjson"));
    assertThat(ndjson.strip().lines()).hasSize(1);
    JsonNode dataView = Stack.JSON.readTree(ndjson);

    assertThat(dataView.path("type").asText()).isEqualTo("index-pattern");
    assertThat(dataView.path("attributes").path("title").asText()).isEqualTo("logs-*");
    assertThat(dataView.path("attributes").path("timeFieldName").asText()).isEqualTo("@timestamp");
  }

  @Test
  void theSetupScriptIsShellcheckClean() {
    String shellcheck = ExternalTool.require("shellcheck", "shellcheck").toString();

    Stack.Result result =
        Stack.run(shellcheck, "--shell=sh", Stack.file("elasticsearch/setup.sh").toString());

    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  /** The template body the shipper installs. */
  private static String shipperTemplate(String pattern) {
    return JsonLogging.indexTemplate(pattern);
  }
}
