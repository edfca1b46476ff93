package com.aicompanion.monitoring.benchmarks.cost;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.benchmarks.cost.ChatProcess.ThreadCpu;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The request-cost harness's split of the child's CPU by thread: names as {@code /proc} shows them
 * (15 characters), taken from the chat example fully instrumented and under the OpenTelemetry
 * agent.
 */
class ThreadKindTest {
  @ParameterizedTest
  @CsvSource({
    "chat-http, request",
    "HTTP-Dispatcher, request",
    "AsyncAppender-W, console",
    "BatchSpanProces, spans",
    "monitoring-span, spans",
    "okhttp-dispatch, spans",
    "OkHttp Connecti, spans",
    "Okio Watchdog, spans",
    "monitoring-http, metrics",
    "prometheus-metr, metrics",
    "C2 CompilerThre, jit",
    "C1 CompilerThre, jit",
    "GC Thread#0, gc",
    "G1 Service, gc",
    "VM Thread, gc",
    "VM Periodic Tas, gc",
    "monitoring-heal, other",
    "ForkJoinPool.co, other",
    "Sweeper thread, other",
    "main, other"
  })
  void eachThreadOfTheChildHasItsKind(String name, String kind) {
    assertThat(ChatProcess.threadKind(name)).isEqualTo(kind);
    assertThat(ChatProcess.KINDS).contains(kind);
  }

  @Test
  void aThreadThatEndedOrStartedBetweenTwoReadsNeverMakesItsKindNegative() {
    Map<String, ThreadCpu> before =
        Map.of(
            "10", new ThreadCpu("request", Duration.ofMillis(500)),
            // ends before the second read: its 300 ms are not taken out of span export
            "11", new ThreadCpu("spans", Duration.ofMillis(300)),
            "12", new ThreadCpu("spans", Duration.ofMillis(40)),
            "14", new ThreadCpu("jit", Duration.ofMillis(900)),
            "15", new ThreadCpu("other", Duration.ofMillis(100)));
    Map<String, ThreadCpu> after =
        Map.of(
            "10", new ThreadCpu("request", Duration.ofMillis(650)),
            "12", new ThreadCpu("spans", Duration.ofMillis(70)),
            // started in between: all it used counts
            "13", new ThreadCpu("spans", Duration.ofMillis(20)),
            // a thread id the system gave again, to a thread of another kind
            "14", new ThreadCpu("console", Duration.ofMillis(5)),
            // renamed in between: its 30 ms since the first read move to its new kind, not 130
            "15", new ThreadCpu("request", Duration.ofMillis(130)));

    Map<String, Duration> kinds = ChatProcess.byKind(Map.of(), Map.of());
    assertThat(kinds)
        .containsOnlyKeys(ChatProcess.KINDS)
        .allSatisfy((k, d) -> assertThat(d).isZero());

    kinds = ChatProcess.byKind(before, after);
    assertThat(kinds.get("request")).isEqualTo(Duration.ofMillis(150 + 30));
    assertThat(kinds.get("other")).isZero();
    assertThat(kinds.get("spans")).isEqualTo(Duration.ofMillis(50));
    assertThat(kinds.get("console")).isEqualTo(Duration.ofMillis(5));
    assertThat(kinds.get("jit")).isZero();
    assertThat(kinds).containsOnlyKeys(ChatProcess.KINDS);
  }
}
