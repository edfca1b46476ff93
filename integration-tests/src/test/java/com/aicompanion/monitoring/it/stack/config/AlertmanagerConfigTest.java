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
    assertThat(result.output()).contains("SUCCESS").contains("3 inhibit rules");
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
  void secretsComeFromFilesNotFromTheConfig() {
    String text = Stack.read(Stack.file("alertmanager/alertmanager.yml"));

    assertThat(text)
        .contains("smtp_auth_password_file: /etc/alertmanager/secrets/smtp_password")
        .contains("slack_api_url_file: /etc/alertmanager/secrets/slack_webhook_url")
        .doesNotContain("smtp_auth_password:")
        .doesNotContain("hooks.slack.com");
  }

  @Test
  void notificationTemplatesRenderSummaryAndRunbook() {
    Stack.Result result =
        Stack.run(
            amtool,
            "template",
            "render",
            "--template.glob=" + Stack.file("alertmanager/templates") + "/*.tmpl",
            "--template.text={{ template \"companion.text\" . }}");

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("Runbook:");
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
