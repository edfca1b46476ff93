package com.aicompanion.monitoring.it.stack.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.testsupport.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * monitoring.sh against stand-in {@code docker} and {@code docker-compose} scripts on PATH that
 * record their calls (no Docker can run here). The script runs from a copy of {@code stack/}, so
 * that the files it creates (.env, secrets) stay out of the repository.
 */
class MonitoringScriptTest {
  private static final List<String> TOOLS =
      List.of("bash", "basename", "od", "tr", "sed", "chmod", "date", "mkdir", "cp", "cat");
  private static final String STANDIN =
      """
      #!/bin/bash
      echo "$(basename "$0") $*" >> "$STANDIN_LOG"
      if [[ "$(basename "$0") $1 $2" == "docker compose version" && "$STANDIN_PLUGIN" != yes ]]; then
        echo "docker: 'compose' is not a docker command." >&2; exit 1
      fi
      if [[ "$(basename "$0") $1" == "docker info" && "$STANDIN_DAEMON" == down ]]; then exit 1; fi
      if [[ "$(basename "$0") $1" == "docker inspect" ]]; then echo "${STANDIN_HEALTH:-healthy}"; fi
      exit 0
      """;

  @TempDir Path temp;
  private Path stack;
  private Path bin;
  private Path log;
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void copyTheStackAndInstallStandIns() throws IOException {
    stack = Files.createDirectories(temp.resolve("stack"));
    for (String file : List.of("monitoring.sh", ".env.example", "docker-compose.monitoring.yml")) {
      Files.copy(Stack.file(file), stack.resolve(file));
    }
    Files.createDirectories(stack.resolve("alertmanager/secrets"));
    Files.createDirectories(stack.resolve("grafana/secrets"));
    bin = Files.createDirectories(temp.resolve("bin"));
    for (String tool : TOOLS) {
      Files.createSymbolicLink(bin.resolve(tool), ExternalTool.require(tool, "coreutils"));
    }
    log = temp.resolve("calls.log");
    Files.createFile(log);
    env.put("PATH", bin.toString());
    env.put("STANDIN_LOG", log.toString());
    env.put("STANDIN_PLUGIN", "yes");
  }

  @Test
  void monitoringShIsShellcheckClean() {
    String shellcheck = ExternalTool.require("shellcheck", "shellcheck").toString();

    Stack.Result result = Stack.run(shellcheck, Stack.file("monitoring.sh").toString());

    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  void startWithTheComposePluginCreatesEnvAndSecretsAndBringsTheStackUp() throws IOException {
    standIn("docker");

    Stack.Result result = script(null, "start");

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(calls())
        .containsExactly(
            "docker compose version", "docker info", "docker compose " + projectArgs() + " up -d");
    assertThat(Files.readString(stack.resolve(".env")))
        .isEqualTo(Files.readString(stack.resolve(".env.example")));
    assertThat(Files.getPosixFilePermissions(stack.resolve(".env")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    Path grafanaPassword = stack.resolve("grafana/secrets/admin_password");
    assertThat(Files.readString(grafanaPassword)).matches("[0-9a-f]{36}");
    assertThat(Files.getPosixFilePermissions(grafanaPassword))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(stack.resolve("alertmanager/secrets/smtp_password")).exists();
    assertThat(stack.resolve("alertmanager/secrets/slack_webhook_url")).exists();
    assertThat(result.output()).contains("http://localhost:3000");
  }

  @Test
  void aSecondStartKeepsTheExistingEnvFileAndPassword() throws IOException {
    standIn("docker");
    Files.writeString(stack.resolve(".env"), "BIND_ADDRESS=127.0.0.1\n");
    Files.writeString(stack.resolve("grafana/secrets/admin_password"), "mine");

    script(null, "start");

    assertThat(Files.readString(stack.resolve(".env"))).isEqualTo("BIND_ADDRESS=127.0.0.1\n");
    assertThat(Files.readString(stack.resolve("grafana/secrets/admin_password"))).isEqualTo("mine");
  }

  @Test
  void withoutThePluginTheStandaloneDockerComposeIsUsed() throws IOException {
    standIn("docker");
    standIn("docker-compose");
    env.put("STANDIN_PLUGIN", "no");

    Stack.Result result = script(null, "stop");

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(calls())
        .containsExactly(
            "docker compose version", "docker info", "docker-compose " + projectArgs() + " down");
  }

  @Test
  void eachCommandRunsItsComposeInvocation() throws IOException {
    standIn("docker");
    Map<List<String>, List<String>> expected =
        Map.of(
            List.of("stop"), List.of("down"),
            List.of("restart"), List.of("restart"),
            List.of("restart", "grafana"), List.of("restart grafana"),
            List.of("status"), List.of("ps"),
            List.of("logs"), List.of("logs --follow --tail=200"),
            List.of("logs", "prometheus"), List.of("logs --follow --tail=200 prometheus"),
            List.of("update"), List.of("pull", "up -d"));
    for (var entry : expected.entrySet()) {
      Files.writeString(log, "");

      Stack.Result result = script(null, entry.getKey().toArray(String[]::new));

      assertThat(result.exitCode()).as(entry.getKey() + ": " + result.output()).isZero();
      assertThat(composeCalls()).as(entry.getKey().toString()).isEqualTo(entry.getValue());
    }
  }

  @Test
  void cleanupAsksAndDoesNothingUnlessTheAnswerIsYes() throws IOException {
    standIn("docker");

    Stack.Result refused = script("no\n", "cleanup");

    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.output())
        .contains("DELETES its data volumes")
        .contains("Type yes to continue:")
        .contains("aborted, nothing was changed");
    assertThat(composeCalls()).isEmpty();

    Stack.Result accepted = script("yes\n", "cleanup");

    assertThat(accepted.exitCode()).as(accepted.output()).isZero();
    assertThat(composeCalls()).containsExactly("down --volumes --remove-orphans");
  }

  @Test
  void cleanupWithYesDoesNotAsk() throws IOException {
    standIn("docker");

    Stack.Result result = script(null, "cleanup", "--yes");

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).doesNotContain("Type yes");
    assertThat(composeCalls()).containsExactly("down --volumes --remove-orphans");
  }

  @Test
  void withoutDockerTheScriptSaysSoAndCallsNothing() {
    Stack.Result result = script(null, "start");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.output()).contains("error: Docker is not installed");
    assertThat(stack.resolve(".env")).doesNotExist();
  }

