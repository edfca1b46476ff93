package com.aicompanion.monitoring.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.health.CheckResult.Status;
import com.aicompanion.monitoring.health.Prober.Answer;
import com.aicompanion.monitoring.health.Prober.Via;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every way a check run can end yields a prompt result naming what happened and never stops later
 * runs; each case runs on {@link HealthRegistry} alone and through real HTTP on loopback.
 */
class CheckLifecycleTest {
  /** Scheduling slack on a shared 2-core machine. */
  private static final long SLACK_MS = 400;

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final List<CountDownLatch> latches = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    latches.forEach(CountDownLatch::countDown);
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  private HealthRegistry registry(int threads) {
    HealthRegistry registry =
        HealthRegistry.builder()
            .meterRegistry(meters)
            .cacheInterval(Duration.ZERO)
            .threads(threads)
            .build();
    closeables.add(registry);
    return registry;
  }

  private Prober prober(Via via, HealthRegistry registry) {
    Prober prober = new Prober(via, registry);
    closeables.add(0, prober);
    return prober;
  }

  private CountDownLatch latch() {
    CountDownLatch latch = new CountDownLatch(1);
    latches.add(latch);
    return latch;
  }

  @ParameterizedTest
  @EnumSource(Via.class)
  void nullResultFailsNamingItAndTheNextRunPasses(Via via) {
    HealthRegistry health = registry(4);
    AtomicReference<CheckResult> answer = new AtomicReference<>();
    health.register("db", answer::get);
    Prober probe = prober(via, health);

    Answer nulled = probe.ready();
    answer.set(CheckResult.pass());
    Answer after = probe.ready();

    assertThat(nulled.httpStatus()).isEqualTo(503);
    assertThat(nulled.check("db").output())
        .isEqualTo("the check returned null instead of a result");
    assertThat(after.httpStatus()).isEqualTo(200);
  }

  @ParameterizedTest
  @EnumSource(Via.class)
  void errorsAndOtherThrowablesFailNamingThemAndLaterRunsStillHappen(Via via) {
    HealthRegistry health = registry(1);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    health.register(
        "db",
        () -> {
          Throwable t = thrown.get();
          if (t instanceof Error error) {
            throw error;
          }
          if (t instanceof Exception exception) {
            throw exception;
          }
          if (t != null) {
            throw new Exception(t); // never reached: checks may only throw Exception directly
          }
          return CheckResult.pass();
        });
    Prober probe = prober(via, health);
    List<String> outputs = new ArrayList<>();

    for (Throwable t :
        List.of(
            new StackOverflowError("deep"),
            new OutOfMemoryError("Java heap space"),
            new AssertionError("invariant"),
            new LinkageError("missing class"),
            new IllegalStateException("pool exhausted"))) {
      thrown.set(t);
      outputs.add(probe.ready().check("db").output());
    }
    thrown.set(null);
    Answer after = probe.ready();

    assertThat(outputs)
        .containsExactly(
            "StackOverflowError: deep",
            "OutOfMemoryError: Java heap space",
            "AssertionError: invariant",
            "LinkageError: missing class",
            "IllegalStateException: pool exhausted");
    assertThat(after.httpStatus()).isEqualTo(200);
    assertThat(after.check("db").status()).isEqualTo(Status.PASS);
  }

  @ParameterizedTest
  @EnumSource(Via.class)
  void checkInterruptedAtItsTimeoutFailsPromptlyAndRunsAgainAtTheNextProbe(Via via) {
    HealthRegistry health = registry(1);
    AtomicReference<Duration> sleep = new AtomicReference<>(Duration.ofSeconds(30));
    health.register(
        "db",
        () -> {
          Thread.sleep(sleep.get().toMillis());
          return CheckResult.pass();
        },
        CheckOptions.critical().timeout(Duration.ofMillis(300)));
    Prober probe = prober(via, health);

    long begin = System.nanoTime();
    Answer timedOut = probe.ready();
    long tookMs = (System.nanoTime() - begin) / 1_000_000;
    sleep.set(Duration.ZERO);
    Answer after = probe.ready();

    assertThat(tookMs).isBetween(250L, 300 + SLACK_MS);
    assertThat(timedOut.httpStatus()).isEqualTo(503);
    assertThat(timedOut.check("db").output()).isEqualTo("timed out after 300ms");
    assertThat(after.httpStatus()).isEqualTo(200);
  }

