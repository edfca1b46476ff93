package com.aicompanion.monitoring.benchmarks.cost;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review 14: the request-cost harness with options the authors did not try, on the real chat
 * example's jar in the {@code off} mode only (one child JVM, a few seconds; needs {@code
 * examples/chat-service/target/chat-service.jar} as {@link RequestCostSmokeTest} does).
 */
class Review14RequestCostOptionsTest {
  private static final String CHAT_JAR =
      "--chat-jar=../examples/chat-service/target/chat-service.jar";

  @TempDir Path dir;

  /**
   * {@code --measure=1 --slice=2}: one whole slice of 2 s is measured (40 requests at 20/s), but
   * the JSON says {@code measure_seconds: 1}, which the report prints as "1 s measured per child".
   */
  @Test
  void measureSecondsIsTheTimeTheSlicesMeasured() throws Exception {
    Path out = dir.resolve("request-cost.json");

    RequestCost.run(
        List.of(
            out.toString(),
            "--modes=off",
            "--rate=20",
            "--warm-up=1",
            "--slice=2",
            "--measure=1",
            CHAT_JAR,
            "--agent=target/agent/opentelemetry-javaagent.jar"));

    JsonNode json = new ObjectMapper().readTree(out.toFile());
    long requests = json.path("modes").path("off").path("requests").asLong();
    assertThat(requests).as("requests measured at 20/s").isEqualTo(40);
    assertThat(json.path("measure_seconds").asLong())
        .as("measure_seconds for %d requests at 20/s", requests)
        .isEqualTo(json.path("cycles").size() * json.path("slice_seconds").asLong());
  }

  /** {@code --modes=off} (or off,full) still refuses to run without the agent's jar. */
  @Test
  void aRunWithoutTheAgentModeDoesNotNeedTheAgentJar() throws Exception {
    Path out = dir.resolve("request-cost.json");

    RequestCost.run(
        List.of(
            out.toString(),
            "--modes=off",
            "--rate=20",
            "--warm-up=1",
            "--slice=1",
            "--measure=1",
            CHAT_JAR,
            "--agent=" + dir.resolve("no-agent.jar")));

    assertThat(out).exists();
  }
}
