package com.aicompanion.monitoring.it.stack.live;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlSelectorsTest {
  @Test
  void findsSelectorsButNotFunctionsAggregationsLabelListsOrDurations() {
    String expr =
        "sum by (job, instance) (rate(http_server_requests_seconds_count{outcome=\"SERVER_ERROR\","
            + " uri!~\"/health.*\"}[5m] offset 1m)) / on (job) group_left(version)"
            + " max without (pod) (app_info) > bool 0.5e1";
    assertThat(PromQlSelectors.of(expr))
        .containsExactly(
            "http_server_requests_seconds_count{outcome=\"SERVER_ERROR\", uri!~\"/health.*\"}",
            "app_info");
  }

  @Test
  void keepsBareMatchersAndSkipsStringArguments() {
    String expr =
        "label_replace({__name__=~\"node_load.*\"}, \"dst\", \"$1\", \"instance\", \"(.*):.*\")"
            + " or histogram_quantile(0.99, sum by (le) (rate(x_bucket[$__rate_interval])))";
    assertThat(PromQlSelectors.of(expr)).containsExactly("{__name__=~\"node_load.*\"}", "x_bucket");
    assertThat(PromQlSelectors.metricName("x_bucket{le=\"1\"}")).isEqualTo("x_bucket");
  }

  @Test
  void recognisesCadvisorQueries() {
    assertThat(QueryChecks.usesCadvisor("sum(rate(container_cpu_usage_seconds_total[1m]))"))
        .isTrue();
    assertThat(QueryChecks.usesCadvisor("sum by (container) (rate(node_cpu_seconds_total[1m]))"))
        .isFalse();
  }
}
