package com.aicompanion.monitoring.health;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs check runs with at most {@code slots} of them holding a slot at once, the rest waiting in a
 * bounded queue. Unlike a fixed thread pool, a run that overran its timeout gives its slot back
 * when it is abandoned ({@link #release()}), even though its thread may still be blocked: so a
 * check that ignores interrupts cannot starve the others. Threads come from a cached pool; their
 * number is bounded by the slots plus the abandoned runs, which {@link CheckEntry} bounds per
 * check.
 */
final class RunPool {
  /** What {@link #submit} did with a run. */
  enum Admission {
    STARTED,
    QUEUED,
    FULL,
    CLOSED
  }

  private final int slots;
  private final int capacity;
  private final ThreadPoolExecutor threads;
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private int active;
  private boolean closed;

  RunPool(int slots, int capacity) {
    this.slots = slots;
    this.capacity = capacity;
    AtomicInteger number = new AtomicInteger();
    this.threads =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "monitoring-health-" + number.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** How many runs may hold a slot at once. */
  int slots() {
    return slots;
  }

  /** Starts {@code run} now when a slot is free, else queues it. */
  Admission submit(Runnable run) {
    synchronized (this) {
      if (closed) {
        return Admission.CLOSED;
      }
      if (active >= slots) {
        if (waiting.size() >= capacity) {
          return Admission.FULL;
        }
        waiting.add(run);
        return Admission.QUEUED;
      }
      active++;
    }
    return execute(run) ? Admission.STARTED : Admission.CLOSED;
  }

  /** Gives back one slot (a run finished or was abandoned) and starts the next waiting run. */
  void release() {
    Runnable next;
    synchronized (this) {
      active--;
      next = waiting.poll();
      if (next != null) {
        active++;
      }
    }
    if (next != null) {
      execute(next);
    }
  }

  /** Removes a run that is still waiting; false when it was already started. */
  synchronized boolean remove(Runnable run) {
    return waiting.remove(run);
  }

  /** Runs waiting for a slot. */
  synchronized int waiting() {
    return waiting.size();
  }

  /** Refuses new runs, interrupts running ones and returns the runs that were still waiting. */
  List<Runnable> close() {
    List<Runnable> drained;
    synchronized (this) {
      closed = true;
      drained = new ArrayList<>(waiting);
      waiting.clear();
    }
    threads.shutdownNow();
    return drained;
  }

  private boolean execute(Runnable run) {
    try {
      threads.execute(run);
      return true;
    } catch (RejectedExecutionException e) {
      // closed meanwhile: the run stays unstarted and close() completes it
      synchronized (this) {
        active--;
      }
      return false;
    }
  }
}
