package com.aicompanion.monitoring.it.stack.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.testsupport.ExternalTool;
import org.junit.jupiter.api.Test;

/** alertmanager.yml checked, and its routing tested, by the real amtool. */
class AlertmanagerConfigTest {
  private final String amtool =
      ExternalTool.require("amtool", "prometheus-alertmanager").toString();
  private final String config = Stack.file("alertmanager/alertmanager.yml").toString();

  @Test
  void amtoolAcceptsTheConfig() {
    Stack.Result result = Stack.run(amtool, "check-config", config);

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS").contains("4 inhibit rules");
  }

  @Test
  void alertsRouteByTeamAndSeverity() {
    assertThat(route("team=backend", "severity=critical")).isEqualTo("backend-critical");
    assertThat(route("team=backend", "severity=warning")).isEqualTo("backend-slack");
    assertThat(route("team=ai", "severity=critical")).isEqualTo("ai-critical");
    assertThat(route("team=ai", "severity=warning")).isEqualTo("ai-slack");
    assertThat(route("team=platform", "severity=critical")).isEqualTo("platform-critical");
    assertThat(route("team=unknown", "severity=warning")).isEqualTo("platform-slack");
  }

  @Test
  void theApplicationsOwnAlertsRouteByTheirTeamAndWithoutTeamToThePlatformTeam() {
    assertThat(route("alertname=HealthCheckFailed", "severity=critical", "team=backend"))
        .isEqualTo("backend-critical");
    assertThat(
            route(
                "alertname=HealthCheckFailed",
                "severity=critical",
                "team=backend",
                "service=chat-service",
                "environment=prod",
                "check=database"))
        .isEqualTo("backend-critical");
    assertThat(route("alertname=LlmBudgetExceeded", "severity=warning", "team=backend"))
        .isEqualTo("backend-slack");
    // no team (or an unknown one): critical still pages, through the platform team
    assertThat(route("alertname=HealthCheckFailed", "severity=critical"))
        .isEqualTo("platform-critical");
    assertThat(route("alertname=HealthCheckFailed", "severity=critical", "team=unknown"))
        .isEqualTo("platform-critical");
    assertThat(route("alertname=LlmBudgetExceeded", "severity=warning"))
        .isEqualTo("platform-slack");
  }

  @Test
  void theTitleListsOnlyTheLabelsAnAlertHas() throws java.io.IOException {
    assertThat(
            renderTitle(
                "{\"alertname\":\"HealthCheckFailed\",\"severity\":\"critical\","
                    + "\"team\":\"backend\",\"service\":\"chat-service\",\"environment\":\"prod\"}"))
        .isEqualTo("[FIRING:1] HealthCheckFailed (critical, backend, chat-service, prod)");
    assertThat(
            renderTitle(
                "{\"alertname\":\"HighErrorRatio\",\"severity\":\"warning\","
                    + "\"team\":\"backend\",\"job\":\"ai-companion\"}"))
        .isEqualTo("[FIRING:1] HighErrorRatio (warning, backend, ai-companion)");
    assertThat(renderTitle("{\"alertname\":\"HealthCheckFailed\",\"severity\":\"critical\"}"))
        .isEqualTo("[FIRING:1] HealthCheckFailed (critical)");
    assertThat(renderTitle("{\"alertname\":\"HealthCheckFailed\"}"))
        .isEqualTo("[FIRING:1] HealthCheckFailed");
  }

  /** companion.title rendered by amtool for one firing alert whose labels are {@code labels}. */
  private String renderTitle(String labels) throws java.io.IOException {
    java.nio.file.Path data = java.nio.file.Files.createTempFile("alert-data", ".json");
    try {
      java.nio.file.Files.writeString(
          data,
          "{\"status\":\"firing\",\"receiver\":\"r\",\"groupLabels\":{},\"commonLabels\":"
              + labels
              + ",\"commonAnnotations\":{},\"alerts\":[{\"status\":\"firing\",\"labels\":"
              + labels
              + ",\"annotations\":{}}]}");
      Stack.Result result =
          Stack.run(
              amtool,
              "template",
              "render",
              "--template.glob=" + Stack.file("alertmanager/templates") + "/*.tmpl",
              "--template.data=" + data,
              "--template.text={{ template \"companion.title\" . }}");
      assertThat(result.exitCode()).as(result.output()).isZero();
      return result.output().strip();
    } finally {
      java.nio.file.Files.deleteIfExists(data);
    }
  }

  @Test
  void secretsComeFromFilesNotFromTheConfig() {
    String text = Stack.read(Stack.file("alertmanager/alertmanager.yml"));

    assertThat(text)
        .contains("smtp_auth_password_file: /etc/alertmanager/secrets/smtp_password")
        .contains("slack_api_url_file: /etc/alertmanager/secrets/slack_webhook_url")
        .doesNotContain("smtp_auth_password:")
        .doesNotContain("hooks.slack.com");
  }

  @Test
  void notificationTemplatesRenderSummaryAndRunbookAndSkipMissingOnes() throws Exception {
    java.nio.file.Path data = java.nio.file.Files.createTempFile("alert-data", ".json");
    try {
      java.nio.file.Files.writeString(
          data,
          """
          {"status": "firing", "receiver": "r", "groupLabels": {}, "commonAnnotations": {},
           "commonLabels": {"alertname": "A"},
           "alerts": [
             {"status": "firing", "labels": {"alertname": "A"},
              "annotations": {"summary": "A is bad", "description": "why", "runbook": "do this"}},
             {"status": "firing", "labels": {"alertname": "NoAnnotations"}, "annotations": {}}]}
          """);
      Stack.Result result =
          Stack.run(
              amtool,
              "template",
              "render",
              "--template.glob=" + Stack.file("alertmanager/templates") + "/*.tmpl",
              "--template.data=" + data,
              "--template.text={{ template \"companion.text\" . }}");

      assertThat(result.exitCode()).as(result.output()).isZero();
      assertThat(result.output())
          .contains("*A is bad*\nwhy\nRunbook: do this")
          .contains("*NoAnnotations*")
          .containsOnlyOnce("Runbook:");
    } finally {
      java.nio.file.Files.deleteIfExists(data);
    }
  }

  private String route(String... labels) {
    java.util.List<String> command =
        new java.util.ArrayList<>(
            java.util.List.of(amtool, "config", "routes", "test", "--config.file=" + config));
    command.addAll(java.util.List.of(labels));
    Stack.Result result = Stack.run(java.util.Map.of(), null, null, command);
    assertThat(result.exitCode()).as(result.output()).isZero();
    return result
        .output()
        .lines()
        .filter(line -> !line.startsWith("Warning"))
        .findFirst()
        .orElse("");
  }
}
