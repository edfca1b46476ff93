package com.aicompanion.monitoring.test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicompanion.monitoring.health.CheckOptions;
import com.aicompanion.monitoring.health.CheckResult;
import com.aicompanion.monitoring.health.CheckResult.Status;
import com.aicompanion.monitoring.health.HealthRegistry;
import com.aicompanion.monitoring.health.HealthReport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthAssertTest {
  private HealthRegistry health;

  @BeforeEach
  void register() {
    health = HealthRegistry.builder().meterRegistry(new SimpleMeterRegistry()).build();
    health.register("postgres", () -> CheckResult.pass().observed(12.5, "ms"));
    health.register(
        "cache", () -> CheckResult.fail("connection refused"), CheckOptions.nonCritical());
  }

  @AfterEach
  void close() {
    health.close();
  }

  @Test
  void reportStatusHttpStatusAndChecksPassWhenRight() {
    HealthReport report = health.check();

    HealthAssert.assertThat(report)
        .hasStatus(Status.WARN)
        .hasHttpStatus(200)
        .hasChecks("cache", "postgres")
        .doesNotHaveCheck("redis");
    HealthAssert.assertThat(report)
        .check("cache")
        .hasStatus(Status.WARN)
        .hasOutput("connection refused")
        .hasOutputContaining("refused");
    HealthAssert.assertThat(report)
        .check("postgres")
        .hasStatus(Status.PASS)
        .hasOutput(null)
        .hasObservedUnit("ms")
        .observedValue()
        .isEqualTo(12.5);
  }

  @Test
  void wrongReportStatusFailsShowingEveryCheck() {
    HealthReport report = health.check();

    assertThatThrownBy(() -> HealthAssert.assertThat(report).hasStatus(Status.PASS))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected the health status pass, but it is warn:")
        .hasMessageContaining("  cache: warn (connection refused)")
        .hasMessageContaining("  postgres: pass");
    assertThatThrownBy(() -> HealthAssert.assertThat(report).hasHttpStatus(503))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected HTTP status 503, but the report answers 200 (status warn)");
    assertThatThrownBy(() -> HealthAssert.assertThat(report).hasChecks("postgres", "redis"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("(missing [redis], unexpected [cache])");
    assertThatThrownBy(() -> HealthAssert.assertThat(report).doesNotHaveCheck("cache"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected no check cache, but the report has cache: warn");
  }

  @Test
  void wrongCheckDetailsFailNamingTheCheck() {
    HealthReport report = health.check();

    assertThatThrownBy(() -> HealthAssert.assertThat(report).check("redis"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected a check named redis, but the report has:")
        .hasMessageContaining("  cache: warn (connection refused)");
    assertThatThrownBy(() -> HealthAssert.assertThat(report).check("cache").hasStatus(Status.PASS))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected check cache to be pass, but it is cache: warn");
    assertThatThrownBy(() -> HealthAssert.assertThat(report).check("cache").hasOutput("timeout"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(
            "Expected check cache's output \"timeout\", but it is \"connection refused\"");
    assertThatThrownBy(
            () -> HealthAssert.assertThat(report).check("postgres").hasOutputContaining("slow"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(
            "Expected check postgres's output to contain \"slow\", but it is absent");
    assertThatThrownBy(() -> HealthAssert.assertThat(report).check("cache").observedValue())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected check cache to have an observed value, but it has none");
    assertThatThrownBy(() -> HealthAssert.assertThat(report).check("postgres").hasObservedUnit("s"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected check postgres's observed unit s, but it is ms");
  }
}
