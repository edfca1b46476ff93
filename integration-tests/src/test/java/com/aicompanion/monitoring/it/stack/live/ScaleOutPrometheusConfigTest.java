package com.aicompanion.monitoring.it.stack.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.testsupport.Promtool;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed remote_write topology ({@code stack/scale-out/prometheus/}) checked without running
 * it: promtool accepts both files (the agent's in agent mode), the central one reads the stack's
 * own rule file and no copy of it exists, the agent's jobs are the one-machine file's, and the
 * README gives the flags the live test ({@link CentralPrometheusFedByAnAgentTest}) starts them
 * with.
 */
class ScaleOutPrometheusConfigTest {
  private final Path stack = LiveStack.findStackDir();
  private final Path dir = stack.resolve("scale-out/prometheus");

  @Test
  void promtoolAcceptsTheAgentConfigInAgentMode() {
    Promtool.Result result =
        Promtool.run(null, "check", "config", "--agent", dir.resolve("agent.yml").toString());

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS");
  }

  @Test
  void promtoolAcceptsTheCentralConfigWithTheStacksRuleFile() {
    Promtool.Result result =
        Promtool.run(null, "check", "config", dir.resolve("central.yml").toString());

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output())
        .contains("SUCCESS: 1 rule files found")
        .contains("prometheus/alert_rules.yml")
        .doesNotContain("FAILED");
  }

  @Test
  void theCentralConfigReadsTheStacksRuleFileAndNoCopyOfItExists() throws IOException {
    List<Path> ruleFiles = new ArrayList<>();
    for (JsonNode rf : LiveScrapeConfig.read(dir.resolve("central.yml")).path("rule_files")) {
      ruleFiles.add(dir.resolve(rf.asText()).normalize());
    }
    assertThat(ruleFiles).containsExactly(stack.resolve("prometheus/alert_rules.yml").normalize());

    try (Stream<Path> files = Files.walk(stack.resolve("scale-out"))) {
      List<Path> withGroups =
          files
              .filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml"))
              .filter(f -> LiveScrapeConfig.read(f).has("groups"))
              .toList();
      assertThat(withGroups).as("rule files under stack/scale-out (copies drift)").isEmpty();
    }
  }

  @Test
  void theAgentsJobsAreTheOneMachineJobsAndTheCentralScrapesTheRest() {
    Map<String, JsonNode> oneMachine = jobs(stack.resolve("prometheus/prometheus.yml"));
    Map<String, JsonNode> agent = jobs(dir.resolve("agent.yml"));
    Map<String, JsonNode> central = jobs(dir.resolve("central.yml"));

    for (Map.Entry<String, JsonNode> job : agent.entrySet()) {
      assertThat(oneMachine).as("stack/prometheus/prometheus.yml jobs").containsKey(job.getKey());
      assertThat(job.getValue())
          .as("job %s of agent.yml and of stack/prometheus/prometheus.yml", job.getKey())
          .isEqualTo(oneMachine.get(job.getKey()));
    }
    assertThat(central.keySet()).containsExactlyInAnyOrder("prometheus", "alertmanager");
    List<String> both = new ArrayList<>(agent.keySet());
    both.addAll(central.keySet());
    assertThat(both).containsExactlyInAnyOrderElementsOf(oneMachine.keySet());
    assertThat(
            LiveScrapeConfig.read(dir.resolve("agent.yml")).path("global").path("external_labels"))
        .as("agent.yml external_labels")
        .hasSize(2);
  }

  @Test
  void theReadmeGivesTheFlagsTheLiveTestStartsThemWith() throws IOException {
    String readme = Files.readString(dir.resolve("README.md"));
    List<String> flags = new ArrayList<>(CentralPrometheusFedByAnAgentTest.AGENT_FLAGS);
    flags.addAll(CentralPrometheusFedByAnAgentTest.CENTRAL_FLAGS);
    assertThat(readme).contains(flags);
  }

  /**
   * The jobs of a configuration by name, targets left out (each group's agent has its own), labels
   * and every other setting kept.
   */
  private static Map<String, JsonNode> jobs(Path config) {
    Map<String, JsonNode> jobs = new LinkedHashMap<>();
    for (JsonNode job : LiveScrapeConfig.read(config).path("scrape_configs")) {
      JsonNode copy = job.deepCopy();
      for (JsonNode sc : copy.path("static_configs")) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) sc).remove("targets");
      }
      jobs.put(job.path("job_name").asText(), copy);
    }
    return jobs;
  }
}