  /** Issue 11, case 4. */
  @ParameterizedTest
  @EnumSource(Via.class)
  void criticalCheckThatTimedOutWhileQueuedRunsAgainOnceAThreadIsFree(Via via) {
    HealthRegistry health = registry(1);
    CountDownLatch slowStarted = new CountDownLatch(1);
    health.register(
        "slow",
        () -> {
          slowStarted.countDown();
          Thread.sleep(1500);
          return CheckResult.pass();
        },
        CheckOptions.nonCritical()
            .timeout(Duration.ofSeconds(1))
            .groups(CheckOptions.Group.LIVENESS));
    health.register(
        "instant", CheckResult::pass, CheckOptions.critical().timeout(Duration.ofMillis(300)));
    Prober probe = prober(via, health);
    CompletableFuture<Answer> liveness = CompletableFuture.supplyAsync(probe::live);
    await().atMost(Duration.ofSeconds(5)).until(() -> slowStarted.getCount() == 0);

    long begin = System.nanoTime();
    Answer queued = probe.ready();
    long tookMs = (System.nanoTime() - begin) / 1_000_000;
    Answer slow = liveness.join(); // the slow check timed out after 1s: its thread is free again
    Answer next = probe.ready();

    assertThat(tookMs).isLessThan(300 + SLACK_MS);
    assertThat(queued.httpStatus()).isEqualTo(503);
    assertThat(queued.check("instant").output())
        .isEqualTo(
            "timed out after 300ms waiting for a thread: all 1 health-check threads were busy"
                + " with other checks");
    assertThat(next.httpStatus()).isEqualTo(200);
    assertThat(next.check("instant").status()).isEqualTo(Status.PASS);
    assertThat(slow.httpStatus()).isEqualTo(200);
    assertThat(slow.check("slow").status()).isEqualTo(Status.WARN);
    assertThat(slow.check("slow").output()).isEqualTo("timed out after 1s");
  }

  /** Issue 11, case 4, as filed: both checks in readiness, probed in a loop. */
  @ParameterizedTest
  @EnumSource(Via.class)
  void slowNonCriticalCheckNeverMakesAQuickCriticalOneExpire(Via via) {
    HealthRegistry health = registry(1);
    health.register(
        "a-slow",
        () -> {
          Thread.sleep(1500);
          return CheckResult.pass();
        },
        CheckOptions.nonCritical().timeout(Duration.ofSeconds(1)));
    health.register(
        "b-instant", CheckResult::pass, CheckOptions.critical().timeout(Duration.ofMillis(300)));
    Prober probe = prober(via, health);

    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      statuses.add(probe.ready().httpStatus());
    }

