package com.aicompanion.monitoring.it.stack.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.testsupport.ExternalTool;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** prometheus.yml and alert_rules.yml checked and unit-tested by the real promtool. */
class PrometheusRulesTest {
  private static final Set<String> GROUPS =
      Set.of("application", "llm", "jvm", "database-and-cache", "system", "containers", "pipeline");

  private final String promtool = ExternalTool.require("promtool", "prometheus").toString();

  @Test
  void promtoolAcceptsThePrometheusConfigAndItsRuleFile() {
    Stack.Result result =
        Stack.run(promtool, "check", "config", Stack.file("prometheus/prometheus.yml").toString());

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS: 1 rule files found");
  }

  @Test
  void promtoolAcceptsTheAlertRules() {
    Stack.Result result =
        Stack.run(promtool, "check", "rules", Stack.file("prometheus/alert_rules.yml").toString());

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS");
  }

  @Test
  void everyRuleUnitTestPasses() throws IOException {
    List<String> command = new ArrayList<>(List.of(promtool, "test", "rules"));
    testFiles().forEach(file -> command.add(file.getFileName().toString()));

    Stack.Result result =
        Stack.run(java.util.Map.of(), Stack.file("prometheus/tests"), null, command);

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).doesNotContain("FAILED");
  }

  @Test
  void everyAlertHasAFiringAndANotFiringUnitTest() throws IOException {
    Set<String> alerts = new TreeSet<>();
    rules().forEach(rule -> alerts.add(rule.path("alert").asText()));
    Set<String> fires = new HashSet<>();
    Set<String> staysQuiet = new HashSet<>();
    for (Path file : testFiles()) {
      for (JsonNode test : Stack.yaml(file).path("tests")) {
        for (JsonNode check : test.path("alert_rule_test")) {
          String alert = check.path("alertname").asText();
          (check.path("exp_alerts").isEmpty() ? staysQuiet : fires).add(alert);
        }
      }
    }

    assertThat(alerts).hasSizeGreaterThanOrEqualTo(25);
    assertThat(fires).containsAll(alerts);
    assertThat(staysQuiet).containsAll(alerts);
  }

  @Test
  void everyGroupOfTheIssueExistsAndEveryRuleCarriesRoutingLabelsAndARunbook() {
    Set<String> groups = new HashSet<>();
    Stack.yaml(Stack.file("prometheus/alert_rules.yml"))
        .path("groups")
        .forEach(group -> groups.add(group.path("name").asText()));
    assertThat(groups).containsAll(GROUPS);

    for (JsonNode rule : rules()) {
      String alert = rule.path("alert").asText();
      assertThat(rule.path("labels").path("severity").asText())
          .as(alert)
          .isIn("warning", "critical");
      assertThat(rule.path("labels").path("team").asText())
          .as(alert)
          .isIn("backend", "ai", "platform");
      for (String annotation : List.of("summary", "description", "runbook")) {
        assertThat(rule.path("annotations").path(annotation).asText())
            .as(alert + " " + annotation)
            .hasSizeGreaterThan(15);
      }
    }
  }

  @Test
  void prometheusScrapesTheAppExportersAndCadvisorAndSendsToAlertmanager() {
    JsonNode config = Stack.yaml(Stack.file("prometheus/prometheus.yml"));
    Set<String> targets = new HashSet<>();
    config
        .path("scrape_configs")
        .forEach(
            job ->
                job.path("static_configs")
                    .forEach(c -> c.path("targets").forEach(t -> targets.add(t.asText()))));

    assertThat(targets)
        .contains(
            "host.docker.internal:8000",
            "node-exporter:9100",
            "cadvisor:8080",
            "redis-exporter:9121",
            "postgres-exporter:9187");
    assertThat(config.path("rule_files").get(0).asText()).isEqualTo("alert_rules.yml");
    assertThat(
            config
                .path("alerting")
                .path("alertmanagers")
                .get(0)
                .path("static_configs")
                .get(0)
                .path("targets")
                .get(0)
                .asText())
        .isEqualTo("alertmanager:9093");
  }

  static List<JsonNode> rules() {
    List<JsonNode> rules = new ArrayList<>();
    Stack.yaml(Stack.file("prometheus/alert_rules.yml"))
        .path("groups")
        .forEach(group -> group.path("rules").forEach(rules::add));
    return rules;
  }

  private static List<Path> testFiles() throws IOException {
    try (Stream<Path> files = Files.list(Stack.file("prometheus/tests"))) {
      return files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
    }
  }
}
