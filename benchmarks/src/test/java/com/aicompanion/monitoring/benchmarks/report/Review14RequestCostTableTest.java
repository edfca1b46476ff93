package com.aicompanion.monitoring.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Review 14 of the request-cost section: the JSON as {@code RequestCost} writes it for options the
 * authors did not try ({@code --modes} without all three modes, {@code --measure} that is not a
 * multiple of {@code --slice}).
 */
class Review14RequestCostTableTest {
  private static final List<String> KINDS =
      List.of("request", "console", "spans", "metrics", "jit", "gc", "other");

  /**
   * {@code --modes=off,full}: RequestCost writes no agent summary and no {@code
   * agent_added_cpu_us_per_request}; the table still prints an agent row of "NaN us" and judges
   * "less than the agent: **missed** (agent +NaN us)", a goal that was not measured.
   */
  @Test
  void aRunWithoutTheAgentNeitherShowsNaNNorJudgesTheAgentGoal() {
    Map<String, Object> json = result(List.of("off", "full"), 60, 10, 6);

    String md = new RequestCostTable(json).markdown();

    assertThat(md).doesNotContain("NaN").doesNotContain("less than the agent: **missed**");
  }

  /**
   * {@code --modes=full}: nothing to compare with; the table prints "NaN us" for off, for the added
   * cost and for the agent, and both goals as "**missed**".
   */
  @Test
  void aRunOfTheFullModeAloneJudgesNoGoal() {
    Map<String, Object> json = result(List.of("full"), 60, 10, 6);

    String md = new RequestCostTable(json).markdown();

    assertThat(md).doesNotContain("NaN").doesNotContain("**missed**");
  }

  /** Two children measured, the text says three. */
  @Test
  void theTextCountsTheChildrenThatRan() {
    Map<String, Object> json = result(List.of("off", "full"), 60, 10, 6);

    String md = new RequestCostTable(json).markdown();

    assertThat(md).doesNotContain("the three children");
  }

  /**
   * RequestCost measures {@code max(1, measure / slice)} whole slices per child but writes the
   * requested {@code --measure} as {@code measure_seconds}; the table prints it as what was
   * measured. {@code --measure=25 --slice=10}: 2 cycles, 20 s measured, "25 s measured per child";
   * {@code --measure=5 --slice=10}: 1 cycle, 10 s measured, "5 s measured per child".
   */
  @Test
  void theMeasuredTimeIsWhatTheSlicesAddUpTo() {
    assertThat(new RequestCostTable(result(List.of("off", "full", "agent"), 25, 10, 2)).markdown())
        .contains("then 20 s measured per child");
    assertThat(new RequestCostTable(result(List.of("off", "full", "agent"), 5, 10, 1)).markdown())
        .contains("then 10 s measured per child");
  }

  /** The JSON {@code RequestCost.run} writes for {@code modes}, with {@code cycles} cycles. */
  private static Map<String, Object> result(
      List<String> modes, int measureSeconds, int sliceSeconds, int cycles) {
    Map<String, Object> summaries = new LinkedHashMap<>();
    for (String mode : modes) {
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("requests", 4000L * cycles);
      summary.put("cpu_ms_per_1000_requests", mode.equals("off") ? 400.0 : 480.0);
      for (String kind : KINDS) {
        summary.put(kind + "_cpu_ms_per_1000_requests", 10.0);
      }
      summary.put("p50_us", 900.0);
      summary.put("p99_us", 4000.0);
      summary.put("slices", cycles);
      summaries.put(mode, summary);
    }
    List<Map<String, Object>> byCycle = new ArrayList<>();
    for (int c = 0; c < cycles; c++) {
      Map<String, Object> cycle = new LinkedHashMap<>();
      modes.forEach(mode -> cycle.put(mode, mode.equals("off") ? 400.0 : 480.0));
      cycle.put("cycle", c + 1);
      byCycle.add(cycle);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("date", "2026-11-30T04:00:00Z");
    json.put("mode", "full");
    json.put("machine", Map.of("cores", 2, "load_before", 0.5));
    json.put("rate", 400);
    json.put("warm_up_seconds", 120);
    json.put("measure_seconds", measureSeconds);
    json.put("agent", "opentelemetry-javaagent.jar");
    json.put("slice_seconds", sliceSeconds);
    json.put("modes", summaries);
    json.put("cycles", byCycle);
    for (String mode : List.of("full", "agent")) {
      if (modes.contains("off") && modes.contains(mode)) {
        json.put(mode + "_added_cpu_us_per_request", 80.0);
        json.put(
            mode + "_added_cpu_us_per_request_by_cycle",
            Map.of("median", 80.0, "min", 80.0, "max", 80.0));
      }
    }
    json.put("machine_after", Map.of("cores", 2, "load_after", 0.9));
    return json;
  }
}
