package com.aicompanion.monitoring.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closers run in reverse order of registration, all within one deadline: each gets what is left of
 * it, and one that overruns is abandoned (its daemon thread keeps going) so that the rest still
 * run.
 */
public final class ShutdownSequence {
  private static final Logger LOG =
      LoggerFactory.getLogger("com.aicompanion.monitoring.Monitoring");

  private static final long MIN_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private record Step(String what, AutoCloseable closer) {}

  private final Deque<Step> steps = new ArrayDeque<>();

  public synchronized void add(String what, AutoCloseable closer) {
    steps.push(new Step(what, closer));
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
