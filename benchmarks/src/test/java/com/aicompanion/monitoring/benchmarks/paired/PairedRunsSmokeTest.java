package com.aicompanion.monitoring.benchmarks.paired;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PairedRuns} in {@code --quick} mode, the way {@code benchmarks/run.sh} runs it: real JMH
 * forks of the loopback benchmarks, one short pair per comparison. Figures are not judged here,
 * only that every fork measured something and the file says so.
 */
class PairedRunsSmokeTest {
  @TempDir Path dir;

  @Test
  void aQuickRunMeasuresOnePairOfForksPerComparison() throws Exception {
    Path out = dir.resolve("paired.json");

    PairedRuns.main(new String[] {out.toString(), "--quick", "--only=client,listener-vs-no-op"});

    JsonNode json = new ObjectMapper().readTree(out.toFile());
    assertThat(json.path("pairs").asInt()).isEqualTo(1);
    assertThat(json.path("fork").asText()).contains("200 ms");
    JsonNode comparisons = json.path("comparisons");
    assertThat(comparisons).hasSize(2);
    assertThat(comparisons.get(0).path("name").asText()).isEqualTo("client");
    assertThat(comparisons.get(0).path("ours").asText())
        .isEqualTo("http.HttpClientWrapperBenchmark.wrapped[exporter=otlp]");
    assertThat(comparisons.get(1).path("anchor").asText())
        .isEqualTo("langchain4j.LangChain4jListenerBenchmark.openAiLoopbackWithNoOpListener");
    for (JsonNode c : comparisons) {
      for (String key : new String[] {"anchor_us", "ours_us", "ratios"}) {
        assertThat(c.path(key)).as(key).hasSize(1);
        assertThat(c.path(key).get(0).asDouble()).as(key).isPositive();
      }
      assertThat(c.path("of_medians").path("median_ratio").asDouble()).isPositive();
    }
  }
}
