package com.aicompanion.monitoring.it.stack.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.MonitoringConfig;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The application's manifests agree with the library's endpoint and shutdown settings. */
class KubernetesManifestsTest {
  private final JsonNode deployment = Manifests.only("Deployment");
  private final JsonNode pod = deployment.path("spec").path("template");
  private final JsonNode container = pod.path("spec").path("containers").get(0);

  @Test
  void probesAskTheLibrarysHealthEndpointsOnItsMetricsPort() {
    int metricsPort = containerPort(probePort("readinessProbe"));

    assertThat(metricsPort)
        .isEqualTo(
            intSetting(
                MonitoringConfig.METRICS_PORT.envName(),
                MonitoringConfig.METRICS_PORT.defaultValue()));
    assertThat(path("startupProbe")).isEqualTo("/health/live");
    assertThat(path("livenessProbe")).isEqualTo("/health/live");
    assertThat(path("readinessProbe")).isEqualTo("/health/ready");
    for (String probe : List.of("startupProbe", "livenessProbe")) {
      assertThat(containerPort(probePort(probe))).as(probe).isEqualTo(metricsPort);
    }
    // readiness leaves at the first 503 of the drain, liveness tolerates a slow GC pause
    assertThat(container.path("readinessProbe").path("failureThreshold").asInt()).isEqualTo(1);
    assertThat(container.path("livenessProbe").path("failureThreshold").asInt()).isGreaterThan(1);
  }

  @Test
  void theGracePeriodCoversPreStopDrainAndShutdownTimeout() {
    long preStop =
        container.path("lifecycle").path("preStop").path("sleep").path("seconds").asLong(-1);
    Duration drain =
        durationSetting(
            MonitoringConfig.SHUTDOWN_DRAIN.envName(),
            MonitoringConfig.SHUTDOWN_DRAIN.defaultValue());
    Duration timeout =
        durationSetting(
            MonitoringConfig.SHUTDOWN_TIMEOUT.envName(),
            MonitoringConfig.SHUTDOWN_TIMEOUT.defaultValue());
    long grace = pod.path("spec").path("terminationGracePeriodSeconds").asLong();

    assertThat(preStop).isPositive();
    // the manifest states the library's defaults, so the comment's arithmetic is the library's
    assertThat(drain).isEqualTo(MonitoringConfig.SHUTDOWN_DRAIN.defaultValue());
    assertThat(timeout).isEqualTo(MonitoringConfig.SHUTDOWN_TIMEOUT.defaultValue());
    assertThat(grace).isGreaterThan(preStop + drain.toSeconds() + timeout.toSeconds());
    assertThat(Manifests.read(Manifests.dir().resolve("deployment.yaml")))
        .contains("terminationGracePeriodSeconds          " + grace + " s");
  }

  @Test
  void theServiceSelectsThePodsAndTheServiceMonitorScrapesItsMetricsPort() {
    JsonNode service = Manifests.only("Service");
    JsonNode monitor = Manifests.only("ServiceMonitor");
    Map<String, String> podLabels = map(pod.path("metadata").path("labels"));

    assertThat(podLabels).containsAllEntriesOf(map(service.path("spec").path("selector")));
    assertThat(map(deployment.path("spec").path("selector").path("matchLabels")))
        .isEqualTo(map(service.path("spec").path("selector")));
    assertThat(map(service.path("metadata").path("labels")))
        .containsAllEntriesOf(map(monitor.path("spec").path("selector").path("matchLabels")));
    JsonNode endpoint = monitor.path("spec").path("endpoints").get(0);
    JsonNode servicePort = servicePort(service, endpoint.path("port").asText());
    assertThat(servicePort.path("targetPort").asText()).isEqualTo(probePort("readinessProbe"));
    assertThat(endpoint.path("path").asText())
        .isEqualTo(MonitoringConfig.METRICS_PATH.defaultValue());
    // the job label is the Service's name; the rules and dashboards select job="ai-companion"
    assertThat(service.path("metadata").path("name").asText()).isEqualTo("ai-companion");
    assertThat(Manifests.read(Manifests.stack().resolve("prometheus/alert_rules.yml")))
        .contains("job=\"ai-companion\"");
    // environment: a pod label, the target label the rules group by, and the library's setting
    List<String> podTargetLabels = new ArrayList<>();
    monitor.path("spec").path("podTargetLabels").forEach(l -> podTargetLabels.add(l.asText()));
    assertThat(podTargetLabels).containsExactly("environment");
    assertThat(podLabels).containsKey("environment");
    assertThat(
            env()
                .get("MONITORING_ENVIRONMENT")
                .path("valueFrom")
                .path("fieldRef")
                .path("fieldPath")
                .asText())
        .isEqualTo("metadata.labels['environment']");
  }

