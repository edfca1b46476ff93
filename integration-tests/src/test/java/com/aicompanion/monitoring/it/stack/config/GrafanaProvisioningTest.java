package com.aicompanion.monitoring.it.stack.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Datasource and dashboard provisioning: Prometheus exemplars link to Jaeger, logs on logs-*. */
class GrafanaProvisioningTest {
  private final JsonNode datasources =
      Stack.yaml(Stack.file("grafana/provisioning/datasources/datasources.yml"));

  @Test
  void prometheusExemplarsOpenTheTraceInTheJaegerDatasource() {
    JsonNode prometheus = datasource("prometheus");
    JsonNode link = prometheus.path("jsonData").path("exemplarTraceIdDestinations").get(0);

    assertThat(prometheus.path("type").asText()).isEqualTo("prometheus");
    assertThat(link.path("name").asText()).isEqualTo("trace_id");
    assertThat(link.path("datasourceUid").asText()).isEqualTo("jaeger");
    assertThat(datasource("jaeger").path("type").asText()).isEqualTo("jaeger");
  }

  @Test
  void elasticsearchReadsTheLogDataStreams() {
    JsonNode elasticsearch = datasource("elasticsearch");

    assertThat(elasticsearch.path("type").asText()).isEqualTo("elasticsearch");
    assertThat(elasticsearch.path("jsonData").path("index").asText()).isEqualTo("logs-*");
    assertThat(elasticsearch.path("jsonData").path("timeField").asText()).isEqualTo("@timestamp");
  }

  @Test
  void theDashboardProviderLoadsTheMountedDashboards() {
    JsonNode provider =
        Stack.yaml(Stack.file("grafana/provisioning/dashboards/dashboards.yml"))
            .path("providers")
            .get(0);

    assertThat(provider.path("type").asText()).isEqualTo("file");
    assertThat(provider.path("options").path("path").asText())
        .isEqualTo("/var/lib/grafana/dashboards");
    assertThat(Stack.read(Stack.file("docker-compose.monitoring.yml")))
        .contains("./grafana/dashboards:/var/lib/grafana/dashboards:ro");
  }

  private JsonNode datasource(String uid) {
    for (JsonNode datasource : datasources.path("datasources")) {
      if (datasource.path("uid").asText().equals(uid)) {
        return datasource;
      }
    }
    throw new AssertionError("no datasource with uid " + uid);
  }
}
