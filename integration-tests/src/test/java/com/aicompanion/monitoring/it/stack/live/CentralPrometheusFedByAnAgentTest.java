package com.aicompanion.monitoring.it.stack.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.testsupport.PrometheusServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The remote_write topology of {@code stack/scale-out/prometheus/} on loopback: a Prometheus in
 * agent mode with the committed {@code agent.yml} scrapes the chat service and the exporters of the
 * shared {@link LiveStack} and remote-writes to a second Prometheus with the committed {@code
 * central.yml}, started with the remote-write receiver, which evaluates the stack's {@code
 * alert_rules.yml}. The same {@link StackQueryChecks} as for one machine then run against the
 * central one: every dashboard query and alert expression returns data there too.
 */
@ExtendWith(SharedLiveStack.class)
class CentralPrometheusFedByAnAgentTest extends StackQueryChecks {
  /** The flags stack/scale-out/prometheus/README.md gives the agent. */
  static final List<String> AGENT_FLAGS = List.of("--enable-feature=agent,expand-external-labels");

  /**
   * The flags README.md gives the central Prometheus (exemplar storage: PrometheusServer's own).
   */
  static final List<String> CENTRAL_FLAGS = List.of("--web.enable-remote-write-receiver");

  private static final String GROUP = "site-a";
  private static final String REPLICA = "0";

  private static LiveStack stack;
  private static PrometheusServer central;
  private static PrometheusServer agent;
  private static QueryChecks checks;
  private static ScaleOutConfig.Result agentConfig;
  private static final AtomicReference<ScaleOutConfig.Result> centralConfig =
      new AtomicReference<>();

  @BeforeAll
  static void start(LiveStack shared) {
    stack = shared;
    Path dir = stack.stackDir.resolve("scale-out/prometheus");
    AtomicReference<String> agentAddress = new AtomicReference<>();
    central =
        PrometheusServer.start(
            port -> {
              centralConfig.set(
                  ScaleOutConfig.central(
                      dir.resolve("central.yml"),
                      "127.0.0.1:" + port,
                      agentAddress.get(),
                      stack.alertmanagerAddress));
              return centralConfig.get().yaml();
            },
            CENTRAL_FLAGS);
    agent =
        PrometheusServer.startAgent(
            port -> {
              agentAddress.set("127.0.0.1:" + port);
              agentConfig =
                  ScaleOutConfig.agent(
                      dir.resolve("agent.yml"), stack.targets, "127.0.0.1:" + central.port());
              return agentConfig.yaml();
            },
            AGENT_FLAGS,
            Map.of("PROMETHEUS_GROUP", GROUP, "PROMETHEUS_REPLICA", REPLICA));
    // now that the agent's port is known, the central one scrapes it too
    centralConfig.set(
        ScaleOutConfig.central(
            dir.resolve("central.yml"),
            "127.0.0.1:" + central.port(),
            agentAddress.get(),
            stack.alertmanagerAddress));
    central.reload(centralConfig.get().yaml());
    checks = new QueryChecks(central);

    LiveStack.awaitEveryTargetUp(agent, agentConfig.jobs());
    LiveStack.awaitEveryTargetUp(central, centralConfig.get().jobs());
    LiveStack.awaitFiveScrapesOfEveryJob(central);
    LiveStack.awaitFailuresInTheWorkload(central);
  }

  @AfterAll
  static void stop() {
    for (PrometheusServer p : new PrometheusServer[] {agent, central}) {
      if (p != null) {
        p.close();
      }
    }
  }

  @Override
  PrometheusServer prometheus() {
    return central;
  }

  @Override
  QueryChecks checks() {
    return checks;
  }

  @Override
  Path stackDir() {
    return stack.stackDir;
  }

  @Test
  @Order(1)
  void theAgentScrapesTheApplicationAndExportersAndTheCentralOneItselfAlertmanagerAndTheAgent() {
    System.out.println(
        "Scale-out targets not exercisable here: agent "
            + agentConfig.notScraped()
            + ", central "
            + centralConfig.get().notScraped());
    assertThat(agentConfig.jobs()).containsExactly("ai-companion", "node", "redis", "postgres");
    assertThat(centralConfig.get().jobs()).containsExactly("prometheus", "alertmanager");
    List<String> both = new ArrayList<>(agentConfig.jobs());
    both.addAll(centralConfig.get().jobs());
    assertThat(both)
        .as("the two tiers together scrape every job the one-machine Prometheus scrapes")
        .containsExactlyInAnyOrderElementsOf(stack.scrapeConfig.jobs());

    assertThat(
            central
                .query(
                    "up{job=\"ai-companion\", prometheus_group=\""
                        + GROUP
                        + "\", prometheus_replica=\""
                        + REPLICA
                        + "\"} == 1")
                .result())
        .as("the application's up, produced by the agent, with the agent's external labels")
        .hasSize(1);
    assertThat(
            central
                .query("up{job=\"prometheus\", prometheus_group=\"" + GROUP + "\"} == 1")
                .result())
        .as("the central Prometheus's own scrape of the agent")
        .hasSize(1);
  }

  @Test
  @Order(4)
  @SuppressWarnings("unchecked")
  void theCentralOneEvaluatesTheStacksOwnRuleFile() {
    Path stackRules = stack.stackDir.resolve("prometheus/alert_rules.yml").toAbsolutePath();
    assertThat(centralConfig.get().ruleFiles()).containsExactly(stackRules.normalize());
    Map<String, Object> data = (Map<String, Object>) central.get("/api/v1/rules").get("data");
    List<String> files = new ArrayList<>();
    for (Object g : (List<Object>) data.get("groups")) {
      files.add(String.valueOf(((Map<String, Object>) g).get("file")));
    }
    assertThat(files).isNotEmpty().containsOnly(stackRules.normalize().toString());
  }

  /**
   * Runs last: stops the agent. A dead agent sends no stale markers, so its group's series keep
   * their last value (up stays 1) until they drop out of the 5-minute lookback: ServiceDown cannot
   * see it. The central's own scrape of the agent can: TargetDown's expression selects it at once.
   */
  @Test
  @Order(10)
  void aDeadAgentIsSeenByTheCentralsScrapeOfItNotByTheGroupsUpSeries() {
    String targetDown = ruleExpr("TargetDown");
    String serviceDown = ruleExpr("ServiceDown");
    assertThat(central.query(targetDown).result()).as("TargetDown before").isEmpty();

    agent.stop();

    await("TargetDown's expression selects the dead agent")
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                central
                    .query(targetDown)
                    .result()
                    .toString()
                    .contains("prometheus_group=" + GROUP));
    assertThat(central.query("up{job=\"ai-companion\"} == 1").result())
        .as("the group's last up sample, still inside the lookback")
        .hasSize(1);
    assertThat(central.query(serviceDown).result()).as("ServiceDown").isEmpty();
  }

  private String ruleExpr(String alert) {
    for (var group :
        LiveScrapeConfig.read(stack.stackDir.resolve("prometheus/alert_rules.yml"))
            .path("groups")) {
      for (var rule : group.path("rules")) {
        if (alert.equals(rule.path("alert").asText())) {
          return rule.path("expr").asText();
        }
      }
    }
    throw new AssertionError("alert_rules.yml has no alert " + alert);
  }
}