  @Test
  void theContainerIsBoundedAndRunsUnprivileged() {
    JsonNode resources = container.path("resources");
    JsonNode security = container.path("securityContext");

    for (String kind : List.of("requests", "limits")) {
      assertThat(resources.path(kind).path("cpu").asText()).as(kind).isNotEmpty();
      assertThat(resources.path(kind).path("memory").asText()).as(kind).isNotEmpty();
    }
    assertThat(pod.path("spec").path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
    assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(security.path("capabilities").path("drop").toString()).contains("ALL");
    // a read-only root file system needs a writable /tmp for the JVM
    assertThat(container.path("volumeMounts").toString()).contains("\"/tmp\"");
  }

  @Test
  void eachDashboardConfigMapHoldsItsSourceFileUnchangedForTheGrafanaSidecar() {
    List<JsonNode> configMaps = Manifests.ofKind("ConfigMap");
    List<Path> sources = KubernetesManifests.dashboardFiles(Manifests.stack());

    assertThat(configMaps).hasSize(sources.size()).isNotEmpty();
    for (Path source : sources) {
      String fileName = source.getFileName().toString();
      JsonNode configMap =
          configMaps.stream()
              .filter(c -> c.path("data").has(fileName))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no ConfigMap holds " + fileName));
      assertThat(configMap.path("metadata").path("labels").path("grafana_dashboard").isTextual())
          .isTrue();
      assertThat(configMap.path("metadata").path("labels").path("grafana_dashboard").asText())
          .isEqualTo("1");
      assertThat(configMap.path("data").path(fileName).asText()).isEqualTo(Manifests.read(source));
    }
  }

  @Test
  void aDashboardFileNameThatIsNoKubernetesNameIsRefusedWithTheRuleAndAValidName() {
    assertThat(KubernetesManifests.dashboardConfigMapName("ai-companion-overview.json"))
        .isEqualTo("grafana-dashboard-ai-companion-overview");
    assertThat(KubernetesManifests.dashboardConfigMapName("system.v2.json"))
        .isEqualTo("grafana-dashboard-system.v2");
    for (String bad :
        List.of("AI Companion.json", "overview_v2.json", "Overview.json", "x..y.json", "ü.json")) {
      String message = refusal(bad);
      assertThat(message)
          .as(bad)
          .contains("grafana/dashboards/" + bad)
          .contains("RFC 1123 subdomain")
          .contains("[-._a-zA-Z0-9]")
          .contains("Rename the file, e.g. to ");
      String suggested = message.substring(message.indexOf("e.g. to ") + "e.g. to ".length());
      assertThat(KubernetesManifests.dashboardConfigMapName(suggested))
          .as("the suggested name for " + bad)
          .startsWith("grafana-dashboard-");
    }
  }

  @Test
  void theAlertmanagerSecretHoldsTheConfigTemplatesAndEmptySecretFilesItReads() {
    JsonNode data = Manifests.only("Secret").path("stringData");
    String config = data.path("alertmanager.yaml").asText();

    assertThat(config)
        .doesNotContain("/etc/alertmanager/secrets")
        .doesNotContain("/etc/alertmanager/templates");
    for (String file : KubernetesManifests.ALERTMANAGER_SECRET_FILES) {
      assertThat(config).contains(KubernetesManifests.ALERTMANAGER_CONFIG_DIR + file);
      assertThat(data.path(file).asText()).as(file).isEmpty();
    }
    assertThat(config).contains(KubernetesManifests.ALERTMANAGER_CONFIG_DIR + "*.tmpl");
    assertThat(data.has("companion.tmpl")).isTrue();
  }

  @Test
  void theKustomizationListsEveryManifestOnce() {
    JsonNode kustomization = Manifests.yaml(Manifests.dir().resolve("kustomization.yaml"));
    Set<String> listed = new TreeSet<>();
    kustomization.path("resources").forEach(r -> listed.add(r.asText()));
    Set<String> files = new TreeSet<>();
    Manifests.files().forEach(f -> files.add(f.getFileName().toString()));

    assertThat(kustomization.path("resources")).hasSize(files.size());
    assertThat(listed).isEqualTo(files);
    assertThat(Files.isRegularFile(Manifests.dir().resolve("README.md"))).isTrue();
  }

  private String path(String probe) {
    return container.path(probe).path("httpGet").path("path").asText();
  }

  private String probePort(String probe) {
    return container.path(probe).path("httpGet").path("port").asText();
  }

  private int containerPort(String name) {
    for (JsonNode port : container.path("ports")) {
      if (port.path("name").asText().equals(name)) {
        return port.path("containerPort").asInt();
      }
    }
    throw new AssertionError("the container has no port named " + name);
  }

  private static JsonNode servicePort(JsonNode service, String name) {
    for (JsonNode port : service.path("spec").path("ports")) {
      if (port.path("name").asText().equals(name)) {
        return port;
      }
    }
    throw new AssertionError("the Service has no port named " + name);
  }

  private static String refusal(String dashboardFileName) {
    try {
      KubernetesManifests.dashboardConfigMapName(dashboardFileName);
    } catch (IllegalArgumentException refused) {
      return refused.getMessage();
    }
    throw new AssertionError("accepted: " + dashboardFileName);
  }

  private Map<String, JsonNode> env() {
    Map<String, JsonNode> env = new HashMap<>();
    container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
    return env;
  }

  private int intSetting(String name, int fallback) {
    JsonNode value = env().get(name);
    return value == null ? fallback : Integer.parseInt(value.path("value").asText());
  }

  private Duration durationSetting(String name, Duration fallback) {
    JsonNode value = env().get(name);
    if (value == null) {
      return fallback;
    }
    String text = value.path("value").asText();
    assertThat(text).as(name).matches("[0-9]+s");
    return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
  }

  private static Map<String, String> map(JsonNode object) {
    Map<String, String> map = new HashMap<>();
    object.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }
}
