package com.aicompanion.monitoring.test;

import com.aicompanion.monitoring.Monitoring;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Run by {@link OptionalDependenciesTest} in a class loader without the kit's optional libraries:
 * answers "ok" when the metrics part works there, else what went wrong.
 */
public final class MetricsOnlyScenario implements Callable<String> {
  @Override
  public String call() {
    for (String absent :
        List.of(
            "ch.qos.logback.classic.Logger",
            "io.opentelemetry.sdk.trace.data.SpanData",
            "com.aicompanion.monitoring.tracing.Tracing",
            "com.aicompanion.monitoring.health.HealthReport",
            "com.aicompanion.monitoring.logging.JsonLogging")) {
      try {
        Class.forName(absent, false, MetricsOnlyScenario.class.getClassLoader());
        return "the class loader still has " + absent;
      } catch (ClassNotFoundException expected) {
        // the optional library is absent, as a user without it has it
      }
    }
    try (Monitoring monitoring =
        Monitoring.builder("metrics-only")
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .shutdownHook(false)
            .start()) {
      monitoring.monitor().incrementCounter("jobs_total", 2, Map.of("queue", "a"));
      MetricsAssert.assertThat(monitoring)
          .counter("jobs_total")
          .withLabels("queue", "a")
          .hasValue(2);
      MetricsAssert.assertThat(monitoring.monitor()).hasNoRefusals().doesNotHave("other_total");
      try {
        MetricsAssert.assertThat(monitoring).counter("jobs_total").hasValue(3);
        return "a wrong value passed";
      } catch (AssertionError e) {
        if (!e.getMessage().contains("Expected jobs_total{queue=\"a\"} to be 3, but it is 2")) {
          return "unclear failure: " + e.getMessage();
        }
      }
    }
    return "ok";
  }
}
