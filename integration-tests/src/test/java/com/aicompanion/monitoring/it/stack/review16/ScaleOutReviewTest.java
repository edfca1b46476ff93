package com.aicompanion.monitoring.it.stack.review16;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.testsupport.Promtool;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review of issue 16's {@code stack/scale-out/prometheus/}: what the README promises about the
 * agents' labels, checked with promtool on the stack's own rule file.
 */
class ScaleOutReviewTest {
  /**
   * README.md ("Labels"): "Joins use on (job, instance) or on (instance), which the agent labels do
   * not disturb"; its HA bullet warns only that sums double. With two agents per group, both
   * replicas' node_load5 match one right-hand series of HostHighLoad's {@code / on (job, instance)
   * count by (...)}: the expression fails ("many-to-many matching not allowed"), so HostHighLoad
   * can never fire, and the CPU count it divides by is doubled as well.
   */
  @Test
  void hostHighLoadStillEvaluatesWithTwoAgentReplicasPerGroup(@TempDir Path temp)
      throws IOException {
    Path rules = Review16Files.stack().resolve("prometheus/alert_rules.yml");
    String expr = null;
    for (JsonNode group : Review16Files.documents(rules).get(0).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.path("alert").asText().equals("HostHighLoad")) {
          expr = rule.path("expr").asText().strip();
        }
      }
    }
    assertThat(expr).as("HostHighLoad in alert_rules.yml").isNotNull();
    String labels =
        "job=\"node\", instance=\"host-1:9100\", environment=\"prod\", prometheus_group=\"site-a\"";
    Path test = temp.resolve("ha_test.yml");
    Files.writeString(
        test,
        """
        evaluation_interval: 1m
        tests:
          - name: one host, scraped by the two agents of its group
            interval: 1m
            input_series:
              - series: node_load5{%1$s, prometheus_replica="0"}
                values: 10x10
              - series: node_load5{%1$s, prometheus_replica="1"}
                values: 10x10
              - series: node_cpu_seconds_total{%1$s, prometheus_replica="0", cpu="0", mode="idle"}
                values: 0+30x10
              - series: node_cpu_seconds_total{%1$s, prometheus_replica="1", cpu="0", mode="idle"}
                values: 0+30x10
            promql_expr_test:
              - expr: '%2$s'
                eval_time: 5m
                exp_samples:
                  - labels: '{%1$s, prometheus_replica="0"}'
                    value: 10
                  - labels: '{%1$s, prometheus_replica="1"}'
                    value: 10
        """
            .formatted(labels, expr.replace("\n", " ").replace("'", "''")),
        StandardCharsets.UTF_8);

    Promtool.Result result = Promtool.run(null, "test", "rules", test.toString());

    assertThat(result.exitCode()).as(result.output()).isZero();
  }
}
