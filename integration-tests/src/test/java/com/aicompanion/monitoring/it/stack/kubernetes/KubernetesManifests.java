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

  private static final String DASHBOARD_PREFIX = "grafana-dashboard-";

  /** k8s.io/apimachinery's IsDNS1123Subdomain, without its length bound (253). */
  private static final java.util.regex.Pattern DNS1123_SUBDOMAIN =
      java.util.regex.Pattern.compile(
          "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  /** k8s.io/apimachinery's IsConfigMapKey, without its length bound (253). */
  private static final java.util.regex.Pattern CONFIG_MAP_KEY =
      java.util.regex.Pattern.compile("[-._a-zA-Z0-9]+");

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
    rule.putObject("spec").set("groups", kubernetesGroups(rules.path("groups")));
    return header("prometheus/alert_rules.yml", "kubectl apply -f " + PROMETHEUS_RULE)
        + "# Differs from the source in the expressions of "
        + String.join(" and ", new java.util.TreeSet<>(KUBERNETES_RULE_CHANGES.keySet()))
        + " only (README.md: \"The rules on Kubernetes\").\n"
        + document(rule);
  }

  /**
   * The target label that the ServiceMonitor adds to the application's targets ({@code
   * servicemonitor.yaml}: {@code relabelings}) and the Kubernetes flavour of ServiceDown selects:
   * {@code companion_monitoring="application"}.
   */
  static final String APPLICATION_LABEL = "companion_monitoring";

  static final String APPLICATION_LABEL_VALUE = "application";

  /**
   * One change of an alert's {@code expr}: every match of {@code pattern}, exactly {@code count}.
   */
  record ExprChange(java.util.regex.Pattern pattern, int count, String replacement) {}

  /**
   * What the PrometheusRule changes in {@code alert_rules.yml}, by alert name; every other rule is
   * copied as is. Under kube-prometheus-stack the cluster's scrape jobs are the chart's
   * (kube-scheduler, kubelet, node-exporter, {@code <release>-kube-prometheus-prometheus}, ...),
   * watched by the chart's own rules (TargetDown, Watchdog, KubeletDown, ...):
   *
   * <ul>
   *   <li>ServiceDown selects the targets the ServiceMonitor labels {@code
   *       companion_monitoring="application"} instead of "every job but the stack's own", which on
   *       a cluster is every cluster component too (team backend paged for kube-scheduler);
   *   <li>ScrapeJobAbsent keeps {@code ai-companion} and the jobs that exposed {@code app_info},
   *       and drops the one-machine stack's jobs (prometheus, alertmanager, node, cadvisor, redis,
   *       postgres), which do not exist under these names on a cluster and would fire for good.
   * </ul>
   *
   * The generator fails when a pattern no longer matches {@code alert_rules.yml} as many times as
   * stated, so a change of the source forces a look at this list.
   */
  static final Map<String, ExprChange> KUBERNETES_RULE_CHANGES =
      Map.of(
          "ServiceDown",
          new ExprChange(
              java.util.regex.Pattern.compile(
                  java.util.regex.Pattern.quote(
                      "job!~\"prometheus|alertmanager|node|cadvisor|redis|postgres\"")),
              2,
              APPLICATION_LABEL + "=\"" + APPLICATION_LABEL_VALUE + "\""),
          "ScrapeJobAbsent",
          new ExprChange(
              java.util.regex.Pattern.compile(
                  "\\s+or absent\\(up\\{job=\"(prometheus|alertmanager|node|cadvisor|redis|postgres)\"\\}\\)"),
              6,
              ""));

  /**
   * {@code groups} of {@code alert_rules.yml} with {@link #KUBERNETES_RULE_CHANGES} applied; a new
   * tree, {@code groups} is not changed.
   *
   * @throws IllegalStateException when a change does not match its alert's expression as often as
   *     it states, or names an alert that is not there
   */
  static JsonNode kubernetesGroups(JsonNode groups) {
    JsonNode copy = groups.deepCopy();
    Map<String, Integer> applied = new TreeMap<>();
    for (JsonNode group : copy) {
      for (JsonNode rule : group.path("rules")) {
        String alert = rule.path("alert").asText();
        ExprChange change = KUBERNETES_RULE_CHANGES.get(alert);
        if (change == null) {
          continue;
        }
        String expr = rule.path("expr").asText();
        java.util.regex.Matcher matcher = change.pattern().matcher(expr);
        int count = 0;
        while (matcher.find()) {
          count++;
        }
        if (count != change.count()) {
          throw new IllegalStateException(
              "prometheus/alert_rules.yml's "
                  + alert
                  + " matches "
                  + change.pattern()
                  + " "
                  + count
                  + " times, KubernetesManifests.KUBERNETES_RULE_CHANGES expects "
                  + change.count()
                  + ": update the change (and stack/kubernetes/README.md) to the new expression");
        }
        ((ObjectNode) rule)
            .put(
                "expr",
                change
                    .pattern()
                    .matcher(expr)
                    .replaceAll(java.util.regex.Matcher.quoteReplacement(change.replacement())));
        applied.merge(alert, 1, Integer::sum);
      }
    }
    if (!applied.keySet().equals(KUBERNETES_RULE_CHANGES.keySet())) {
      throw new IllegalStateException(
          "KubernetesManifests.KUBERNETES_RULE_CHANGES names alerts "
              + new java.util.TreeSet<>(KUBERNETES_RULE_CHANGES.keySet())
              + ", prometheus/alert_rules.yml has "
              + applied.keySet()
              + " of them: update the changes");
    }
    return copy;
  }

  static String dashboards(Path stack) {
    StringBuilder out =
        new StringBuilder(
            header("grafana/dashboards/*.json", "kubectl apply --server-side -f " + DASHBOARDS));
    for (Path file : dashboardFiles(stack)) {
      String fileName = file.getFileName().toString();
      ObjectNode configMap = object("v1", "ConfigMap", dashboardConfigMapName(fileName));
      // the Grafana sidecar (kube-prometheus-stack, grafana chart) loads ConfigMaps with this label
      ((ObjectNode) configMap.path("metadata").path("labels")).put("grafana_dashboard", "1");
      configMap.putObject("data").put(fileName, read(file));
      out.append(document(configMap));
    }
    return out.toString();
  }

  /**
   * The ConfigMap name of dashboard file {@code fileName} ({@code grafana-dashboard-} and the name
   * without {@code .json}), which is also its data key.
   *
   * @throws IllegalArgumentException naming the file, the rule and the fix, when the file name is
   *     no ConfigMap key ({@code [-._a-zA-Z0-9]+}) or the ConfigMap name no lower-case RFC 1123
   *     subdomain of at most 253 characters: the API server would refuse the ConfigMap
   */
  static String dashboardConfigMapName(String fileName) {
    String name = DASHBOARD_PREFIX + fileName.replaceFirst("\\.json$", "");
    boolean keyValid =
        fileName.length() <= 253
            && CONFIG_MAP_KEY.matcher(fileName).matches()
            && !fileName.equals(".")
            && !fileName.equals("..");
    if (!keyValid || name.length() > 253 || !DNS1123_SUBDOMAIN.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "grafana/dashboards/"
              + fileName
              + ": a dashboard file name becomes the ConfigMap key (at most 253 characters of"
              + " [-._a-zA-Z0-9]) and, without .json and after '"
              + DASHBOARD_PREFIX
              + "', the ConfigMap name (a lower-case RFC 1123 subdomain: [a-z0-9], '-' and '.',"
              + " beginning and ending with [a-z0-9], at most 253 characters); the API server"
              + " refuses this one. Rename the file, e.g. to "
              + suggestedFileName(fileName));
    }
    return name;
  }

  /** A file name that passes {@link #dashboardConfigMapName}, for the error message. */
  private static String suggestedFileName(String fileName) {
    String base =
        fileName
            .replaceFirst("\\.json$", "")
            .toLowerCase(java.util.Locale.ROOT)
            .replaceAll("[^a-z0-9]+", "-")
            .replaceAll("^[^a-z0-9]+|[^a-z0-9]+$", "");
    int room = 253 - DASHBOARD_PREFIX.length() - ".json".length();
    if (base.length() > room) {
      base = base.substring(0, room).replaceAll("[^a-z0-9]+$", "");
    }
    return (base.isEmpty() ? "dashboard" : base) + ".json";
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
