package com.aicompanion.monitoring.it.stack.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicompanion.monitoring.testsupport.Promtool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PrometheusRule's {@code spec.groups}, taken out into a rule file, pass {@code promtool check
 * rules} and every unit test of {@code stack/prometheus/tests} (those of the alerts the Kubernetes
 * flavour changes replaced by tests on a cluster's series), and equal {@code alert_rules.yml} with
 * {@link KubernetesManifests#KUBERNETES_RULE_CHANGES} applied.
 */
class PrometheusRuleTest {
  @Test
  void theExtractedRulesPassPromtoolCheckRules(@TempDir Path temp) throws IOException {
    Path rules = extractRules(temp.resolve("alert_rules.yml"));

    Promtool.Result result = Promtool.run(null, "check", "rules", rules.toString());

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS");
  }

  /**
   * Every unit test of {@code stack/prometheus/tests} against the extracted rules, except the
   * {@code alert_rule_test}s of the alerts whose expression the Kubernetes flavour changes ({@link
   * KubernetesManifests#KUBERNETES_RULE_CHANGES}): those are tested below with the cluster's
   * series.
   */
  @Test
  void everyRuleUnitTestPassesAgainstTheExtractedRules(@TempDir Path temp) throws IOException {
    extractRules(temp.resolve("alert_rules.yml"));
    Path tests = Files.createDirectory(temp.resolve("tests"));
    List<String> args = new ArrayList<>(List.of("test", "rules"));
    long left = 0;
    try (Stream<Path> files = Files.list(Manifests.stack().resolve("prometheus/tests"))) {
      for (Path file : files.filter(f -> f.toString().endsWith("_test.yml")).sorted().toList()) {
        Path copy = tests.resolve(file.getFileName());
        // the tests name ../alert_rules.yml: here that is the extracted copy
        assertThat(Files.readString(file)).contains("../alert_rules.yml");
        // as text: a YAML round trip would read values such as 0x10 as numbers
        String original = Files.readString(file);
        String kept = withoutAlertTestsOf(original);
        left += alertTestsOfChangedAlerts(original);
        assertThat(alertTestsOfChangedAlerts(kept)).as(file.toString()).isZero();
        Files.writeString(copy, kept, StandardCharsets.UTF_8);
        args.add(copy.toString());
      }
    }
    assertThat(args).hasSizeGreaterThan(2);
    assertThat(left)
        .as("alert_rule_tests of the changed alerts, tested below instead")
        .isPositive();

    Promtool.Result result = Promtool.run(null, args.toArray(String[]::new));

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).doesNotContain("FAILED");
  }

  /**
   * The changed alerts on a cluster's series: ServiceDown fires for a down target the
   * ServiceMonitor labelled and for no cluster component; ScrapeJobAbsent fires for a missing
   * ai-companion job or a job that exposed app_info, and not for the one-machine stack's jobs.
   */
  @Test
  void theKubernetesServiceDownAndScrapeJobAbsentFireForTheApplicationOnly(@TempDir Path temp)
      throws IOException {
    extractRules(temp.resolve("alert_rules.yml"));
    String label =
        KubernetesManifests.APPLICATION_LABEL
            + "=\""
            + KubernetesManifests.APPLICATION_LABEL_VALUE
            + "\"";
    Path test = temp.resolve("kubernetes_test.yml");
    Files.writeString(
        test,
        """
        rule_files: [alert_rules.yml]
        evaluation_interval: 1m
        tests:
          - name: the application is down, and so is kube-scheduler
            interval: 1m
            input_series:
              - series: up{job="ai-companion", instance="10.0.0.7:8000", environment="prod", %1$s}
                values: 0x30
              - series: up{job="kube-scheduler", instance="172.18.0.2:10259"}
                values: 0x30
              - series: up{job="kubelet", instance="10.0.0.5:10250"}
                values: 1x30
            alert_rule_test:
              - eval_time: 5m
                alertname: ServiceDown
                exp_alerts:
                  - exp_labels:
                      severity: critical
                      team: backend
                      job: ai-companion
                      instance: 10.0.0.7:8000
                      environment: prod
                      %2$s: %3$s
                    exp_annotations:
                      summary: %4$s
                      description: %5$s
                      runbook: %6$s
              - eval_time: 20m
                alertname: ScrapeJobAbsent
                exp_alerts: []
          - name: no ai-companion target, and another application that exposed app_info went
            interval: 1m
            input_series:
              - series: up{job="kubelet", instance="10.0.0.5:10250"}
                values: 1x30
              - series: app_info{job="billing", instance="10.0.0.9:8000"}
                values: 1x5
              - series: up{job="billing", instance="10.0.0.9:8000", %1$s}
                values: 1x5
            alert_rule_test:
              - eval_time: 20m
                alertname: ScrapeJobAbsent
                exp_alerts:
                  - exp_labels:
                      severity: warning
                      team: platform
                      job: ai-companion
                    exp_annotations:
                      summary: %7$s
                      description: %8$s
                      runbook: %9$s
                  - exp_labels:
                      severity: warning
                      team: platform
                      job: billing
                    exp_annotations:
                      summary: %10$s
                      description: %11$s
                      runbook: %9$s
        """
            .formatted(
                label,
                KubernetesManifests.APPLICATION_LABEL,
                KubernetesManifests.APPLICATION_LABEL_VALUE,
                annotation("ServiceDown", "summary", "ai-companion", "10.0.0.7:8000"),
                annotation("ServiceDown", "description", "ai-companion", "10.0.0.7:8000"),
                annotation("ServiceDown", "runbook", "ai-companion", "10.0.0.7:8000"),
                annotation("ScrapeJobAbsent", "summary", "ai-companion", ""),
                annotation("ScrapeJobAbsent", "description", "ai-companion", ""),
                annotation("ScrapeJobAbsent", "runbook", "ai-companion", ""),
                annotation("ScrapeJobAbsent", "summary", "billing", ""),
                annotation("ScrapeJobAbsent", "description", "billing", "")),
        StandardCharsets.UTF_8);

    Promtool.Result result = Promtool.run(null, "test", "rules", test.toString());

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).doesNotContain("FAILED");
  }

  @Test
  void theRuleGroupsEqualAlertRulesYmlWithTheDocumentedKubernetesChanges() {
    JsonNode groups = Manifests.only("PrometheusRule").path("spec").path("groups");
    JsonNode source =
        Manifests.yaml(Manifests.stack().resolve("prometheus/alert_rules.yml")).path("groups");

    assertThat(groups).isEqualTo(KubernetesManifests.kubernetesGroups(source));
    // rule by rule: only the expressions of the listed alerts differ
    assertThat(groups).hasSameSizeAs(source);
    int changed = 0;
    for (int g = 0; g < source.size(); g++) {
      JsonNode sourceRules = source.get(g).path("rules");
      JsonNode rules = groups.get(g).path("rules");
      assertThat(rules).hasSameSizeAs(sourceRules);
      for (int r = 0; r < sourceRules.size(); r++) {
        ObjectNode expected = sourceRules.get(r).deepCopy();
        ObjectNode actual = rules.get(r).deepCopy();
        String alert = expected.path("alert").asText();
        if (KubernetesManifests.KUBERNETES_RULE_CHANGES.containsKey(alert)) {
          assertThat(actual.path("expr")).as(alert).isNotEqualTo(expected.path("expr"));
          expected.remove("expr");
          actual.remove("expr");
          changed++;
        }
        assertThat(actual).as(alert).isEqualTo(expected);
      }
    }
    assertThat(changed).isEqualTo(KubernetesManifests.KUBERNETES_RULE_CHANGES.size());
    // and the README says what differs
    assertThat(Manifests.read(Manifests.dir().resolve("README.md")))
        .contains("## The rules on Kubernetes")
        .contains(KubernetesManifests.APPLICATION_LABEL + "=\"application\"");
  }

  @Test
  void theServiceMonitorAddsTheLabelThatServiceDownSelects() {
    JsonNode relabelings =
        Manifests.only("ServiceMonitor").path("spec").path("endpoints").get(0).path("relabelings");
    boolean found = false;
    for (JsonNode relabeling : relabelings) {
      found |=
          relabeling.path("targetLabel").asText().equals(KubernetesManifests.APPLICATION_LABEL)
              && relabeling
                  .path("replacement")
                  .asText()
                  .equals(KubernetesManifests.APPLICATION_LABEL_VALUE)
              && relabeling.path("sourceLabels").isMissingNode()
              && relabeling.path("action").asText("replace").equals("replace");
    }
    assertThat(found).as(relabelings.toString()).isTrue();
  }

  @Test
  void aChangeThatNoLongerMatchesTheSourceFailsTheGenerator() {
    JsonNode source =
        Manifests.yaml(Manifests.stack().resolve("prometheus/alert_rules.yml"))
            .path("groups")
            .deepCopy();
    for (JsonNode group : source) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.path("alert").asText().equals("ServiceDown")) {
          ((ObjectNode) rule).put("expr", "up{job!~\"prometheus\"} == 0");
        }
      }
    }

    assertThatThrownBy(() -> KubernetesManifests.kubernetesGroups(source))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ServiceDown")
        .hasMessageContaining("KUBERNETES_RULE_CHANGES");
  }

  /**
   * Annotation {@code name} of {@code alert} with its {@code $labels.job} and {@code
   * $labels.instance} filled in, as a YAML double-quoted scalar.
   */
  private static String annotation(String alert, String name, String job, String instance) {
    for (JsonNode group : Manifests.only("PrometheusRule").path("spec").path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.path("alert").asText().equals(alert)) {
          String text =
              rule.path("annotations")
                  .path(name)
                  .asText()
                  .replace("{{ $labels.job }}", job)
                  .replace("{{ $labels.instance }}", instance);
          assertThat(text).as(alert + " " + name).doesNotContain("{{");
          return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
      }
    }
    throw new AssertionError("no " + alert);
  }

  /**
   * A promtool unit-test file without the {@code alert_rule_test} entries ({@code - eval_time:
   * ...}, {@code alertname: ...}) of the alerts in {@link
   * KubernetesManifests#KUBERNETES_RULE_CHANGES}.
   */
  static String withoutAlertTestsOf(String unitTests) {
    List<String> lines = unitTests.lines().toList();
    StringBuilder out = new StringBuilder();
    java.util.regex.Pattern entry = java.util.regex.Pattern.compile("^(\\s*)- eval_time:.*");
    int i = 0;
    while (i < lines.size()) {
      java.util.regex.Matcher start = entry.matcher(lines.get(i));
      if (!start.matches()) {
        out.append(lines.get(i++)).append('\n');
        continue;
      }
      int indent = start.group(1).length();
      int end = i + 1;
      while (end < lines.size()
          && (lines.get(end).isBlank() || indentation(lines.get(end)) > indent)) {
        end++;
      }
      List<String> block = lines.subList(i, end);
      boolean changed =
          block.stream()
              .map(String::strip)
              .anyMatch(
                  l ->
                      l.startsWith("alertname: ")
                          && KubernetesManifests.KUBERNETES_RULE_CHANGES.containsKey(
                              l.substring("alertname: ".length()).strip()));
      if (!changed) {
        block.forEach(l -> out.append(l).append('\n'));
      }
      i = end;
    }
    return out.toString();
  }

  private static long alertTestsOfChangedAlerts(String unitTests) {
    return unitTests
        .lines()
        .map(String::strip)
        .filter(l -> l.startsWith("alertname: "))
        .filter(
            l ->
                KubernetesManifests.KUBERNETES_RULE_CHANGES.containsKey(
                    l.substring("alertname: ".length()).strip()))
        .count();
  }

  private static int indentation(String line) {
    int n = 0;
    while (n < line.length() && line.charAt(n) == ' ') {
      n++;
    }
    return n;
  }

  private static Path extractRules(Path target) throws IOException {
    ObjectNode file = Manifests.YAML.createObjectNode();
    file.set("groups", Manifests.only("PrometheusRule").path("spec").path("groups"));
    Manifests.YAML.writeValue(target.toFile(), file);
    return target;
  }
}
