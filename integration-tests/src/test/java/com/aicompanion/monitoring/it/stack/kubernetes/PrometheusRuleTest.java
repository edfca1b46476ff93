package com.aicompanion.monitoring.it.stack.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.testsupport.Promtool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PrometheusRule's {@code spec.groups}, taken out into a rule file, pass {@code promtool check
 * rules} and every unit test of {@code stack/prometheus/tests}.
 */
class PrometheusRuleTest {
  @Test
  void theExtractedRulesPassPromtoolCheckRules(@TempDir Path temp) throws IOException {
    Path rules = extractRules(temp.resolve("alert_rules.yml"));

    Promtool.Result result = Promtool.run(null, "check", "rules", rules.toString());

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS");
  }

  @Test
  void everyRuleUnitTestPassesAgainstTheExtractedRules(@TempDir Path temp) throws IOException {
    extractRules(temp.resolve("alert_rules.yml"));
    Path tests = Files.createDirectory(temp.resolve("tests"));
    List<String> args = new ArrayList<>(List.of("test", "rules"));
    try (Stream<Path> files = Files.list(Manifests.stack().resolve("prometheus/tests"))) {
      for (Path file : files.filter(f -> f.toString().endsWith("_test.yml")).sorted().toList()) {
        Path copy = tests.resolve(file.getFileName());
        Files.copy(file, copy);
        // the tests name ../alert_rules.yml: here that is the extracted copy
        assertThat(Files.readString(copy)).contains("../alert_rules.yml");
        args.add(copy.toString());
      }
    }
    assertThat(args).hasSizeGreaterThan(2);

    Promtool.Result result = Promtool.run(null, args.toArray(String[]::new));

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).doesNotContain("FAILED");
  }

  @Test
  void theRuleGroupsEqualAlertRulesYml() {
    JsonNode groups = Manifests.only("PrometheusRule").path("spec").path("groups");

    assertThat(groups)
        .isEqualTo(
            Manifests.yaml(Manifests.stack().resolve("prometheus/alert_rules.yml")).path("groups"));
  }

  private static Path extractRules(Path target) throws IOException {
    ObjectNode file = Manifests.YAML.createObjectNode();
    file.set("groups", Manifests.only("PrometheusRule").path("spec").path("groups"));
    Manifests.YAML.writeValue(target.toFile(), file);
    return target;
  }
}
