package com.aicompanion.monitoring.health;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One registered check, its cached result and its runs. At most one run is in flight: probes that
 * arrive meanwhile wait for it, and probes within the cache interval reuse its result, so any
 * number of probes cannot stampede the dependency. Every run ends within the check's timeout (see
 * {@link CheckRun} for how), and no ending stops the next probe from starting a new run. A run that
 * overran its timeout and ignores the interrupt is abandoned: it gives its pool slot back and is
 * counted until it returns; while {@code maxAbandoned} of them are outstanding the check is not
 * started again (its output says so), which bounds the threads one check can hold.
 */
final class CheckEntry {
  private static final Logger LOG = LoggerFactory.getLogger(CheckEntry.class);

  /** Publishes each new reported result: metrics and listeners; never throws into a run. */
  interface ResultSink {
    void accept(CheckEntry entry, CheckResult previous, CheckResult current);
  }

  final String name;
  final HealthCheck check;
  final CheckOptions options;
  private final long cacheNanos;
  private final RunPool pool;
  private final ScheduledExecutorService timer;
  private final Clock clock;
  private final ResultSink sink;
  private final int maxAbandoned;
  private final Object lock = new Object();
  private final AtomicLong runs = new AtomicLong();
  private final Set<CheckRun> abandoned = ConcurrentHashMap.newKeySet();
  private CheckResult last;
  private long lastNanos;
  private CheckRun current;

  CheckEntry(
      String name,
      HealthCheck check,
      CheckOptions options,
      Duration cacheInterval,
      RunPool pool,
      ScheduledExecutorService timer,
      Clock clock,
      ResultSink sink,
      int maxAbandoned) {
    this.name = name;
    this.check = check;
    this.options = options;
    this.cacheNanos = cacheInterval.toNanos();
    this.pool = pool;
    this.timer = timer;
    this.clock = clock;
    this.sink = sink;
    this.maxAbandoned = maxAbandoned;
  }

  RunPool pool() {
    return pool;
  }

  /** How many times the check itself was started. */
  long runs() {
    return runs.get();
  }

  /** Runs that overran their timeout, were interrupted and have not returned yet. */
  int abandoned() {
    return abandoned.size();
  }

  /** The latest reported result, or null before the first run ended. */
  CheckResult last() {
    synchronized (lock) {
      return last;
    }
  }

  /**
   * The current result: cached, in flight, or from a run started now. The future completes within
   * the check's timeout.
   */
  CompletableFuture<CheckResult> result() {
    CheckRun run;
    String refusal = null;
    synchronized (lock) {
      long now = System.nanoTime();
      if (current != null && !current.result.isDone()) {
        return current.result;
      }
      if (last != null && now - lastNanos < cacheNanos) {
        return CompletableFuture.completedFuture(last);
      }
      run = new CheckRun(this, now, options.timeout().toNanos());
      current = run;
      if (abandoned.size() >= maxAbandoned) {
        refusal = stuckRefusal(now);
      }
    }
    if (refusal != null) {
      publish(run, CheckResult.fail(refusal));
      return run.result;
    }
    RunPool.Admission admission = pool.submit(run);
    if (admission == RunPool.Admission.FULL || admission == RunPool.Admission.CLOSED) {
      run.end(true);
      publish(
          run,
          CheckResult.fail(
              admission == RunPool.Admission.FULL
                  ? "not run: "
                      + pool.waiting()
                      + " runs are already waiting for the "
                      + pool.slots()
                      + " health-check threads"
                  : "not run: the health registry is closed"));
      return run.result;
    }
    try {
      ScheduledFuture<?> timeout =
          timer.schedule(() -> timeOut(run), options.timeout().toNanos(), TimeUnit.NANOSECONDS);
      run.result.whenComplete((r, e) -> timeout.cancel(false));
    } catch (RejectedExecutionException e) {
      stop(); // the registry closed between submit and here
    }
    return run.result;
  }

