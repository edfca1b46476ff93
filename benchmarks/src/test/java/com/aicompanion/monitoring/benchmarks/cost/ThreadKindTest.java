package com.aicompanion.monitoring.benchmarks.cost;

import static org.assertj.core.api.Assertions.assertThat;

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
}
