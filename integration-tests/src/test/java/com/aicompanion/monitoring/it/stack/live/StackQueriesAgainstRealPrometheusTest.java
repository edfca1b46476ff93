package com.aicompanion.monitoring.it.stack.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.testsupport.PrometheusServer;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link StackQueryChecks} against a real Prometheus (Debian package) that scrapes the chat-service
 * example under load and real node, Redis and PostgreSQL exporters, with the configuration of
 * {@code stack/prometheus/prometheus.yml} ({@link LiveStack}, shared with the other live tests).
 */
@ExtendWith(SharedLiveStack.class)
class StackQueriesAgainstRealPrometheusTest extends StackQueryChecks {
  private static LiveStack stack;
  private static QueryChecks checks;

  @BeforeAll
  static void start(LiveStack shared) {
    stack = shared;
    checks = new QueryChecks(stack.prometheus);
  }

  @Override
  PrometheusServer prometheus() {
    return stack.prometheus;
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
  void everyStackJobButCadvisorIsScrapedFromARealProcess() {
    System.out.println("Stack targets not exercisable here: " + stack.scrapeConfig.notScraped());
    assertThat(stack.scrapeConfig.jobs())
        .as("jobs of stack/prometheus/prometheus.yml scraped here")
        .contains("ai-companion", "node", "redis", "postgres", "prometheus", "alertmanager")
        .doesNotContain("cadvisor");
    assertThat(stack.prometheus.query("up{job=\"ai-companion\"} == 1").result()).hasSize(1);
  }

  @Test
  @Order(4)
  void aQueryOnAMisspelledMetricFailsNamingTheRealMetric() {
    Optional<String> misspelled =
        checks.returnsData(
            "sum(rate(http_server_request_seconds_count{job=\"ai-companion\"}[1m]))");
    assertThat(misspelled)
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains("no metric http_server_request_seconds_count is scraped")
                    .contains("closest real names: http_server_requests_seconds_count"));
    Optional<String> wrongJob = checks.returnsData("up{job=\"chat-service\"}");
    assertThat(wrongJob)
        .hasValueSatisfying(
            m -> assertThat(m).contains("up exists, but no series matches these labels"));
    assertThat(checks.runsWithoutError("sum(rate(up[1m])")).isPresent();
  }
}
