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
  void aResultWithSteadyRateFiguresJudgesTheGoalsOnThemAndGivesWholeCyclesBeside() {
    Map<String, Object> json = result(true);
    json.put("slice_seconds", 10);
    json.put("idle_seconds", 30);
    json.put("cycles", List.of(Map.of(), Map.of()));
    json.put("full_steady_added_cpu_us_per_request", 30.0);
    json.put("agent_steady_added_cpu_us_per_request", 45.0);
    json.put(
        "full_steady_added_cpu_us_per_request_by_cycle",
        Map.of("median", 31.0, "min", 20.0, "max", 41.0));
    json.put(
        "full_added_cpu_us_per_request_by_cycle", Map.of("median", 78.0, "min", 60.5, "max", 99.0));
    Map<?, ?> modes = (Map<?, ?>) json.get("modes");
    steady((Map<?, ?>) modes.get("off"), 380, 2.5, 290);
    steady((Map<?, ?>) modes.get("full"), 410, 9.0, 295);
    steady((Map<?, ?>) modes.get("agent"), 425, 3.0, 310);

    String md = new RequestCostTable(json).markdown();

    assertThat(md)
        .contains("| mode | CPU per request at a steady rate | added to off | over whole cycles")
        .contains(
            "| fully instrumented (as shipped) | 410.0 us | +30.0 us | 480.0 us (+80.0 us) | 9.0 ms/s |")
        .contains("monitoring off 380.0 us is 0.380 CPU-seconds per 1,000 requests.")
        .contains("| off + OpenTelemetry Java agent | 425.0 us | +45.0 us | 450.0 us (+50.0 us) |")
        .contains("at the idle rate measured with all children idle (30 s")
        .contains(
            "adds at most 5.0 us of CPU per request (at a steady rate): **missed** (+30.0 us)")
        .contains("and less than the agent: **met** (agent +45.0 us)")
        .contains(
            "Cycle by cycle, fully instrumented (as shipped) adds +31.0 us (median; from +20.0 us to +41.0 us).")
        // the split by thread is the steady one
        .contains("| fully instrumented (as shipped) | 295.0 us |")
        .doesNotContain("| fully instrumented (as shipped) | 301.0 us |");
  }

  @SuppressWarnings("unchecked")
  private static void steady(
      Map<?, ?> summary, double cpu, double idleMsPerSecond, double request) {
    Map<String, Object> mode = (Map<String, Object>) summary;
    mode.put("steady_cpu_ms_per_1000_requests", cpu);
    mode.put("idle_cpu_ms_per_second", idleMsPerSecond);
    for (String kind : KINDS) {
      mode.put(
          "steady_" + kind + "_cpu_ms_per_1000_requests", kind.equals("request") ? request : 1.0);
    }
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
