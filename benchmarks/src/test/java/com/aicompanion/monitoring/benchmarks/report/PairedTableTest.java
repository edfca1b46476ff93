package com.aicompanion.monitoring.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PairedTableTest {
  private static final String PAIRED =
      """
      {"started":"2026-11-30T07:27:05Z","finished":"2026-11-30T07:36:00Z","pairs":3,
       "fork":"15 x 1 s warm-up, 5 x 1 s measured, one thread",
       "comparisons":[
        {"name":"client","anchor":"http.HttpClientWrapperBenchmark.raw[exporter=otlp]",
         "ours":"http.HttpClientWrapperBenchmark.wrapped[exporter=otlp]","goal_ratio":1.1,
         "anchor_us":[200.0,210.0,190.0],"ours_us":[204.0,220.0,193.0],
         "ratios":[1.02,1.0476,1.0158],"median_anchor_us":200.0,"median_ours_us":204.0,
         "median_ratio":1.02,"min_ratio":1.0158,"max_ratio":1.0476,"pairs_above_goal":0,
         "met":true,
         "of_medians":{"median_ratio":1.011,"min_ratio":0.994,"max_ratio":1.032}},
        {"name":"filter-no-socket","anchor":"http.HttpServerFilterBenchmark.inMemoryHandWritten[exporter=otlp]",
         "ours":"http.HttpServerFilterBenchmark.inMemoryFilter[exporter=otlp]","goal_ratio":1.1,
         "anchor_us":[1.0,1.1,0.9],"ours_us":[1.8,2.0,1.7],
         "ratios":[1.8,1.818,1.889],"median_anchor_us":1.0,"median_ours_us":1.8,
         "median_ratio":1.818,"min_ratio":1.8,"max_ratio":1.889,"pairs_above_goal":3,
         "met":false}]}
      """;

  private static Map<String, Object> json(String text) throws Exception {
    return new ObjectMapper().readValue(text, new TypeReference<>() {});
  }

  @Test
  void eachComparisonShowsItsMediansRatioRangeAndGoal() throws Exception {
    String md = new PairedTable(json(PAIRED)).markdown();

    assertThat(md)
        .contains("3 pairs of adjacent JMH forks")
        .contains("2026-11-30T07:27:05Z to 2026-11-30T07:36:00Z")
        .contains(
            "| HTTP client wrapper against a raw `HttpClient.send`, loopback"
                + " | `http.HttpClientWrapperBenchmark.raw[exporter=otlp]`"
                + " | `http.HttpClientWrapperBenchmark.wrapped[exporter=otlp]`"
                + " | 200 us | 204 us | **1.02x** (1.02x to 1.05x) | 0 of 3"
                + " | 1.01x (0.99x to 1.03x) | ≤ 1.1x: **met** |")
        .as("a comparison without medians (an older file) shows a dash")
        .contains(
            "| 1.00 us | 1.80 us | **1.82x** (1.80x to 1.89x) | 3 of 3 | - | ≤ 1.1x: **missed** |")
        .doesNotContain("Quick mode");
  }

  @Test
  void aQuickRunSaysSo() throws Exception {
    String md =
        new PairedTable(
                json(
                    PAIRED.replace(
                        "15 x 1 s warm-up, 5 x 1 s measured",
                        "1 x 200 ms warm-up, 1 x 200 ms measured")))
            .markdown();
    assertThat(md).contains("Quick mode");
  }
}
