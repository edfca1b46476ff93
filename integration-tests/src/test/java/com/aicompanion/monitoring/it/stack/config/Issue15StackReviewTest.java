package com.aicompanion.monitoring.it.stack.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.testsupport.ExternalTool;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review of issue 15 (rules and Alertmanager): inputs of the issue's kinds that the stack's own
 * tests did not use, on the real promtool and a real Alertmanager with the stack's configuration.
 */
class Issue15StackReviewTest {
  private static AlertmanagerUnderTest alertmanager;
  private final String promtool = ExternalTool.require("promtool", "prometheus").toString();

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    alertmanager = AlertmanagerUnderTest.start();
  }

  @AfterAll
  static void stop() {
    if (alertmanager != null) {
      alertmanager.close();
    }
  }

  /** Runs one promtool unit-test file against the stack's alert_rules.yml. */
  private Stack.Result promtoolTest(String tests) throws IOException {
    Path file = dir.resolve("review_test.yml");
    Files.writeString(
        file,
        "rule_files: ['"
            + Stack.file("prometheus/alert_rules.yml")
            + "']\nevaluation_interval: 15s\ntests:\n"
            + tests);
    return Stack.run(Map.of(), dir, null, List.of(promtool, "test", "rules", file.toString()));
  }

  @Test
  void anOverflowAfterARestartAtTheOldValueStillAlerts() throws IOException {
    Stack.Result result =
        promtoolTest(
            """
            - name: 'one overflow, restart (series stale), one overflow in the new process'
              interval: 15s
              input_series:
              - series: monitoring_cardinality_overflow_total{job="ai-companion", instance="app:8000", metric="chat_requests"}
                values: 1x48 stale _x3 1x20
              promql_expr_test:
              - expr: ALERTS{alertname="MetricCardinalityOverflow", alertstate="firing"}
                eval_time: 13m30s
                exp_samples:
                - labels: 'ALERTS{alertname="MetricCardinalityOverflow", alertstate="firing", job="ai-companion", instance="app:8000", metric="chat_requests", severity="warning", team="backend"}'
                  value: 1
            """);
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  void aSecondApplicationJobThatGoesDownAlerts() throws IOException {
    Stack.Result result =
        promtoolTest(
            """
            - name: 'a second service, scraped as its own job, goes down'
              interval: 15s
              input_series:
              - series: up{job="chat-admin", instance="admin:8001", environment="dev"}
                values: 1 1 0x30
              promql_expr_test:
              - expr: count(ALERTS{job="chat-admin", alertstate="firing"})
                eval_time: 5m
                exp_samples:
                - labels: '{}'
                  value: 1
            """);
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  void aFlappingApplicationAlerts() throws IOException {
    Stack.Result result =
        promtoolTest(
            """
            - name: 'the application answers one scrape in three'
              interval: 15s
              input_series:
              - series: up{job="ai-companion", instance="app:8000", environment="dev"}
                values: 1 0 0 1 0 0 1 0 0 1 0 0 1 0 0 1 0 0 1 0 0 1 0 0 1 0 0 1 0 0 1 0 0 1 0 0 1 0 0 1 0 0
              promql_expr_test:
              - expr: count(ALERTS{job="ai-companion", alertstate="firing"})
                eval_time: 10m
                exp_samples:
                - labels: '{}'
                  value: 1
            """);
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  void aCriticalDiskAlertMutesOnlyTheWarningOfTheSameFileSystem() {
    Map<String, String> rootCritical =
        labels(
            "HostDiskSpaceLow",
            "critical",
            "job=node",
            "instance=host-r:9100",
            "mountpoint=/",
            "device=sda1");
    Map<String, String> rootWarning =
        labels(
            "HostDiskSpaceLow",
            "warning",
            "job=node",
            "instance=host-r:9100",
            "mountpoint=/",
            "device=sda1");
    Map<String, String> dataWarning =
        labels(
            "HostDiskSpaceLow",
            "warning",
            "job=node",
            "instance=host-r:9100",
            "mountpoint=/data",
            "device=sdb1");

    alertmanager.post(rootCritical, rootWarning, dataWarning);

    awaitInhibited(rootWarning, true);
    assertInhibited(dataWarning, false);
  }

  @Test
  void aCriticalApplicationAlertMutesOnlyItsOwnWarning() {
    Map<String, String> criticalA =
        labels(
            "LlmBudgetExceeded",
            "critical",
            "service=svc-rev",
            "environment=prod",
            "team=ai",
            "model=gpt-4o");
    Map<String, String> warningA =
        labels(
            "LlmBudgetExceeded",
            "warning",
            "service=svc-rev",
            "environment=prod",
            "team=ai",
            "model=gpt-4o");
    Map<String, String> warningB =
        labels(
            "LlmBudgetExceeded",
            "warning",
            "service=svc-rev",
            "environment=prod",
            "team=ai",
            "model=claude-3-haiku");

    alertmanager.post(criticalA, warningA, warningB);

    awaitInhibited(warningA, true);
    assertInhibited(warningB, false);
  }

  @Test
  void postgresDownDoesNotMuteAnotherServicesDatabaseCheck() {
    Map<String, String> postgresDown =
        labels(
            "PostgresDown",
            "critical",
            "job=postgres",
            "instance=pg-exporter-a:9187",
            "environment=rev-prod",
            // the exporter's target label naming the service it watches for (prometheus.yml)
            "service=ai-companion");
    Map<String, String> ownCheck =
        labels(
            "HealthCheckFailing",
            "warning",
            "job=ai-companion",
            "instance=a:8000",
            "environment=rev-prod",
            // HealthCheckFailing's service = its job (alert_rules.yml)
            "service=ai-companion",
            "check=database");
    Map<String, String> otherServicesCheck =
        labels(
            "HealthCheckFailing",
            "warning",
            "job=billing",
            "instance=billing:8000",
            "environment=rev-prod",
            "service=billing",
            "check=database");

    alertmanager.post(postgresDown, ownCheck, otherServicesCheck);

    awaitInhibited(ownCheck, true);
    assertInhibited(otherServicesCheck, false);
  }

  private static Map<String, String> labels(String alertname, String severity, String... more) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("alertname", alertname);
    labels.put("severity", severity);
    for (String pair : more) {
      String[] kv = pair.split("=", 2);
      labels.put(kv[0], kv[1]);
    }
    return labels;
  }

  private static void awaitInhibited(Map<String, String> labels, boolean inhibited) {
    await(labels + (inhibited ? " inhibited" : " not inhibited"))
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> isInhibited(labels) == inhibited);
  }

  private static void assertInhibited(Map<String, String> labels, boolean inhibited) {
    assertThat(isInhibited(labels))
        .as("%s inhibited (Alertmanager log:\n%s)", labels, alertmanager.tail())
        .isEqualTo(inhibited);
  }

  private static boolean isInhibited(Map<String, String> labels) {
    Map<String, String> wanted = new TreeMap<>(labels);
    List<JsonNode> alerts = alertmanager.alerts();
    for (JsonNode alert : alerts) {
      Map<String, String> got = new TreeMap<>();
      alert.path("labels").properties().forEach(e -> got.put(e.getKey(), e.getValue().asText()));
      if (got.equals(wanted)) {
        return alert.path("status").path("inhibitedBy").size() > 0;
      }
    }
    throw new AssertionError("Alertmanager does not hold " + labels + "; it holds " + alerts);
  }
}
