package com.aicompanion.monitoring.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.health.CheckResult.Status;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthRegistryTest {
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final HealthRegistry health =
      HealthRegistry.builder().meterRegistry(meters).cacheInterval(Duration.ZERO).build();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void close() {
    release.countDown();
    health.close();
  }

  @Test
  void exceptionBecomesFailWithTypeAndMessage() {
    health.register(
        "db",
        () -> {
          throw new IllegalStateException("pool exhausted");
        });

    HealthReport report = health.check();

    assertThat(report.status()).isEqualTo(Status.FAIL);
    assertThat(report.checks().get("db").output())
        .isEqualTo("IllegalStateException: pool exhausted");
    assertThat(report.checks().get("db").time()).isNotNull();
  }

  @Test
  void nonCriticalFailureIsReportedAsWarn() {
    health.register("cache", () -> CheckResult.fail("down"), CheckOptions.nonCritical());
    health.register("db", CheckResult::pass);

    HealthReport report = health.check();

    assertThat(report.status()).isEqualTo(Status.WARN);
    assertThat(report.checks().get("cache").status()).isEqualTo(Status.WARN);
    assertThat(report.checks().get("cache").output()).isEqualTo("down");
    assertThat(report.checks().get("db").status()).isEqualTo(Status.PASS);
  }

  @Test
  void interruptibleCheckIsInterruptedOnTimeoutAndRunsAgainNextTime() {
    AtomicInteger started = new AtomicInteger();
    health.register(
        "slow",
        () -> {
          started.incrementAndGet();
          new CountDownLatch(1).await();
          return CheckResult.pass();
        },
        CheckOptions.critical().timeout(Duration.ofMillis(100)));

    assertThat(health.check().status()).isEqualTo(Status.FAIL);
    await().atMost(Duration.ofSeconds(5)).until(() -> health.runs("slow") == 1);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              health.check();
              assertThat(started.get()).isGreaterThanOrEqualTo(2);
            });
  }

  @Test
  void checksRunInParallelEachWithItsOwnTimeout() {
    for (String name : List.of("a", "b", "c")) {
      health.register(
          name,
          () -> {
            awaitUninterruptibly(release);
            return CheckResult.pass();
          },
          CheckOptions.critical().timeout(Duration.ofMillis(400)));
    }
    health.register("quick", CheckResult::pass);

    long begin = System.nanoTime();
    HealthReport report = health.check();
    long tookMs = (System.nanoTime() - begin) / 1_000_000;

    assertThat(tookMs).isLessThan(1000);
    assertThat(report.checks().get("quick").status()).isEqualTo(Status.PASS);
    assertThat(report.checks().get("a").output()).isEqualTo("timed out after 400ms");
  }

  @Test
  void resultsAreReusedWithinTheCacheInterval() {
    AtomicInteger runs = new AtomicInteger();
    health.register(
        "counted",
        () -> {
          runs.incrementAndGet();
          return CheckResult.pass();
        },
        CheckOptions.critical().cacheInterval(Duration.ofMinutes(1)));

    for (int i = 0; i < 20; i++) {
      health.check();
    }

    assertThat(runs).hasValue(1);
  }

  @Test
  void groupsSelectChecksAndAnEmptyGroupPasses() {
    health.register("db", () -> CheckResult.fail("down"));
    health.register(
        "heap",
        HealthChecks.heap(1.0),
        CheckOptions.critical().groups(CheckOptions.Group.LIVENESS));

    assertThat(health.check(CheckOptions.Group.READINESS).checks()).containsOnlyKeys("db");
    assertThat(health.check(CheckOptions.Group.LIVENESS).status()).isEqualTo(Status.PASS);
    health.unregister("heap");
    assertThat(health.check(CheckOptions.Group.LIVENESS).checks()).isEmpty();
    assertThat(health.check(CheckOptions.Group.LIVENESS).status()).isEqualTo(Status.PASS);
  }

  @Test
  void listenersLearnOfStatusChangesOnly() {
    AtomicReference<CheckResult> answer = new AtomicReference<>(CheckResult.pass());
    health.register("db", answer::get);
    List<String> changes = new CopyOnWriteArrayList<>();
    health.addListener(
        (check, options, previous, current) ->
            changes.add(
                check
                    + ":"
                    + (previous == null ? "none" : previous.status().text())
                    + "->"
                    + current.status().text()));

    health.check();
    health.check();
    answer.set(CheckResult.fail("down"));
    health.check();
    health.check();
    answer.set(CheckResult.pass());
    health.check();

    assertThat(changes).containsExactly("db:none->pass", "db:pass->fail", "db:fail->pass");
  }

  @Test
  void statusMetricIsOneSeriesPerCheckUpdatedInPlace() {
    AtomicReference<CheckResult> answer = new AtomicReference<>(CheckResult.pass());
    health.register("db", answer::get);

    health.check();
    Gauge first = meters.get("health_check_status").tags("check", "db").gauge();
    double passing = first.value();
    answer.set(CheckResult.warn("slow"));
    health.check();
    double warning = first.value();
    answer.set(CheckResult.fail("down"));
    health.check();

    assertThat(passing).isEqualTo(1.0);
    assertThat(warning).isEqualTo(0.5);
    assertThat(meters.find("health_check_status").gauges()).containsExactly(first);
    // the critical label is fixed per registration: it never follows the result
    assertThat(first.getId().getTags())
        .extracting(t -> t.getKey() + "=" + t.getValue())
        .containsExactly("check=db", "critical=true");
    assertThat(first.value()).isEqualTo(0.0);
    assertThat(meters.get("health_check_duration").tags("check", "db").timers())
        .extracting(t -> t.getId().getTag("status"))
        .containsExactlyInAnyOrder("pass", "warn", "fail");
  }

  @Test
  void unregisterRemovesTheChecksSeries() {
    health.register("db", CheckResult::pass);
    health.check();

    health.unregister("db");

    assertThat(meters.find("health_check_status").gauges()).isEmpty();
    assertThat(meters.find("health_check_abandoned_runs").gauges()).isEmpty();
    assertThat(meters.find("health_check_duration").timers()).isEmpty();
  }

  @Test
  void diskSpaceAndHeapChecksReportTheMeasuredQuantity() throws Exception {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));

    CheckResult enough = HealthChecks.diskSpace(tmp, 1).check();
    CheckResult tooLittle = HealthChecks.diskSpace(tmp, Long.MAX_VALUE).check();
    CheckResult heapOk = HealthChecks.heap(1.0).check();
    CheckResult heapTight = HealthChecks.heap(Double.MIN_VALUE).check();

    assertThat(enough.status()).isEqualTo(Status.PASS);
    assertThat(enough.observedUnit()).isEqualTo("bytes");
    assertThat(enough.observedValue()).isPositive();
    assertThat(tooLittle.status()).isEqualTo(Status.FAIL);
    assertThat(tooLittle.output()).contains("below the minimum");
    assertThat(heapOk.status()).isEqualTo(Status.PASS);
    assertThat(heapOk.observedValue()).isBetween(0.0, 1.0);
    assertThat(heapTight.status()).isEqualTo(Status.FAIL);
  }

  @Test
  void registeringANameTwiceIsRefused() {
    health.register("db", CheckResult::pass);

    assertThatThrownBy(() -> health.register("db", CheckResult::pass))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"db\" is already registered");
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (latch.getCount() > 0) {
      try {
        latch.await();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void anExceptionWhoseMessageCannotBeBuiltStillEndsTheRunAndLaterRunsHappen() {
    AtomicInteger calls = new AtomicInteger();
    health.register(
        "weird",
        () -> {
          calls.incrementAndGet();
          throw new RuntimeException() {
            private static final long serialVersionUID = 1L;

            @Override
            public String getMessage() {
              throw new IllegalStateException("lazy message failed");
            }
          };
        },
        CheckOptions.critical().timeout(Duration.ofMillis(300)));
    for (int i = 0; i < 5; i++) {
      HealthReport report = health.check();
      assertThat(report.checks().get("weird").status()).isEqualTo(Status.FAIL);
      assertThat(report.checks().get("weird").output())
          .contains("its getMessage() threw java.lang.IllegalStateException");
    }
    assertThat(calls).hasValue(5);
  }

  @Test
  void aRunOfAnUnregisteredCheckDoesNotReportForItsSuccessor() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    health.register(
        "db",
        () -> {
          gate.await();
          return CheckResult.fail("old");
        },
        CheckOptions.critical().timeout(Duration.ofSeconds(5)));
    List<String> changes = new CopyOnWriteArrayList<>();
    health.addListener((name, options, previous, current) -> changes.add(current.output()));
    java.util.concurrent.CompletableFuture<HealthReport> first =
        java.util.concurrent.CompletableFuture.supplyAsync(health::check);
    await().until(() -> health.names().contains("db"));
    health.unregister("db");
    health.register("db", CheckResult::pass, CheckOptions.critical());
    assertThat(health.check().status()).isEqualTo(Status.PASS);
    gate.countDown();
    first.get();
    assertThat(health.check().status()).isEqualTo(Status.PASS);
    assertThat(meters.get("health_check_status").tag("check", "db").gauge().value()).isEqualTo(1.0);
    assertThat(changes).doesNotContain("old");
  }

  @Test
  void registeringAfterCloseIsAClearError() {
    health.close();
    assertThatThrownBy(() -> health.register("late", CheckResult::pass))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("registered after the registry was closed");
  }
}
