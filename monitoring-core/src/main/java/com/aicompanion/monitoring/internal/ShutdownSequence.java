package com.aicompanion.monitoring.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closers run in reverse order of registration, all within one deadline: each gets what is left of
 * it, and one that overruns is abandoned (its daemon thread keeps going) so that the rest still
 * run. Before them, {@link #drain} runs the drain actions and waits the drain period, so that
 * readiness answers 503 while the endpoint server still serves.
 *
 * <pre>{@code
 * ShutdownSequence shutdown = new ShutdownSequence();
 * shutdown.add("endpoint server", server::close);
 * shutdown.onDrain(() -> draining.set(true));
 * shutdown.drain(Duration.ofSeconds(5));
 * shutdown.run(Duration.ofSeconds(10));
 * }</pre>
 */
public final class ShutdownSequence {
  private static final Logger LOG =
      LoggerFactory.getLogger("com.aicompanion.monitoring.Monitoring");

  private static final long MIN_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private record Step(String what, AutoCloseable closer) {}

  private final Deque<Step> steps = new ArrayDeque<>();
  private final List<Runnable> drainActions = new CopyOnWriteArrayList<>();

  public synchronized void add(String what, AutoCloseable closer) {
    steps.push(new Step(what, closer));
  }

  /** Runs {@code action} once when {@link #drain} begins. */
  public void onDrain(Runnable action) {
    drainActions.add(Objects.requireNonNull(action, "action"));
  }

  /**
   * Runs the drain actions in registration order (one that throws is logged, the others still run),
   * then waits {@code period} while everything keeps serving. Without drain actions nobody would
   * notice the period, so it is skipped.
   *
   * @return whether it waited
   */
  public boolean drain(Duration period, String service) {
    if (drainActions.isEmpty()) {
      return false;
    }
    for (Runnable action : drainActions) {
      try {
        action.run();
      } catch (RuntimeException e) {
        LOG.warn("A drain action failed; going on", e);
      }
    }
    drainActions.clear();
    if (period.isZero() || period.isNegative()) {
      return false;
    }
    LOG.info(
        "Monitoring for {} is draining for {}: readiness answers 503, /metrics and liveness still"
            + " answer",
        service,
        period);
    try {
      Thread.sleep(period.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return true;
  }

  /**
   * Runs every step, newest first, within {@code timeout}.
   *
   * @return the steps that failed or overran, for the caller to report
   */
  public int run(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int problems = 0;
    while (true) {
      Step step;
      synchronized (this) {
        step = steps.poll();
      }
      if (step == null) {
        return problems;
      }
      // past the deadline a step still gets a moment, so that quick closers after a stuck one run
      long left = Math.max(MIN_STEP_NANOS, deadline - System.nanoTime());
      CompletableFuture<Void> done = new CompletableFuture<>();
      Thread worker =
          new Thread(
              () -> {
                try {
                  step.closer().close();
                  done.complete(null);
                } catch (Throwable t) {
                  done.completeExceptionally(t);
                }
              },
              "monitoring-close");
      worker.setDaemon(true);
      worker.start();
      try {
        done.get(left, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        problems++;
        LOG.warn(
            "Closing {} did not finish within the shutdown deadline of {}; going on without it",
            step.what(),
            timeout);
      } catch (ExecutionException e) {
        problems++;
        LOG.warn("Closing {} failed", step.what(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        problems++;
        LOG.warn("Interrupted while closing {}", step.what());
      }
    }
  }
}
