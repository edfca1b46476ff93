package com.aicompanion.monitoring.it.stack.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.testsupport.ExternalTool;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docker-compose.monitoring.yml validated and resolved by Debian's docker-compose (1.29). */
class ComposeFileTest {
  private static final Set<String> SERVICES =
      Set.of(
          "prometheus",
          "alertmanager",
          "grafana",
          "elasticsearch",
          "kibana",
          "jaeger",
          "node-exporter",
          "cadvisor",
          "redis-exporter",
          "postgres-exporter");

  private final String dockerCompose =
      ExternalTool.require("docker-compose", "docker-compose").toString();

  @Test
  void composeConfigPassesOnAFreshCheckoutWithoutAnEnvFile() {
    Stack.Result result = compose(new HashMap<>(), "config", "-q");

    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  void composeConfigPassesWithTheExampleEnvFile() {
    Stack.Result result = compose(envExample(), "config", "-q");

    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  void grafanaReadsItsPasswordFromASecretFileInsteadOfADefault() throws Exception {
    JsonNode grafana =
        Stack.YAML
            .readTree(compose(envExample(), "config").output())
            .path("services")
            .path("grafana");

    assertThat(grafana.path("environment").has("GF_SECURITY_ADMIN_PASSWORD")).isFalse();
    assertThat(grafana.path("environment").path("GF_SECURITY_ADMIN_PASSWORD__FILE").asText())
        .isEqualTo("/run/secrets/grafana/admin_password");
    assertThat(grafana.path("volumes").toString())
        .contains("grafana/secrets:/run/secrets/grafana:ro");
  }

  @Test
  void everyServiceIsPinnedHealthCheckedAndPublishedOnLocalhostOnly() throws Exception {
    Stack.Result result = compose(envExample(), "config");
    assertThat(result.exitCode()).as(result.output()).isZero();
    JsonNode services = Stack.YAML.readTree(result.output()).path("services");

    List<String> names = new ArrayList<>();
    services.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsAll(SERVICES);
    for (String name : names) {
      JsonNode service = services.path(name);
      String image = service.path("image").asText();
      assertThat(image).as(name).matches(".+:[0-9v][0-9A-Za-z.\\-]*").doesNotEndWith(":latest");
      if (!Set.of("redis-exporter", "elasticsearch-setup").contains(name)) {
        assertThat(service.path("healthcheck").path("test").isMissingNode()).as(name).isFalse();
      }
      for (JsonNode port : service.path("ports")) {
        assertThat(port.asText()).as(name).startsWith("127.0.0.1:");
      }
    }
  }

  @Test
  void prometheusKeepsExemplarsAndAConfigurableRetentionAndJaegerTakesOtlp() throws Exception {
    Map<String, String> env = envExample();
    env.put("PROMETHEUS_RETENTION", "45d");
    env.put("BIND_ADDRESS", "10.1.2.3");
    JsonNode services = Stack.YAML.readTree(compose(env, "config").output()).path("services");

    assertThat(services.path("prometheus").path("command").toString())
        .contains("--enable-feature=exemplar-storage")
        .contains("--storage.tsdb.retention.time=45d");
    List<String> jaegerPorts = new ArrayList<>();
    services.path("jaeger").path("ports").forEach(p -> jaegerPorts.add(p.asText()));
    assertThat(jaegerPorts)
        .contains("10.1.2.3:4317:4317/tcp", "10.1.2.3:4318:4318/tcp", "10.1.2.3:16686:16686/tcp");
  }

  private Map<String, String> envExample() {
    Map<String, String> env = new HashMap<>();
    for (String line : Stack.read(Stack.file(".env.example")).split("\n")) {
      int equals = line.indexOf('=');
      if (!line.startsWith("#") && equals > 0) {
        env.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }
    return env;
  }

  /** With an empty env file, so that a developer's own stack/.env cannot change the outcome. */
  private Stack.Result compose(Map<String, String> env, String... args) {
    Path emptyEnvFile;
    try {
      emptyEnvFile = Files.createTempFile("compose", ".env");
      emptyEnvFile.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                dockerCompose,
                "--env-file",
                emptyEnvFile.toString(),
                "-f",
                "docker-compose.monitoring.yml"));
    command.addAll(List.of(args));
    return Stack.run(env, null, null, command);
  }
}
