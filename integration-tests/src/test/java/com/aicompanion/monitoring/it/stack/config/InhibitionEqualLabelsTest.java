package com.aicompanion.monitoring.it.stack.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The critical-mutes-warning inhibit rule must not mute the warning of another thing (another file
 * system, model, check, ...): Alertmanager cannot say "all labels but severity", so its {@code
 * equal} must list every label that tells two instances of one alert apart. This test reads
 * alert_rules.yml (no tool needed) and fails when a rule starts using a label that list lacks.
 */
class InhibitionEqualLabelsTest {
  private static final Pattern GROUPING = Pattern.compile("\\b(?:by|on|without)\\s*\\(([^)]*)\\)");
  private static final Pattern TEMPLATE_LABEL = Pattern.compile("\\$labels\\.([a-zA-Z_]\\w*)");
  private static final Pattern LABEL_REPLACE =
      Pattern.compile("label_replace\\s*\\(.*?,\\s*\"([a-zA-Z_]\\w*)\"", Pattern.DOTALL);

  /**
   * Labels kept by the rules that do not aggregate, and carried by the alerts the library sends,
   * which no {@code by (...)} names: node_filesystem_*'s file system labels, health_check_status's
   * labels, HealthCheckFailed's check and the chat example's LlmBudgetExceeded model.
   */
  private static final Set<String> KEPT_OR_SENT =
      Set.of("device", "fstype", "mountpoint", "check", "critical", "service", "model");

  /**
   * Not identity: the histogram bucket bound, aggregated away by histogram_quantile; HostHighLoad's
   * {@code cpu}, which an inner {@code group by} keeps only for the outer {@code count by (job,
   * environment, instance)} to count.
   */
  private static final Set<String> NOT_IDENTITY = Set.of("le", "cpu");

  static Set<String> identifyingLabels() {
    Set<String> labels = new TreeSet<>(KEPT_OR_SENT);
    for (JsonNode rule : PrometheusRulesTest.rules()) {
      String expr = rule.path("expr").asText();
      collect(GROUPING, expr, labels, true);
      collect(LABEL_REPLACE, expr, labels, false);
      rule.path("annotations")
          .forEach(annotation -> collect(TEMPLATE_LABEL, annotation.asText(), labels, false));
    }
    labels.removeAll(NOT_IDENTITY);
    return labels;
  }

  private static void collect(Pattern pattern, String text, Set<String> into, boolean list) {
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      if (list) {
        for (String label : m.group(1).split(",")) {
          if (!label.isBlank()) {
            into.add(label.strip());
          }
        }
      } else {
        into.add(m.group(1));
      }
    }
  }

  private static JsonNode criticalMutesWarning() {
    List<JsonNode> found = new ArrayList<>();
    Stack.yaml(Stack.file("alertmanager/alertmanager.yml"))
        .path("inhibit_rules")
        .forEach(
            rule -> {
              String source = rule.path("source_matchers").toString();
              String target = rule.path("target_matchers").toString();
              if (source.contains("severity=\\\"critical\\\"")
                  && target.contains("severity=\\\"warning\\\"")) {
                found.add(rule);
              }
            });
    assertThat(found).as("the critical-mutes-warning inhibit rule").hasSize(1);
    return found.get(0);
  }

  @Test
  void theCriticalMutesWarningRuleIsEqualOnEveryLabelThatTellsTwoAlertsApart() {
    Set<String> equal = new TreeSet<>();
    criticalMutesWarning().path("equal").forEach(label -> equal.add(label.asText()));

    Set<String> identifying = identifyingLabels();
    // the reading of the rules found what it must (a broken pattern would find nothing)
    assertThat(identifying)
        .contains("job", "instance", "environment", "pool", "cache", "name", "metric", "outcome")
        .contains("gen_ai_provider_name", "gen_ai_request_model", "gen_ai_token_type");

    assertThat(equal).contains("alertname").containsAll(identifying);
    // severity differs by definition between the two sides: listing it would mute nothing
    assertThat(equal).doesNotContain("severity");
  }

  @Test
  void theRuleReaderFindsGroupingTemplateAndReplacedLabels() {
    Set<String> labels = new TreeSet<>();
    collect(
        GROUPING,
        "sum by (job, zone) (x) / on(job) group_left sum without ( pod ) (y)",
        labels,
        true);
    collect(TEMPLATE_LABEL, "{{ $labels.disk }} on {{$labels.host}}", labels, false);
    collect(
        LABEL_REPLACE, "label_replace(x == 0, \"svc\", \"$1\", \"job\", \"(.+)\")", labels, false);
    assertThat(labels).containsExactly("disk", "host", "job", "pod", "svc", "zone");
  }
}
