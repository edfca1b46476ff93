package com.aicompanion.monitoring.health;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One run of a check and the ways it can end. States: {@code QUEUED} (waiting for a slot), {@code
 * RUNNING}, and then exactly one of {@code DONE} (returned in time), {@code EXPIRED} (timed out
 * while still queued: it never starts), {@code ABANDONED} (timed out while running: interrupted,
 * its slot given back, its late return only counted) or {@code STOPPED} (the registry closed).
 * Every end completes {@link #result} once; the state lock makes the check's return and its timeout
 * exclude each other, and an interrupt can only hit the thread while it still runs this check.
 */
final class CheckRun implements Runnable {
  enum State {
    QUEUED,
    RUNNING,
    DONE,
    EXPIRED,
    ABANDONED,
    STOPPED
  }

  final CompletableFuture<CheckResult> result = new CompletableFuture<>();
  final AtomicBoolean published = new AtomicBoolean();
  final long submittedNanos;
  final long deadlineNanos;
  private final CheckEntry entry;
  private State state = State.QUEUED;
  private Thread thread;
  private long startedNanos;
  private int othersAbandoned;

  CheckRun(CheckEntry entry, long submittedNanos, long timeoutNanos) {
    this.entry = entry;
    this.submittedNanos = submittedNanos;
    this.deadlineNanos = submittedNanos + timeoutNanos;
  }

  @Override
  public void run() {
    synchronized (this) {
      if (state != State.QUEUED) {
        // expired or stopped while waiting: give back the slot this dispatch took
        entry.pool().release();
        return;
      }
      state = State.RUNNING;
      thread = Thread.currentThread();
      startedNanos = System.nanoTime();
    }
    CheckResult raw = entry.execute(deadlineNanos);
    boolean inTime;
    synchronized (this) {
      thread = null;
      Thread.interrupted(); // an interrupt meant for this run must not reach the next task
      inTime = state == State.RUNNING;
      if (inTime) {
        state = State.DONE;
      }
    }
    if (inTime) {
      entry.pool().release();
      entry.publish(this, raw);
    } else {
      entry.returnedLate(this, raw);
    }
  }

  /**
   * Ends the run now as {@code reason} unless it already ended: a queued run will never start, a
   * running one is interrupted and abandoned. Returns the state the run was in, or null when it had
   * already ended.
   */
  State end(boolean stop) {
    synchronized (this) {
      State was = state;
      if (was == State.QUEUED) {
        state = stop ? State.STOPPED : State.EXPIRED;
      } else if (was == State.RUNNING) {
        state = stop ? State.STOPPED : State.ABANDONED;
        if (!stop) {
          // under this lock, so that a return racing the timeout finds the run counted
          othersAbandoned = entry.abandon(this);
        }
        thread.interrupt();
      } else {
        return null;
      }
      return was;
    }
  }

  /** How many other runs of the check were abandoned and outstanding when this one was. */
  synchronized int othersAbandoned() {
    return othersAbandoned;
  }

  /** When the check itself started, or 0 while it was queued. */
  synchronized long startedNanos() {
    return startedNanos;
  }
}
