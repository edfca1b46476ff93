package com.aicompanion.monitoring.it.stack.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.aicompanion.monitoring.testsupport.PrometheusServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The checks every Prometheus topology of the stack must pass, run by a subclass against the
 * Prometheus that holds the data ({@link #prometheus()}): every panel query of every dashboard in
 * {@code stack/grafana/dashboards/} returns data, every rule in {@code
 * stack/prometheus/alert_rules.yml} is loaded, runs and selects data, and the overview's Up stat
 * shows the application alone. Queries on cAdvisor metrics ({@code container_*}) only have to run
 * without error: no cAdvisor runs here.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class StackQueryChecks {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** The Prometheus that the dashboards query and that evaluates the rules. */
  abstract PrometheusServer prometheus();

  /** The checks bound to {@link #prometheus()} (one instance per test class: it caches answers). */
  abstract QueryChecks checks();

  /** The repository's {@code stack/} directory. */
  abstract Path stackDir();

  @TestFactory
  @Order(2)
  List<DynamicNode> everyDashboardQueryReturnsData() throws IOException {
    Path dir = stackDir().resolve("grafana/dashboards");
    List<GrafanaDashboards.Dashboard> dashboards =
        Files.isDirectory(dir) ? GrafanaDashboards.read(dir) : List.of();
    String traceIdLabel = exemplarTraceIdLabel();
    List<DynamicNode> nodes = new ArrayList<>();
    Map<String, String> failures = new LinkedHashMap<>();
    List<String> cadvisor = new ArrayList<>();
    for (GrafanaDashboards.Dashboard dashboard : dashboards) {
      GrafanaVariables saved = GrafanaVariables.asSaved(dashboard.variables(), prometheus());
      GrafanaVariables first = GrafanaVariables.firstValues(dashboard.variables(), prometheus());
      List<String> variableProblems = new ArrayList<>(saved.problems());
      first.problems().stream()
          .filter(p -> !variableProblems.contains(p))
          .forEach(variableProblems::add);
      List<DynamicNode> tests = new ArrayList<>();
      tests.add(
          dynamicTest(
              "template variables get values from Prometheus " + first.values(),
              () -> assertThat(variableProblems).as(dashboard.file()).isEmpty()));
      variableProblems.forEach(p -> failures.put(dashboard.file() + " " + p, ""));
      for (GrafanaDashboards.PanelQuery q : dashboard.queries()) {
        boolean cadvisorQuery = QueryChecks.usesCadvisor(q.expr());
        List<String> problems = new ArrayList<>();
        for (GrafanaVariables variables : List.of(saved, first)) {
          String expr = variables.substitute(q.expr());
          Optional<String> failure =
              cadvisorQuery ? checks().runsWithoutError(expr) : checks().returnsData(expr);
          failure.ifPresent(f -> problems.add("executed " + expr + "\n    " + f));
        }
        if (q.exemplar() && !cadvisorQuery) {
          checks()
              .hasExemplarsWith(first.substitute(q.expr()), traceIdLabel)
              .ifPresent(problems::add);
        }
        if (cadvisorQuery) {
          cadvisor.add(q.label() + ": " + saved.substitute(q.expr()));
        }
        if (!problems.isEmpty()) {
          failures.put(q.label() + ": " + q.expr(), String.join("\n    ", problems));
        }
        String name =
            q.label() + (cadvisorQuery ? " (cAdvisor: parses only, not exercisable here)" : "");
        tests.add(
            dynamicTest(
                name,
                () ->
                    assertThat(problems)
                        .as(
                            "%s\n  expr as written: %s\n  %s",
                            q.label(), q.expr(), String.join("\n  ", problems))
                        .isEmpty()));
      }
      nodes.add(dynamicContainer(dashboard.file(), tests));
    }
    nodes.add(
        dynamicTest(
            "all dashboard queries together (every failure listed)",
            () -> {
              System.out.println(
                  "Dashboard queries on cAdvisor metrics, not exercisable here (parse only):\n  "
                      + String.join("\n  ", cadvisor));
              assertThat(dashboards).as("dashboards in " + dir).isNotEmpty();
              assertThat(failures).as(report("dashboard queries", failures)).isEmpty();
            }));
    return nodes;
  }

  @TestFactory
  @Order(3)
  List<DynamicNode> everyAlertRuleIsLoadedRunsAndSelectsData() throws IOException {
    Path rulesFile = stackDir().resolve("prometheus/alert_rules.yml");
    List<RuleRef> rules = readRules(rulesFile);
    Map<String, Map<String, Object>> loaded = awaitEveryRuleEvaluated(rules);
    List<DynamicNode> nodes = new ArrayList<>();
    Map<String, String> failures = new LinkedHashMap<>();
    List<String> cadvisor = new ArrayList<>();
    for (RuleRef rule : rules) {
      List<String> problems = new ArrayList<>();
      Map<String, Object> state = loaded.get(rule.key());
      if (state == null) {
        problems.add("not loaded by Prometheus (/api/v1/rules has no such rule)");
      } else {
        if (!"ok".equals(state.get("health"))) {
          problems.add("health " + state.get("health") + ": " + state.get("lastError"));
        }
      }
      checks().runsWithoutError(rule.expr()).ifPresent(problems::add);
      for (String selector : PromQlSelectors.of(rule.expr())) {
        if (QueryChecks.isCadvisorSelector(selector)) {
          cadvisor.add(rule.key() + ": " + selector);
        } else {
          checks().selectorHasData(selector).ifPresent(problems::add);
        }
      }
      if (!problems.isEmpty()) {
        failures.put(rule.key() + ": " + rule.expr().strip(), String.join("; ", problems));
      }
      nodes.add(
          dynamicTest(
              rule.key(),
              () ->
                  assertThat(problems)
                      .as(
                          "alert_rules.yml %s, expr %s: %s",
                          rule.key(), rule.expr().strip(), String.join("; ", problems))
                      .isEmpty()));
    }
    nodes.add(
        dynamicTest(
            "all alert rules together (every failure listed)",
            () -> {
              System.out.println(
                  "Alert rule selectors on cAdvisor metrics, not exercisable here (parse only):\n  "
                      + String.join("\n  ", cadvisor));
              assertThat(rules).as("rules in " + rulesFile).isNotEmpty();
              assertThat(failures).as(report("alert rules", failures)).isEmpty();
            }));
    return nodes;
  }

  @Test
  @Order(5)
  void theOverviewsUpStatShowsOnlyTheApplicationWithEveryVariableOnAll() {
    GrafanaDashboards.Dashboard overview =
        GrafanaDashboards.readOne(
            stackDir().resolve("grafana/dashboards/ai-companion-overview.json"));
    GrafanaVariables all = GrafanaVariables.asSaved(overview.variables(), prometheus());
    GrafanaDashboards.PanelQuery up =
        overview.queries().stream()
            .filter(q -> q.panel().equals("Up"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the overview has no panel \"Up\""));

    List<Object> series = prometheus().query(all.substitute(up.expr())).result();
    List<String> jobs = new ArrayList<>();
    for (Object s : series) {
      jobs.add(String.valueOf(((Map<?, ?>) ((Map<?, ?>) s).get("metric")).get("job")));
    }

    assertThat(prometheus().query("count by (job) (up)").result())
        .as("jobs scraped here: the exporters, Prometheus and Alertmanager as well")
        .hasSizeGreaterThan(1);
    assertThat(jobs).as("jobs in the Up stat, variables on All: %s", all.values()).isNotEmpty();
    assertThat(jobs).containsOnly("ai-companion");
  }

  /**
   * The exemplar label Grafana's Prometheus data source turns into a Jaeger link ({@code
   * exemplarTraceIdDestinations[].name} in the stack's provisioning), {@code trace_id} if none.
   */
  private String exemplarTraceIdLabel() throws IOException {
    Path file = stackDir().resolve("grafana/provisioning/datasources/datasources.yml");
    if (Files.isRegularFile(file)) {
      for (JsonNode ds : YAML.readTree(file.toFile()).path("datasources")) {
        JsonNode destinations = ds.path("jsonData").path("exemplarTraceIdDestinations");
        if (destinations.size() > 0) {
          return destinations.get(0).path("name").asText("trace_id");
        }
      }
    }
    return "trace_id";
  }

  /** One rule of the file: group, alert or record name, its position among equal names. */
  record RuleRef(String group, String name, int occurrence, String expr) {
    String key() {
      return group + " / " + name + (occurrence > 1 ? " #" + occurrence : "");
    }
  }

  private static List<RuleRef> readRules(Path file) throws IOException {
    assertThat(file).as("the stack's alert rules").isRegularFile();
    List<RuleRef> rules = new ArrayList<>();
    for (JsonNode group : YAML.readTree(file.toFile()).path("groups")) {
      Map<String, Integer> seen = new LinkedHashMap<>();
      for (JsonNode rule : group.path("rules")) {
        String name =
            rule.has("alert") ? rule.path("alert").asText() : rule.path("record").asText();
        int occurrence = seen.merge(name, 1, Integer::sum);
        rules.add(
            new RuleRef(group.path("name").asText(), name, occurrence, rule.path("expr").asText()));
      }
    }
    return rules;
  }

  /** Rules by key once every rule has been evaluated at least once (health no longer unknown). */
  @SuppressWarnings("unchecked")
  private Map<String, Map<String, Object>> awaitEveryRuleEvaluated(List<RuleRef> rules) {
    Map<String, Map<String, Object>> byKey = new LinkedHashMap<>();
    try {
      await("every rule group evaluated")
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                byKey.clear();
                Map<String, Object> data =
                    (Map<String, Object>) prometheus().get("/api/v1/rules").get("data");
                boolean evaluated = true;
                for (Object g : (List<Object>) data.get("groups")) {
                  Map<String, Object> group = (Map<String, Object>) g;
                  Map<String, Integer> seen = new LinkedHashMap<>();
                  for (Object r : (List<Object>) group.get("rules")) {
                    Map<String, Object> rule = (Map<String, Object>) r;
                    String name = String.valueOf(rule.get("name"));
                    int occurrence = seen.merge(name, 1, Integer::sum);
                    byKey.put(
                        new RuleRef(group.get("name").toString(), name, occurrence, "").key(),
                        rule);
                    evaluated &= !"unknown".equals(rule.get("health"));
                  }
                }
                return evaluated && byKey.size() >= rules.size();
              });
    } catch (ConditionTimeoutException e) {
      // the rules still unknown or missing fail their own tests with the state seen last
    }
    return byKey;
  }

  private static String report(String what, Map<String, String> failures) {
    StringBuilder out = new StringBuilder();
    out.append(failures.size()).append(' ').append(what).append(" failed against the live stack:");
    failures.forEach((query, why) -> out.append("\n- ").append(query).append("\n    ").append(why));
    return out.toString();
  }
}