  @Test
  void withoutAnyComposeTheScriptSaysSo() throws IOException {
    standIn("docker");
    env.put("STANDIN_PLUGIN", "no");

    Stack.Result result = script(null, "status");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.output()).contains("error: Docker Compose is not installed");
    assertThat(calls()).containsExactly("docker compose version");
  }

  @Test
  void aStoppedDaemonIsReportedAsSuch() throws IOException {
    standIn("docker");
    env.put("STANDIN_DAEMON", "down");

    Stack.Result result = script(null, "status");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.output()).contains("the Docker daemon is not running");
  }

  @Test
  void healthReportsEveryContainerAndFailsWhenOneIsUnhealthy() throws IOException {
    standIn("docker");

    Stack.Result healthy = script(null, "health");

    assertThat(healthy.exitCode()).as(healthy.output()).isZero();
    assertThat(healthy.output()).contains("Every service is healthy").contains("grafana");
    assertThat(calls())
        .contains(
            "docker inspect --format {{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}} elasticsearch");

    env.put("STANDIN_HEALTH", "unhealthy");
    Stack.Result unhealthy = script(null, "health");

    assertThat(unhealthy.exitCode()).isEqualTo(1);
    assertThat(unhealthy.output()).contains("not healthy");
  }

  @Test
  void backupStopsArchivesEveryVolumeAndStartsAgain() throws IOException {
    standIn("docker");
    Path backup = temp.resolve("backup");

    Stack.Result result = script(null, "backup", backup.toString());

    assertThat(result.exitCode()).as(result.output()).isZero();
    List<String> calls = calls();
    assertThat(calls.get(2)).isEqualTo("docker compose " + projectArgs() + " stop");
    assertThat(calls.get(3))
        .isEqualTo(
            "docker run --rm -v companion-monitoring_prometheus-data:/data:ro -v "
                + backup
                + ":/backup alpine:3.20 tar czf /backup/prometheus-data.tar.gz -C /data .");
    assertThat(calls).hasSize(2 + 1 + 4 + 1);
    assertThat(calls.get(calls.size() - 1)).isEqualTo("docker compose " + projectArgs() + " start");
  }

  @Test
  void restoreChecksTheBackupAndReplacesEveryVolume() throws IOException {
    standIn("docker");
    Path backup = Files.createDirectories(temp.resolve("backup"));

    Stack.Result incomplete = script(null, "restore", backup.toString(), "--yes");
    assertThat(incomplete.exitCode()).isEqualTo(1);
    assertThat(incomplete.output()).contains("has no prometheus-data.tar.gz");

    for (String volume :
        List.of("prometheus-data", "alertmanager-data", "grafana-data", "elasticsearch-data")) {
      Files.createFile(backup.resolve(volume + ".tar.gz"));
    }
    Files.writeString(log, "");
    Stack.Result result = script(null, "restore", backup.toString(), "--yes");

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(composeCalls()).containsExactly("down", "up -d");
    assertThat(calls()).contains("docker volume create companion-monitoring_grafana-data");
  }

  private void standIn(String name) throws IOException {
    Path file = bin.resolve(name);
    Files.writeString(file, STANDIN);
    Files.setPosixFilePermissions(
        file,
        Set.of(
            PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_EXECUTE));
  }

  private Stack.Result script(String stdin, String... args) {
    List<String> command = new java.util.ArrayList<>();
    command.add(ExternalTool.require("bash", "bash").toString());
    command.add(stack.resolve("monitoring.sh").toString());
    command.addAll(List.of(args));
    return Stack.run(env, temp, stdin, command);
  }

  private String projectArgs() {
    return "--project-name companion-monitoring --file "
        + stack.resolve("docker-compose.monitoring.yml");
  }

  private List<String> calls() throws IOException {
    return Files.readAllLines(log);
  }

  /** The compose sub-commands called, without the program and the project arguments. */
  private List<String> composeCalls() throws IOException {
    String prefix = projectArgs() + " ";
    return calls().stream()
        .filter(call -> call.contains(prefix))
        .map(call -> call.substring(call.indexOf(prefix) + prefix.length()).strip())
        .toList();
  }
}
