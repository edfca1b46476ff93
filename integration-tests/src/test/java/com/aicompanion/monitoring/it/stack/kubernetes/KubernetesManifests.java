package com.aicompanion.monitoring.it.stack.kubernetes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Generates the manifests of {@code stack/kubernetes/} that copy another file of {@code stack/}:
 * the PrometheusRule from {@code prometheus/alert_rules.yml}, the dashboard ConfigMaps from {@code
 * grafana/dashboards/*.json} and the Alertmanager Secret template from {@code
 * alertmanager/alertmanager.yml} and its templates. {@link GeneratedManifestsTest} fails when a
 * committed file differs from what this makes, and rewrites it with {@code
 * -Dkubernetes.manifests.write=true}.
 *
 * <pre>{@code
 * Map<String, String> files = KubernetesManifests.generate(stackDir);
 * String rule = files.get("prometheusrule.yaml");
 * }</pre>
 */
final class KubernetesManifests {
  static final String PROMETHEUS_RULE = "prometheusrule.yaml";
  static final String DASHBOARDS = "grafana-dashboards.yaml";
  static final String ALERTMANAGER_SECRET = "alertmanager-secret.yaml";

  /** Where the Prometheus Operator mounts every key of an Alertmanager's configuration Secret. */
  static final String ALERTMANAGER_CONFIG_DIR = "/etc/alertmanager/config/";

  /** The secret files alertmanager.yml reads (stack/alertmanager/secrets/README.md). */
  static final List<String> ALERTMANAGER_SECRET_FILES =
      List.of("smtp_password", "slack_webhook_url");

  private static final String REGENERATE =
      "./mvnw -B -o -q -pl integration-tests -am verify -Dtest=GeneratedManifestsTest"
          + " -Dkubernetes.manifests.write=true -Dsurefire.failIfNoSpecifiedTests=false";

  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
              // a label value such as "1" must stay a string
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .disable(YAMLGenerator.Feature.SPLIT_LINES)
              .build());

  private KubernetesManifests() {}

  /** Every generated file of {@code stack/kubernetes/}, by file name, made from {@code stack}. */
  static Map<String, String> generate(Path stack) {
    Map<String, String> files = new TreeMap<>();
    files.put(PROMETHEUS_RULE, prometheusRule(stack));
    files.put(DASHBOARDS, dashboards(stack));
    files.put(ALERTMANAGER_SECRET, alertmanagerSecret(stack));
    return files;
  }

  static String prometheusRule(Path stack) {
    JsonNode rules = readYaml(stack.resolve("prometheus/alert_rules.yml"));
    ObjectNode rule = object("monitoring.coreos.com/v1", "PrometheusRule", "ai-companion-rules");
    rule.putObject("spec").set("groups", rules.path("groups"));
    return header("prometheus/alert_rules.yml", "kubectl apply -f " + PROMETHEUS_RULE)
        + document(rule);
  }

  static String dashboards(Path stack) {
    StringBuilder out =
        new StringBuilder(
            header("grafana/dashboards/*.json", "kubectl apply --server-side -f " + DASHBOARDS));
    for (Path file : dashboardFiles(stack)) {
      String fileName = file.getFileName().toString();
      ObjectNode configMap =
          object("v1", "ConfigMap", "grafana-dashboard-" + fileName.replaceFirst("\\.json$", ""));
      // the Grafana sidecar (kube-prometheus-stack, grafana chart) loads ConfigMaps with this label
      ((ObjectNode) configMap.path("metadata").path("labels")).put("grafana_dashboard", "1");
      configMap.putObject("data").put(fileName, read(file));
      out.append(document(configMap));
    }
    return out.toString();
  }

  static String alertmanagerSecret(Path stack) {
    String config =
        read(stack.resolve("alertmanager/alertmanager.yml"))
            .replace("/etc/alertmanager/secrets/", ALERTMANAGER_CONFIG_DIR)
            .replace("/etc/alertmanager/secrets", ALERTMANAGER_CONFIG_DIR.replaceFirst("/$", ""))
            .replace("/etc/alertmanager/templates/", ALERTMANAGER_CONFIG_DIR);
    ObjectNode secret = object("v1", "Secret", "alertmanager-main");
    secret.put("type", "Opaque");
    ObjectNode data = secret.putObject("stringData");
    data.put("alertmanager.yaml", config);
    for (Path template : files(stack.resolve("alertmanager/templates"), ".tmpl")) {
      data.put(template.getFileName().toString(), read(template));
    }
    for (String name : ALERTMANAGER_SECRET_FILES) {
      data.put(name, "");
    }
    return header(
            "alertmanager/alertmanager.yml and alertmanager/templates/*.tmpl",
            "fill the empty keys, then kubectl apply -f " + ALERTMANAGER_SECRET)
        + "# A template: smtp_password and slack_webhook_url are empty (see README.md). The Prometheus\n"
        + "# Operator mounts every key at "
        + ALERTMANAGER_CONFIG_DIR
        + " (alertmanager.yml's file paths are rewritten to it).\n"
        + document(secret);
  }

  static List<Path> dashboardFiles(Path stack) {
    return files(stack.resolve("grafana/dashboards"), ".json");
  }

  private static ObjectNode object(String apiVersion, String kind, String name) {
    ObjectNode node = YAML.createObjectNode();
    node.put("apiVersion", apiVersion);
    node.put("kind", kind);
    ObjectNode metadata = node.putObject("metadata");
    metadata.put("name", name);
    ObjectNode labels = metadata.putObject("labels");
    labels.put("app.kubernetes.io/part-of", "companion-monitoring");
    return node;
  }

  private static String header(String source, String apply) {
    return "# Generated from stack/"
        + source
        + " by KubernetesManifests: do not edit, regenerate with\n# "
        + REGENERATE
        + "\n# Apply: "
        + apply
        + "\n";
  }

  private static String document(JsonNode node) {
    try {
      return YAML.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode readYaml(Path path) {
    try {
      return YAML.readTree(path.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path path) {
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> files(Path dir, String suffix) {
    try (Stream<Path> list = Files.list(dir)) {
      return new ArrayList<>(
          list.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