  /** Runs the check on the current (pool) thread; every outcome becomes a result. */
  CheckResult execute(long deadlineNanos) {
    runs.incrementAndGet();
    RunDeadline.set(deadlineNanos);
    try {
      CheckResult result = check.check();
      return result != null
          ? result
          : CheckResult.fail("the check returned null instead of a result");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CheckResult.fail("interrupted");
    } catch (Throwable e) { // NOPMD: any Throwable, Errors included, must end as a result
      if (e instanceof VirtualMachineError) {
        LOG.warn("Health check {} threw {}", name, e.toString());
      }
      return CheckResult.fail(describe(e));
    } finally {
      RunDeadline.clear();
    }
  }

  private void timeOut(CheckRun run) {
    CheckRun.State was = run.end(false);
    if (was == CheckRun.State.QUEUED) {
      pool.remove(run);
      publish(
          run,
          CheckResult.fail(
              "timed out after "
                  + format(options.timeout())
                  + " waiting for a thread: all "
                  + pool.slots()
                  + " health-check threads were busy with other checks"));
    } else if (was == CheckRun.State.RUNNING) {
      int before = run.othersAbandoned();
      pool.release();
      String held =
          before == 0
              ? ""
              : "; " + before + " earlier run(s) ignored interruption and still hold a thread";
      publish(run, CheckResult.fail("timed out after " + format(options.timeout()) + held));
    }
  }

  /** Ends the run in flight, if any, because the registry closes. */
  void stop() {
    CheckRun run;
    synchronized (lock) {
      run = current;
    }
    if (run != null && run.end(true) != null) {
      publish(run, CheckResult.fail("not finished: the health registry was closed"));
    }
  }

  /**
   * Counts {@code run} as abandoned (it overran its timeout and still holds its thread); returns
   * how many others are.
   */
  int abandon(CheckRun run) {
    int others = abandoned.size();
    abandoned.add(run);
    return others;
  }

  /** An abandoned run came back: it no longer holds a thread; its result is only logged. */
  void returnedLate(CheckRun run, CheckResult raw) {
    if (abandoned.remove(run)) {
      LOG.info(
          "Health check {} returned {} after {}, past its timeout of {}; result discarded",
          name,
          raw.status().text(),
          format(Duration.ofNanos(System.nanoTime() - run.startedNanos())),
          format(options.timeout()));
    }
  }

  /** Reports {@code raw} as the outcome of {@code run}, once; the first ending wins. */
  void publish(CheckRun run, CheckResult raw) {
    if (!run.published.compareAndSet(false, true)) {
      return;
    }
    CheckResult previous;
    CheckResult reported;
    synchronized (lock) {
      long now = System.nanoTime();
      reported =
          raw.reported(
              clock.instant(), Duration.ofNanos(now - run.submittedNanos), options.isCritical());
      previous = last;
      last = reported;
      lastNanos = now;
    }
    try {
      // listeners and metrics see the result before any caller does
      sink.accept(this, previous, reported);
    } catch (RuntimeException e) {
      LOG.warn("Publishing the result of health check {} failed", name, e);
    } finally {
      run.result.complete(reported);
    }
  }

  private String stuckRefusal(long now) {
    long oldest = now;
    for (CheckRun run : abandoned) {
      long started = run.startedNanos();
      if (started != 0 && started < oldest) {
        oldest = started;
      }
    }
    int count = abandoned.size();
    return "not run: "
        + count
        + " earlier run(s) timed out, ignored interruption and still hold "
        + (count == 1 ? "a thread" : count + " threads")
        + " (the oldest for "
        + format(Duration.ofMillis(Duration.ofNanos(now - oldest).toMillis()))
        + "); the check runs again when one returns";
  }

  /** {@code SQLException: Connection refused}; the class alone when there is no message. */
  static String describe(Throwable e) {
    String type =
        e.getClass().getSimpleName().isEmpty()
            ? e.getClass().getName()
            : e.getClass().getSimpleName();
    String message;
    try {
      message = e.getMessage();
    } catch (Throwable broken) { // NOPMD: a message that cannot be built must not end the run
      return type + " (its getMessage() threw " + broken.getClass().getName() + ")";
    }
    return message == null || message.isBlank() ? type : type + ": " + message;
  }

  /** {@code 2s}, {@code 1500ms}. */
  static String format(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
  }
}
