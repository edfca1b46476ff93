package com.aicompanion.monitoring.it.stack.review16;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.it.stack.kubernetes.Manifests;
import com.aicompanion.monitoring.testsupport.Promtool;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review of issue 16's {@code stack/kubernetes/}: inputs and clusters the authors did not try. Each
 * test fails on the reviewed commit and is disabled with the fault it shows.
 */
class KubernetesManifestsReviewTest {
  private final JsonNode container =
      Review16Files.kubernetesObject("Deployment")
          .path("spec")
          .path("template")
          .path("spec")
          .path("containers")
          .get(0);

  /**
   * The JVM's {@code java.io.tmpdir} is the {@code /tmp} emptyDir, and the log shipper's disk spool
   * lives under it by default, bounded by {@code MONITORING_ELASTICSEARCH_SPOOL_BYTES} (512 MiB).
   * The kubelet evicts a pod whose emptyDir outgrows its {@code sizeLimit} (64Mi): an Elasticsearch
   * outage of a few minutes at a few hundred events/s takes every replica down. A monitoring
   * failure must never stop the application.
   */
  @Test
  void theTmpVolumeHoldsTheLogSpoolThatTheLibraryKeepsThere() {
    Map<String, String> env = new HashMap<>();
    container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
    String tmpdir = "/tmp";
    Matcher m =
        Pattern.compile("-Djava\\.io\\.tmpdir=(\\S+)")
            .matcher(env.getOrDefault("JAVA_TOOL_OPTIONS", ""));
    if (m.find()) {
      tmpdir = m.group(1);
    }
    String mountedVolume = null;
    for (JsonNode mount : container.path("volumeMounts")) {
      if (mount.path("mountPath").asText().equals(tmpdir)) {
        mountedVolume = mount.path("name").asText();
      }
    }
    assertThat(mountedVolume).as("a volume mounted at java.io.tmpdir " + tmpdir).isNotNull();
    long sizeLimit = -1;
    for (JsonNode volume :
        Review16Files.kubernetesObject("Deployment")
            .path("spec")
            .path("template")
            .path("spec")
            .path("volumes")) {
      if (volume.path("name").asText().equals(mountedVolume)) {
        sizeLimit = bytes(volume.path("emptyDir").path("sizeLimit").asText(""));
      }
    }
    String configuration =
        Review16Files.read(Review16Files.stack().resolve("../docs/configuration.md"));
    assertThat(configuration)
        .as("the spool's default directory is under java.io.tmpdir (docs/configuration.md)")
        .contains("`${java.io.tmpdir}/companion-monitoring/spool/");
    boolean spoolOn =
        Boolean.parseBoolean(
            env.getOrDefault(
                "MONITORING_ELASTICSEARCH_SPOOL",
                documentedDefault(configuration, "MONITORING_ELASTICSEARCH_SPOOL")));
    long spoolBytes =
        Long.parseLong(
            env.getOrDefault(
                "MONITORING_ELASTICSEARCH_SPOOL_BYTES",
                documentedDefault(configuration, "MONITORING_ELASTICSEARCH_SPOOL_BYTES")));
    boolean spoolElsewhere = env.containsKey("MONITORING_ELASTICSEARCH_SPOOL_DIR");

    if (spoolOn && spoolElsewhere) {
      // the spool on a volume of its own: that volume must hold it, with the bound written out
      String spoolDir = env.get("MONITORING_ELASTICSEARCH_SPOOL_DIR");
      assertThat(env).containsKey("MONITORING_ELASTICSEARCH_SPOOL_BYTES");
      long spoolLimit = sizeLimitOfVolumeMountedAt(spoolDir);
      assertThat(spoolLimit)
          .as("the sizeLimit of the emptyDir at the spool directory %s", spoolDir)
          .isGreaterThan(spoolBytes);
      return;
    }
    if (spoolOn && sizeLimit > 0) {
      assertThat(sizeLimit)
          .as(
              "the %s emptyDir's sizeLimit (bytes) must hold the log spool (%d bytes) with room"
                  + " for the JVM's own temporary files, or the kubelet evicts the pod when"
                  + " Elasticsearch is away",
              tmpdir, spoolBytes)
          .isGreaterThan(spoolBytes);
    }
  }

