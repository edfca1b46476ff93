package com.aicompanion.monitoring.health;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * One registered check and its cached result. At most one run of a check is in flight: probes that
 * arrive meanwhile wait for that run, and probes within the cache interval reuse its result, so
 * that any number of probes cannot stampede the dependency. A run that overruns its timeout is
 * reported as failed and interrupted; until it actually returns, no new run starts (a check that
 * ignores interrupts holds at most one pool thread).
 */
final class CheckEntry {
  final String name;
  final HealthCheck check;
  final CheckOptions options;
  private final long cacheNanos;
  private final Object lock = new Object();
  private final AtomicBoolean executing = new AtomicBoolean();
  private final AtomicLong runs = new AtomicLong();
  private CheckResult last;
  private long lastNanos;
  private CompletableFuture<CheckResult> current;
  private CompletableFuture<CheckResult> finished;

  CheckEntry(String name, HealthCheck check, CheckOptions options, Duration cacheInterval) {
    this.name = name;
    this.check = check;
    this.options = options;
    this.cacheNanos = cacheInterval.toNanos();
  }

  /** How many times the check itself was started. */
  long runs() {
    return runs.get();
  }

  /** The latest reported result, or null before the first run finished. */
  CheckResult last() {
    synchronized (lock) {
      return last;
    }
  }

  /**
   * The current result: cached, in flight, or from a run started now. The future completes within
   * the check's timeout; {@code onResult} sees each new result (previous result, new result).
   */
  CompletableFuture<CheckResult> result(
      ExecutorService pool,
      ScheduledExecutorService timer,
      Clock clock,
      BiConsumer<CheckResult, CheckResult> onResult) {
    CompletableFuture<CheckResult> run;
    long start;
    synchronized (lock) {
      long now = System.nanoTime();
      if (current != null && !current.isDone()) {
        return current;
      }
      if (last != null && now - lastNanos < cacheNanos) {
        return CompletableFuture.completedFuture(last);
      }
      run = new CompletableFuture<>();
      current = run;
      start = now;
      if (executing.get()) {
        // the previous run overran its timeout and has not returned yet: do not pile up threads
        finish(
            run,
            CheckResult.fail(
                "timed out after "
                    + format(options.timeout())
                    + "; the previous run has not returned yet"),
            start,
            clock,
            onResult);
        return run;
      }
      executing.set(true);
    }
    Future<?> task;
    try {
      task =
          pool.submit(
              () -> {
                CheckResult result;
                try {
                  runs.incrementAndGet();
                  result = runCheck();
                } finally {
                  // before the result is visible, so that the next probe may start a new run
                  executing.set(false);
                }
                finish(run, result, start, clock, onResult);
              });
    } catch (RejectedExecutionException e) {
      executing.set(false);
      finish(
          run,
          CheckResult.fail("not run: the health-check pool is busy or closed"),
          start,
          clock,
          onResult);
      return run;
    }
    CheckResult timedOut = CheckResult.fail("timed out after " + format(options.timeout()));
    ScheduledFuture<?> timeout =
        timer.schedule(
            () -> {
              if (finish(run, timedOut, start, clock, onResult)) {
                task.cancel(true);
              }
            },
            options.timeout().toNanos(),
            TimeUnit.NANOSECONDS);
    run.whenComplete((r, e) -> timeout.cancel(false));
    return run;
  }

  private CheckResult runCheck() {
    try {
      CheckResult result = check.check();
      return result != null ? result : CheckResult.fail("the check returned no result");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CheckResult.fail("interrupted");
    } catch (Exception | LinkageError | AssertionError e) {
      return CheckResult.fail(describe(e));
    }
  }

  private boolean finish(
      CompletableFuture<CheckResult> run,
      CheckResult raw,
      long start,
      Clock clock,
      BiConsumer<CheckResult, CheckResult> onResult) {
    CheckResult previous;
    CheckResult reported;
    synchronized (lock) {
      if (finished == run) {
        return false;
      }
      finished = run;
      long now = System.nanoTime();
      reported = raw.reported(clock.instant(), Duration.ofNanos(now - start), options.isCritical());
      previous = last;
      last = reported;
      lastNanos = now;
    }
    try {
      // listeners and metrics see the result before any caller does
      onResult.accept(previous, reported);
    } finally {
      run.complete(reported);
    }
    return true;
  }

  /** {@code SQLException: Connection refused}; the class alone when there is no message. */
  static String describe(Throwable e) {
    String message = e.getMessage();
    String type = e.getClass().getSimpleName();
    return message == null || message.isBlank() ? type : type + ": " + message;
  }

  /** {@code 2s}, {@code 1500ms}. */
  static String format(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
  }
}
