package com.aicompanion.monitoring.benchmarks.cost;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request-cost harness in {@code --quick} mode, the way {@code benchmarks/run.sh} runs it: the
 * chat example's jar in child JVMs (monitoring off, fully instrumented, under the OpenTelemetry
 * agent) side by side, measured in alternating slices, with spans going to live OTLP/HTTP
 * receivers. Checks that each mode is what it claims to be (spans only where something instruments,
 * scrapes only where {@code /metrics} exists) and that every planned request was answered. Figures
 * are not judged here: they are read from the full run.
 */
class RequestCostSmokeTest {
  @TempDir Path dir;

  @Test
  void quickRunMeasuresEveryModeWithEveryRequestAnswered() throws Exception {
    Path out = dir.resolve("request-cost.json");

    RequestCost.run(
        List.of(
            out.toString(),
            "--quick",
            "--chat-jar=../examples/chat-service/target/chat-service.jar",
            "--agent=target/agent/opentelemetry-javaagent.jar"));

    JsonNode json = new ObjectMapper().readTree(out.toFile());
    int cycles = json.path("cycles").size();
    assertThat(cycles)
        .isEqualTo(json.path("measure_seconds").asInt() / json.path("slice_seconds").asInt());
    int expected = json.path("rate").asInt() * json.path("slice_seconds").asInt() * cycles;
    assertThat(expected).isPositive();
    for (String mode : List.of("off", "full", "agent")) {
      JsonNode summary = json.path("modes").path(mode);
      JsonNode run = summary;
      assertThat(summary.path("slices").asInt()).as(mode).isEqualTo(cycles);
      assertThat(run.path("requests").asLong()).as(mode).isEqualTo(expected);
      assertThat(run.path("failed").asLong()).as(mode).isZero();
      assertThat(run.path("non_2xx").asLong()).as(mode).isZero();
      assertThat(run.path("overloaded").asBoolean()).as(mode).isFalse();
      assertThat(run.path("cpu_ms").asDouble()).as(mode).isPositive();
      assertThat(summary.path("p99_us").asDouble())
          .as(mode)
          .isGreaterThanOrEqualTo(summary.path("p50_us").asDouble())
          .isPositive();
    }
    JsonNode modes = json.path("modes");
    assertThat(modes.path("off").path("spans_received").asLong()).isZero();
    assertThat(modes.path("off").path("scrapes").asLong()).isZero();
    // a SERVER span per request at least (warm-up included), from the library and the agent alike
    JsonNode full = modes.path("full");
    assertThat(full.path("spans_received").asLong())
        .isGreaterThanOrEqualTo(full.path("requests_with_warm_up").asLong())
        .isGreaterThan(expected);
    assertThat(modes.path("full").path("scrapes").asLong()).isPositive();
    JsonNode agent = modes.path("agent");
    assertThat(agent.path("spans_received").asLong())
        .isGreaterThanOrEqualTo(agent.path("requests_with_warm_up").asLong())
        .isGreaterThan(expected);
    // the split by thread: every kind for every mode; no console writer or span export when off
    for (String mode : List.of("off", "full", "agent")) {
      for (String kind : ChatProcess.KINDS) {
        assertThat(modes.path(mode).path(kind + "_cpu_ms_per_1000_requests").isNumber())
            .as(mode + " " + kind)
            .isTrue();
      }
    }
    assertThat(modes.path("off").path("console_cpu_ms_per_1000_requests").asDouble()).isZero();
    assertThat(modes.path("off").path("spans_cpu_ms_per_1000_requests").asDouble()).isZero();
    assertThat(modes.path("full").path("request_cpu_ms_per_1000_requests").asDouble()).isPositive();
    assertThat(json.path("full_added_cpu_us_per_request").isNumber()).isTrue();
    // every cycle measured every mode, and the added cost has its spread over the cycles
    for (JsonNode cycle : json.path("cycles")) {
      for (String mode : List.of("off", "full", "agent")) {
        assertThat(cycle.path(mode).asDouble()).as(mode).isPositive();
      }
    }
    JsonNode spread = json.path("full_added_cpu_us_per_request_by_cycle");
    assertThat(spread.path("min").asDouble())
        .isLessThanOrEqualTo(spread.path("median").asDouble())
        .isLessThanOrEqualTo(spread.path("max").asDouble());
    assertThat(json.path("agent_added_cpu_us_per_request").isNumber()).isTrue();
    // the steady-rate figures: for every mode, every cycle, with the idle rate they subtract
    assertThat(json.path("idle_seconds").asInt()).isPositive();
    for (String mode : List.of("off", "full", "agent")) {
      JsonNode summary = modes.path(mode);
      assertThat(summary.path("steady_cpu_ms_per_1000_requests").asDouble()).as(mode).isPositive();
      assertThat(summary.path("idle_cpu_ms_per_second").isNumber()).as(mode).isTrue();
      assertThat(summary.path("idle_cpu_ms_per_second").asDouble()).as(mode).isNotNegative();
      assertThat(summary.path("steady_request_cpu_ms_per_1000_requests").asDouble())
          .as(mode)
          .isPositive();
      for (JsonNode cycle : json.path("cycles")) {
        assertThat(cycle.path("steady").path(mode).asDouble()).as(mode).isPositive();
      }
    }
    JsonNode steadySpread = json.path("full_steady_added_cpu_us_per_request_by_cycle");
    assertThat(steadySpread.path("min").asDouble())
        .isLessThanOrEqualTo(steadySpread.path("median").asDouble())
        .isLessThanOrEqualTo(steadySpread.path("max").asDouble());
    assertThat(json.path("agent_steady_added_cpu_us_per_request").isNumber()).isTrue();
  }
}
