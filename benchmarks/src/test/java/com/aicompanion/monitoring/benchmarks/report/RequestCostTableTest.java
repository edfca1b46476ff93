package com.aicompanion.monitoring.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The request-cost section: the totals, the goals, and where the CPU went by thread. */
class RequestCostTableTest {
  private static final List<String> KINDS =
      List.of("request", "console", "spans", "metrics", "jit", "gc", "other");

  @Test
  void eachModeHasItsRowByThreadAndTheGoalsAreJudgedOnTheTotals() {
    Map<String, Object> json = result(true);

    String md = new RequestCostTable(json).markdown();

    assertThat(md)
        .contains("| fully instrumented (as shipped) | 480.0 us | +80.0 us | 100.0 us / 10.0 us |")
        .contains("| off + OpenTelemetry Java agent | 450.0 us | +50.0 us |")
        .contains("Goal: full instrumentation adds at most 5.0 us of CPU per request: **missed**")
        .contains("and less than the agent: **missed** (agent +50.0 us)")
        .contains(
            "| mode | request threads | console writer | span export | `/metrics` | JIT compiler"
                + " | GC and VM | other |")
        .contains(
            "| fully instrumented (as shipped) | 301.0 us | 12.0 us | 33.0 us | 4.0 us | 100.0 us"
                + " | 10.0 us | 7.0 us |")
        .contains(
            "| monitoring off (`CHAT_MONITORING=off`) | 300.0 us | 0.0 us | 0.0 us | 0.0 us |");
  }

  @Test
  void aResultMeasuredInSlicesSaysSoAndGivesTheAddedCostCycleByCycle() {
    Map<String, Object> json = result(true);
    json.put("slice_seconds", 10);
    json.put("cycles", List.of(Map.of(), Map.of(), Map.of()));
    json.put(
        "full_added_cpu_us_per_request_by_cycle", Map.of("median", 78.0, "min", 60.5, "max", 99.0));
    json.put(
        "agent_added_cpu_us_per_request_by_cycle",
        Map.of("median", 51.0, "min", 40.0, "max", 70.0));
    for (Object summary : ((Map<?, ?>) json.get("modes")).values()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> mode = (Map<String, Object>) summary;
      mode.remove("runs");
      mode.put("slices", 3);
    }

    String md = new RequestCostTable(json).markdown();

    assertThat(md)
        .contains("for 10 s, the modes taking turns (3 cycles, a different mode first in each)")
        .contains("| p50 | p99 | slices |")
        .contains("| 480.0 us | +80.0 us | 100.0 us / 10.0 us | 0.90 ms | 4.00 ms | 3 |")
        .contains(
            "Cycle by cycle, fully instrumented (as shipped) adds +78.0 us (median; from +60.5 us to +99.0 us).")
        .contains(
            "Cycle by cycle, off + OpenTelemetry Java agent adds +51.0 us (median; from +40.0 us to +70.0 us).")
        .doesNotContain("median of the rounds");
  }

  @Test
  void aResultFromBeforeTheKindsHasNoTableByThread() {
    String md = new RequestCostTable(result(false)).markdown();

    assertThat(md).contains("| fully instrumented (as shipped) | 480.0 us |");
    assertThat(md).doesNotContain("request threads");
  }

  private static Map<String, Object> result(boolean kinds) {
    Map<String, Object> modes = new LinkedHashMap<>();
    modes.put("off", summary(400, kinds, 300, 0, 0, 0, 90, 9, 1));
    modes.put("full", summary(480, kinds, 301, 12, 33, 4, 100, 10, 7));
    modes.put("agent", summary(450, kinds, 305, 0, 40, 0, 95, 9, 1));
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("date", "2026-11-30T02:00:00Z");
    json.put("mode", "full");
    json.put("rate", 400);
    json.put("warm_up_seconds", 120);
    json.put("measure_seconds", 30);
    json.put("agent", "opentelemetry-javaagent.jar");
    json.put("machine", Map.of("load_before", 0.5));
    json.put("machine_after", Map.of("load_after", 0.9));
    json.put("modes", modes);
    json.put("full_added_cpu_us_per_request", 80.0);
    json.put("agent_added_cpu_us_per_request", 50.0);
    return json;
  }

  private static Map<String, Object> summary(double cpu, boolean kinds, double... byKind) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("cpu_ms_per_1000_requests", cpu);
    summary.put("jit_cpu_ms_per_1000_requests", byKind[4]);
    summary.put("gc_cpu_ms_per_1000_requests", byKind[5]);
    if (kinds) {
      for (int i = 0; i < KINDS.size(); i++) {
        summary.put(KINDS.get(i) + "_cpu_ms_per_1000_requests", byKind[i]);
      }
    }
    summary.put("p50_us", 900.0);
    summary.put("p99_us", 4000.0);
    summary.put("runs", List.of(Map.of(), Map.of()));
    return summary;
  }
}
