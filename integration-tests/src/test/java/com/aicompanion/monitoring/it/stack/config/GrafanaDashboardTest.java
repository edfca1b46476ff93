package com.aicompanion.monitoring.it.stack.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The dashboards' JSON model: ids, grid, datasources, variables and the catalog's names. */
class GrafanaDashboardTest {
  private static final Pattern VARIABLE = Pattern.compile("\\$(\\w+)");
  private static final Set<String> GRAFANA_MACROS =
      Set.of("__rate_interval", "__interval", "__range");

  @ParameterizedTest
  @ValueSource(strings = {"ai-companion-overview.json", "system-metrics.json"})
  void panelsHaveUniqueIdsGridPositionsAndProvisionedDatasources(String name) {
    JsonNode dashboard = Stack.json(Stack.file("grafana/dashboards/" + name));
    Set<String> provisioned = provisionedDatasourceUids();

    assertThat(dashboard.path("uid").asText()).isNotEmpty();
    assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      String title = panel.path("title").asText();
      assertThat(ids.add(panel.path("id").asInt())).as("unique id of " + title).isTrue();
      for (String key : List.of("h", "w", "x", "y")) {
        assertThat(panel.path("gridPos").path(key).isInt()).as(title + " gridPos." + key).isTrue();
      }
      assertThat(panel.path("gridPos").path("x").asInt() + panel.path("gridPos").path("w").asInt())
          .as(title)
          .isLessThanOrEqualTo(24);
      if (panel.path("type").asText().equals("row")) {
        continue;
      }
      assertThat(provisioned).as(title).contains(panel.path("datasource").path("uid").asText());
      assertThat(panel.path("targets")).as(title).isNotEmpty();
      for (JsonNode target : panel.path("targets")) {
        assertThat(provisioned).as(title).contains(target.path("datasource").path("uid").asText());
        assertThat(target.path("expr").asText()).as(title).isNotBlank();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ai-companion-overview.json", "system-metrics.json"})
  void everyVariableIsDefinedFromLabelValuesAndUsed(String name) {
    JsonNode dashboard = Stack.json(Stack.file("grafana/dashboards/" + name));
    Set<String> defined = new HashSet<>();
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      defined.add(variable.path("name").asText());
      assertThat(variable.path("query").path("query").asText()).startsWith("label_values(");
    }
    assertThat(defined).contains("job", "instance");

    Set<String> used = new HashSet<>();
    for (String expr : expressions(dashboard)) {
      Matcher matcher = VARIABLE.matcher(expr);
      while (matcher.find()) {
        used.add(matcher.group(1));
      }
    }
    used.removeAll(GRAFANA_MACROS);
    assertThat(defined).containsAll(used);
    assertThat(used).containsAll(defined);
  }

  @org.junit.jupiter.api.Test
  void theOverviewsVariablesOfferOnlyTheApplicationsJobsAndAllMeansThoseJobs() {
    for (JsonNode variable : overview().path("templating").path("list")) {
      String name = variable.path("name").asText();
      assertThat(variable.path("query").path("query").asText())
          .as("$" + name + " lists values of the library's app_info only")
          .startsWith("label_values(app_info");
      // without allValue, Grafana's "All" is the regex of the listed values; ".*" would select
      // every scrape job (exporters, Prometheus, Alertmanager)
      assertThat(variable.path("allValue").asText("")).as("$" + name + " allValue").isEmpty();
    }
    for (JsonNode panel : overview().path("panels")) {
      if (panel.path("title").asText().equals("Up")) {
        assertThat(panel.path("targets").path(0).path("expr").asText())
            .isEqualTo("up{job=~\"$job\", instance=~\"$instance\"}");
        return;
      }
    }
    throw new AssertionError("the overview has no panel \"Up\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ai-companion-overview.json"})
  void everyApplicationQueryIsFilteredByJobAndInstance(String name) {
    for (String expr : expressions(Stack.json(Stack.file("grafana/dashboards/" + name)))) {
      assertThat(expr).contains("job=~\"$job\", instance=~\"$instance\"");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http_server_requests_seconds_bucket",
        "gen_ai_client_time_to_first_chunk_seconds_bucket",
        "gen_ai_client_operation_duration_seconds_bucket",
        "gen_ai_client_token_usage_sum",
        "cache_gets_total{job=~\"$job\", instance=~\"$instance\", result=\"hit\"}",
        "hikaricp_connections_active",
        "hikaricp_connections_pending",
        "llm_cost_usd_total",
        "jvm_memory_used_bytes",
        "process_cpu_usage",
        "monitoring_log_events_total{job=~\"$job\", instance=~\"$instance\", outcome=\"dropped\"}",
        "monitoring_spans_total",
        "health_check_status"
      })
  void theOverviewUsesTheCatalogsNames(String metric) {
    assertThat(String.join("\n", expressions(overview()))).contains(metric);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "node_cpu_seconds_total",
        "node_memory_MemAvailable_bytes",
        "node_filesystem_avail_bytes",
        "node_disk_read_bytes_total",
        "node_network_receive_bytes_total",
        "node_load5",
        "container_cpu_usage_seconds_total",
        "container_memory_working_set_bytes",
        "container_last_seen",
        "redis_up",
        "redis_commands_processed_total",
        "pg_up",
        "pg_stat_activity_count"
      })
  void theSystemDashboardUsesTheExportersNames(String metric) {
    assertThat(
            String.join(
                "\n",
                expressions(Stack.json(Stack.file("grafana/dashboards/system-metrics.json")))))
        .contains(metric);
  }

  private static JsonNode overview() {
    return Stack.json(Stack.file("grafana/dashboards/ai-companion-overview.json"));
  }

  static List<String> expressions(JsonNode dashboard) {
    List<String> expressions = new ArrayList<>();
    dashboard
        .path("panels")
        .forEach(p -> p.path("targets").forEach(t -> expressions.add(t.path("expr").asText())));
    return expressions;
  }

  private static Set<String> provisionedDatasourceUids() {
    JsonNode provisioning =
        Stack.yaml(Stack.file("grafana/provisioning/datasources/datasources.yml"));
    Set<String> uids = new HashSet<>();
    provisioning.path("datasources").forEach(d -> uids.add(d.path("uid").asText()));
    return uids;
  }
}