  /**
   * README.md: under kube-prometheus-stack "those rules stay silent until the jobs are renamed".
   * ScrapeJobAbsent does the opposite: absent(up{job="prometheus"}), "alertmanager", "node",
   * "cadvisor", "redis" and "postgres" fire for good on a cluster whose jobs are named as
   * kube-prometheus-stack names them.
   */
  @Test
  void scrapeJobAbsentStaysQuietWithKubePrometheusStacksJobNames(@TempDir Path temp)
      throws IOException {
    Review16Files.prometheusRuleGroups(temp.resolve("alert_rules.yml"));
    Path test = temp.resolve("k8s_test.yml");
    Files.writeString(
        test,
        """
        rule_files: [alert_rules.yml]
        evaluation_interval: 1m
        tests:
          - name: a cluster with kube-prometheus-stack's jobs and the application
            interval: 1m
            input_series:
              - series: up{job="ai-companion", instance="10.0.0.7:8000", environment="prod"}
                values: 1x30
              - series: app_info{job="ai-companion", instance="10.0.0.7:8000"}
                values: 1x30
              - series: up{job="kube-prometheus-stack-prometheus", instance="10.0.0.3:9090"}
                values: 1x30
              - series: up{job="kube-prometheus-stack-alertmanager", instance="10.0.0.4:9093"}
                values: 1x30
              - series: up{job="node-exporter", instance="10.0.0.5:9100"}
                values: 1x30
              - series: up{job="kubelet", instance="10.0.0.5:10250", metrics_path="/metrics/cadvisor"}
                values: 1x30
            alert_rule_test:
              - eval_time: 20m
                alertname: ScrapeJobAbsent
                exp_alerts: []
        """,
        StandardCharsets.UTF_8);

    Promtool.Result result = Promtool.run(null, "test", "rules", test.toString());

    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  /**
   * ServiceDown covers "every scrape job that is not one of the stack's own": in a cluster that is
   * every kube-prometheus-stack job. On managed clusters kube-scheduler, kube-controller-manager,
   * kube-etcd and kube-proxy are commonly unreachable, so the backend team is paged (critical,
   * e-mail and Slack) for the control plane, every hour, from the first day.
   */
  @Test
  void serviceDownDoesNotPageTheBackendTeamForAClusterComponent(@TempDir Path temp)
      throws IOException {
    Review16Files.prometheusRuleGroups(temp.resolve("alert_rules.yml"));
    Path test = temp.resolve("k8s_test.yml");
    Files.writeString(
        test,
        """
        rule_files: [alert_rules.yml]
        evaluation_interval: 1m
        tests:
          - name: kube-scheduler is not reachable (managed control plane)
            interval: 1m
            input_series:
              - series: up{job="ai-companion", instance="10.0.0.7:8000", environment="prod"}
                values: 1x10
              - series: up{job="kube-scheduler", instance="172.18.0.2:10259"}
                values: 0x10
            alert_rule_test:
              - eval_time: 5m
                alertname: ServiceDown
                exp_alerts: []
        """,
        StandardCharsets.UTF_8);

    Promtool.Result result = Promtool.run(null, "test", "rules", test.toString());

    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  /**
   * A dashboard file named as Grafana users often name exports ({@code AI Companion.json}) becomes
   * ConfigMap {@code grafana-dashboard-AI Companion} with data key {@code AI Companion.json}: the
   * API server refuses both (names: lower-case DNS-1123 subdomain; keys: [-._a-zA-Z0-9]+). The
   * generator writes it and the schema validator calls it valid, so the tests stay green and {@code
   * kubectl apply} fails.
   */
  @Test
  void aDashboardFileNameThatIsNoKubernetesNameIsRefusedBeforeApply(@TempDir Path temp)
      throws Exception {
    Path dashboards = Files.createDirectories(temp.resolve("stack/grafana/dashboards"));
    Files.copy(
        Review16Files.stack().resolve("grafana/dashboards/ai-companion-overview.json"),
        dashboards.resolve("AI Companion.json"));
    String generated;
    try {
      generated = generateDashboards(temp.resolve("stack"));
    } catch (java.lang.reflect.InvocationTargetException refused) {
      assertThat(refused.getCause()).hasMessageContaining("AI Companion.json");
      return;
    }
    Path file = temp.resolve("grafana-dashboards.yaml");
    Files.writeString(file, generated, StandardCharsets.UTF_8);

    Manifests.Result result = Review16Files.validate(List.of(file));

    assertThat(result.exitCode())
        .as("the validator on a ConfigMap named %s: %s", nameIn(file), result.output())
        .isNotZero();
  }

  /** metadata.name is not checked by the schemas: the API server refuses upper case and '_'. */
  @Test
  void theValidatorRefusesAnObjectNameTheApiServerRefuses(@TempDir Path temp) throws IOException {
    Path file = temp.resolve("deployment.yaml");
    Files.writeString(
        file,
        Review16Files.read(Review16Files.stack().resolve("kubernetes/deployment.yaml"))
            .replaceFirst("(?m)^  name: ai-companion$", "  name: AI_Companion"),
        StandardCharsets.UTF_8);
    assertThat(Review16Files.read(file)).contains("name: AI_Companion");

    Manifests.Result result = Review16Files.validate(List.of(file));

    assertThat(result.exitCode()).as(result.output()).isNotZero();
  }

  /** The sizeLimit in bytes of the emptyDir mounted at {@code path}; fails when there is none. */
  private long sizeLimitOfVolumeMountedAt(String path) {
    String name = null;
    for (JsonNode mount : container.path("volumeMounts")) {
      if (mount.path("mountPath").asText().equals(path)) {
        name = mount.path("name").asText();
      }
    }
    assertThat(name).as("a volume mounted at " + path).isNotNull();
    for (JsonNode volume :
        Review16Files.kubernetesObject("Deployment")
            .path("spec")
            .path("template")
            .path("spec")
            .path("volumes")) {
      if (volume.path("name").asText().equals(name)) {
        long limit = bytes(volume.path("emptyDir").path("sizeLimit").asText(""));
        assertThat(limit).as("volume %s is an emptyDir with a sizeLimit", name).isPositive();
        return limit;
      }
    }
    throw new AssertionError("no volume " + name);
  }

  private static String generateDashboards(Path stack) throws Exception {
    Class<?> generator =
        Class.forName("com.aicompanion.monitoring.it.stack.kubernetes.KubernetesManifests");
    Method dashboards = generator.getDeclaredMethod("dashboards", Path.class);
    dashboards.setAccessible(true);
    return (String) dashboards.invoke(null, stack);
  }

  private static String nameIn(Path file) {
    return Review16Files.documents(file).get(0).path("metadata").path("name").asText();
  }

  /** The default column of a row of docs/configuration.md's generated key tables. */
  private static String documentedDefault(String configuration, String envName) {
    for (String line : configuration.lines().toList()) {
      if (line.startsWith("| `" + envName + "` |")) {
        String[] cells = line.split("\\|");
        return cells[4].trim().replace("`", "");
      }
    }
    throw new AssertionError("docs/configuration.md has no row for " + envName);
  }

  /** A Kubernetes quantity (64Mi, 1Gi, 500M, 1000) in bytes; -1 when empty. */
  private static long bytes(String quantity) {
    if (quantity.isEmpty()) {
      return -1;
    }
    Matcher m = Pattern.compile("([0-9]+)([KMGT]i?)?").matcher(quantity);
    assertThat(m.matches()).as("quantity " + quantity).isTrue();
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "" : m.group(2);
    return switch (unit) {
      case "" -> n;
      case "Ki" -> n << 10;
      case "Mi" -> n << 20;
      case "Gi" -> n << 30;
      case "Ti" -> n << 40;
      case "K" -> n * 1_000L;
      case "M" -> n * 1_000_000L;
      case "G" -> n * 1_000_000_000L;
      default -> n * 1_000_000_000_000L;
    };
  }
}
