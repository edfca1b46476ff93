package com.aicompanion.monitoring.it.stack.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every object of {@code stack/kubernetes/} validated against the Kubernetes and Prometheus
 * Operator JSON schemas of the npm packages {@code kubernetes-models} and {@code
 * @kubernetes-models/prometheus-operator} (versions pinned in {@code
 * src/test/node/kubernetes-schemas/package-lock.json}, installed by {@code scripts/test.sh}).
 */
class KubernetesSchemaTest {

  @Test
  void everyObjectValidatesAgainstItsSchema() {
    List<Path> files = Manifests.files();
    Manifests.Result result = Manifests.validate(files);

    assertThat(result.exitCode()).as(result.output()).isZero();
    long valid = result.output().lines().filter(l -> l.startsWith("valid ")).count();
    assertThat(valid).as(result.output()).isEqualTo(Manifests.objects().size());
    assertThat(result.output())
        .contains("Deployment/ai-companion")
        .contains("Service/ai-companion")
        .contains("ServiceMonitor/ai-companion")
        .contains("PrometheusRule/ai-companion-rules")
        .contains("Secret/alertmanager-main")
        .contains("ConfigMap/grafana-dashboard-");
  }

  @Test
  void theValidatorRejectsAWrongTypeAndAnUnknownKind(@TempDir Path temp) throws IOException {
    String deployment = Files.readString(Manifests.dir().resolve("deployment.yaml"));
    Path broken = temp.resolve("broken.yaml");
    Files.writeString(
        broken, deployment.replace("containerPort: 8000", "containerPort: metrics-port"));
    Path rule = temp.resolve("rule.yaml");
    Files.writeString(
        rule,
        Files.readString(Manifests.dir().resolve("servicemonitor.yaml"))
            .replace("kind: ServiceMonitor", "kind: ServiceMonitorr"));

    Manifests.Result result = Manifests.validate(List.of(broken, rule));

    assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
    assertThat(result.output())
        .contains("invalid " + broken + " Deployment/ai-companion")
        .contains("containerPort must be integer")
        .contains("no schema for apiVersion monitoring.coreos.com/v1 kind ServiceMonitorr");
  }

  /** The API server's format checks, which the JSON schemas lack (validate.mjs: formats()). */
  @Test
  void theValidatorRejectsWhatTheApiServerRefusesAndTheSchemasAllow(@TempDir Path temp)
      throws IOException {
    String deployment = Files.readString(Manifests.dir().resolve("deployment.yaml"));
    Path names = temp.resolve("names.yaml");
    Files.writeString(
        names,
        deployment
            .replaceFirst("(?m)^  name: ai-companion$", "  name: AI_Companion")
            .replaceFirst(
                "(?m)^    app.kubernetes.io/part-of: companion-monitoring$",
                "    app.kubernetes.io/part of: companion-monitoring")
            .replaceFirst("(?m)^        environment: prod$", "        environment: prod/eu")
            .replaceFirst("(?m)^          image: .*$", "          image: \"\""));
    Path service = temp.resolve("service.yaml");
    Files.writeString(
        service,
        Files.readString(Manifests.dir().resolve("service.yaml"))
            .replaceFirst("(?m)^  name: ai-companion$", "  name: 1.ai-companion"));
    Path configMap = temp.resolve("configmap.yaml");
    Files.writeString(
        configMap,
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: grafana-dashboard-x
        data:
          "AI Companion.json": "{}"
        """);
    Path secret = temp.resolve("secret.yaml");
    Files.writeString(
        secret,
        """
        apiVersion: v1
        kind: Secret
        metadata:
          name: alertmanager-main
        stringData:
          "smtp/password": ""
        """);

    Manifests.Result result = Manifests.validate(List.of(names, service, configMap, secret));

    assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
    assertThat(result.output())
        .contains("metadata.name \"AI_Companion\" is no lower-case RFC 1123 subdomain")
        .contains("\"app.kubernetes.io/part of\": name part \"part of\"")
        .contains("\"environment\": value \"prod/eu\"")
        .contains("container \"chat-service\" has no image")
        .contains("metadata.name \"1.ai-companion\" of a Service is no RFC 1035 label")
        .contains("data key \"AI Companion.json\"")
        .contains("stringData key \"smtp/password\"")
        .doesNotContainPattern("(?m)^valid " + java.util.regex.Pattern.quote(names.toString()))
        .doesNotContainPattern("(?m)^valid " + java.util.regex.Pattern.quote(configMap.toString()))
        .doesNotContainPattern("(?m)^valid " + java.util.regex.Pattern.quote(secret.toString()));
  }

  @Test
  void thePrometheusRuleSchemaRejectsARuleWithoutExpr(@TempDir Path temp) throws IOException {
    JsonNode rule = Manifests.only("PrometheusRule").deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode)
            rule.path("spec").path("groups").get(0).path("rules").get(0))
        .remove("expr");
    Path file = temp.resolve("rule.yaml");
    Manifests.YAML.writeValue(file.toFile(), rule);

    Manifests.Result result = Manifests.validate(List.of(file));

    assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
    assertThat(result.output()).contains("expr");
  }
}