    assertThat(statuses).containsOnly(200);
  }

  @ParameterizedTest
  @EnumSource(Via.class)
  void checkThatIgnoresInterruptsHoldsABoundedNumberOfThreadsAndStarvesNoOther(Via via) {
    HealthRegistry health = registry(1);
    CountDownLatch release = latch();
    health.register(
        "stuck",
        () -> {
          awaitUninterruptibly(release);
          return CheckResult.pass();
        },
        CheckOptions.critical().timeout(Duration.ofMillis(200)));
    health.register("quick", CheckResult::pass);
    Prober probe = prober(via, health);

    Answer first = probe.ready();
    Answer second = probe.ready();
    long begin = System.nanoTime();
    Answer third = probe.ready();
    long thirdMs = (System.nanoTime() - begin) / 1_000_000;
    double gauge = meters.get("health_check_abandoned_runs").tag("check", "stuck").gauge().value();

    assertThat(first.check("stuck").output()).isEqualTo("timed out after 200ms");
    assertThat(second.check("stuck").output())
        .isEqualTo(
            "timed out after 200ms; 1 earlier run(s) ignored interruption and still hold a thread");
    assertThat(third.check("stuck").output())
        .startsWith(
            "not run: 2 earlier run(s) timed out, ignored interruption and still hold 2 threads"
                + " (the oldest for ")
        .endsWith("); the check runs again when one returns");
    assertThat(thirdMs).isLessThan(SLACK_MS);
    assertThat(List.of(first, second, third))
        .allSatisfy(a -> assertThat(a.check("quick").status()).isEqualTo(Status.PASS));
    assertThat(gauge).isEqualTo(2.0);

    release.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> health.abandonedRuns("stuck") == 0);
    Answer after = probe.ready();
    assertThat(after.httpStatus()).isEqualTo(200);
    assertThat(after.check("stuck").status()).isEqualTo(Status.PASS);
    assertThat(meters.get("health_check_abandoned_runs").tag("check", "stuck").gauge().value())
        .isZero();
  }

  /**
   * A property over random sequences of endings: each probe answers within the timeout plus slack
   * with the output that names the ending, and whatever came before, the next run happens.
   */
  @ParameterizedTest
  @EnumSource(Via.class)
  void everyEndingOfARunIsReportedAndNoEndingStopsTheNextRun(Via via) {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    HealthRegistry health = registry(2);
    AtomicReference<Ending> next = new AtomicReference<>(Ending.PASS);
    AtomicReference<CountDownLatch> hold = new AtomicReference<>(latch());
    health.register(
        "db",
        () -> next.get().run(hold.get()),
        CheckOptions.critical().timeout(Duration.ofMillis(150)));
    Prober probe = prober(via, health);

    for (int step = 0; step < 30; step++) {
      Ending ending = Ending.values()[random.nextInt(Ending.values().length)];
      next.set(ending);
      CountDownLatch latch = latch();
      hold.set(latch);
      long begin = System.nanoTime();
      Answer answer = probe.ready();
      long tookMs = (System.nanoTime() - begin) / 1_000_000;
      latch.countDown();
      String where = "seed " + seed + ", step " + step + ", ending " + ending;

      assertThat(tookMs).as(where).isLessThan(150 + SLACK_MS);
      assertThat(answer.check("db").status()).as(where).isEqualTo(ending.status);
      assertThat(answer.check("db").output()).as(where).isEqualTo(ending.output);
      await().atMost(Duration.ofSeconds(5)).until(() -> health.abandonedRuns("db") == 0);
    }
  }

  /** Ways a run can end. */
  private enum Ending {
    PASS(Status.PASS, null, latch -> CheckResult.pass()),
    WARN(Status.WARN, "degraded", latch -> CheckResult.warn("degraded")),
    FAIL(Status.FAIL, "down", latch -> CheckResult.fail("down")),
    NULL(Status.FAIL, "the check returned null instead of a result", latch -> null),
    EXCEPTION(
        Status.FAIL,
        "IllegalStateException: boom",
        latch -> {
          throw new IllegalStateException("boom");
        }),
    ERROR(
        Status.FAIL,
        "StackOverflowError",
        latch -> {
          throw new StackOverflowError();
        }),
    HANG(
        Status.FAIL,
        "timed out after 150ms",
        latch -> {
          latch.await();
          return CheckResult.pass();
        }),
    HANG_IGNORING_INTERRUPTS(
        Status.FAIL,
        "timed out after 150ms",
        latch -> {
          awaitUninterruptibly(latch);
          return CheckResult.pass();
        });

    final Status status;
    final String output;
    private final Body body;

    Ending(Status status, String output, Body body) {
      this.status = status;
      this.output = output;
      this.body = body;
    }

    CheckResult run(CountDownLatch latch) throws Exception {
      return body.run(latch);
    }
  }

  @FunctionalInterface
  private interface Body {
    CheckResult run(CountDownLatch latch) throws Exception;
  }

  static void awaitUninterruptibly(CountDownLatch latch) {
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
}
