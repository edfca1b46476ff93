package com.aicompanion.monitoring;

import com.aicompanion.monitoring.Delivery.Item;
import com.aicompanion.monitoring.Delivery.Result;
import com.aicompanion.monitoring.internal.delivery.Backoff;
import com.aicompanion.monitoring.internal.delivery.OutageLog;
import com.aicompanion.monitoring.internal.delivery.RecordStore;
import com.aicompanion.monitoring.internal.delivery.RequestLimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Sends groups of records for a {@link DeliveryWorker} until every record in a group has an
 * outcome: attempts through the {@link Delivery.Sender} (waiting at most the request timeout,
 * cancelled at the close deadline), per-record outcomes, regrouping under the learned limit on 413
 * and halving on a split answer, shortening, backoff between failed attempts and the outage log.
 * One instance per sender thread of the worker (its own backoff and request in flight); the request
 * limit, the counting and the acknowledgement are the worker's, shared.
 *
 * <pre>{@code
 * DeliveryAttempts attempts = new DeliveryAttempts(worker, settings, sender, outage, limit);
 * DeliveryAttempts.Formed group = attempts.form(store.peekAfter(last, 500, limit.target()), id);
 * boolean done = group.settled() || attempts.settleGroup(group.items());
 * }</pre>
 */
final class DeliveryAttempts {
  /** How long a size limit learned from a 413 holds without a new 413 before it is retried. */
  private static final Duration FORGET_LIMIT = Duration.ofMinutes(10);

  /** The attempt was abandoned at the close deadline; nothing more to do with its records. */
  private static final Result ABANDONED = Result.retry("abandoned");

  private final DeliveryWorker worker;
  private final DeliveryWorker.Settings settings;
  private final Delivery.Sender sender;
  private final OutageLog outage;
  private final Backoff backoff;
  private final RequestLimit limit;
  private volatile @Nullable CompletableFuture<?> inFlight;
  private long pendingWait;
  // System.nanoTime() when the last attempt began: an outage starts with its first failed attempt
  private long attemptStart;

  DeliveryAttempts(
      DeliveryWorker worker,
      DeliveryWorker.Settings settings,
      Delivery.Sender sender,
      OutageLog outage,
      RequestLimit limit) {
    this.worker = worker;
    this.settings = settings;
    this.sender = sender;
    this.outage = outage;
    this.backoff =
        new Backoff(
            settings.firstBackoff(),
            settings.maxBackoff(),
            () -> ThreadLocalRandom.current().nextDouble());
    this.limit = limit;
  }

  /** A request limit for a delivery: the configured batch bytes, and what 413 answers teach. */
  static RequestLimit limit(DeliveryWorker.Settings settings) {
    return new RequestLimit(settings.batchBytes(), FORGET_LIMIT, System::nanoTime);
  }

  /** Cancels the attempt in flight, if any (the close deadline passed). */
  void cancelInFlight() {
    CompletableFuture<?> attempt = inFlight;
    if (attempt != null) {
      attempt.cancel(true);
    }
  }

  /** Waits before going on after an unexpected error. */
  void pauseAfterError() {
    pause(backoff.nextNanos(), false);
  }

  /**
   * A group formed for one request: its items, and whether they are settled already (a record over
   * the limit that could not be shortened, counted as rejected).
   */
  record Formed(List<Item> items, boolean settled) {}

  /**
   * The longest prefix of {@code records} that fits one request; a first record over the limit is
   * shortened, or rejected and counted at once ({@link Formed#settled()}).
   */
  Formed form(List<RecordStore.Record> records, String storeId) {
    List<Item> group = new ArrayList<>();
    long bytes = 0;
    long target = limit.target();
    long max = limit.max();
    for (RecordStore.Record record : records) {
      Item item = new Item(storeId, record.sequence(), record.payload());
      long size = requestBytes(item);
      if (size > max) {
        if (!group.isEmpty()) {
          break; // it goes first in the next group
        }
        if (!shorten(item, size, max)) {
          reject(List.of(item), "oversize", oversizeDetail(size));
          return new Formed(List.of(item), true);
        }
        group.add(item);
        break;
      }
      if (!group.isEmpty() && bytes + size > target) {
        break;
      }
      group.add(item);
      bytes += size;
    }
    return new Formed(group, false);
  }

  /**
   * Attempts {@code group} until every record in it has an outcome, or the close gives up on it.
   *
   * @return true when every record has an outcome (the group may be acknowledged)
   */
  boolean settleGroup(List<Item> group) {
    settle(group);
    // not when the flush at close stopped part-way: what is unsettled stays to be counted
    return !worker.flushStopped() && !worker.isSettled();
  }

  private String oversizeDetail(long size) {
    return "a record of "
        + size
        + " request bytes is over the limit of "
        + Math.min(limit.max(), size - 1)
        + " bytes and could not be shortened";
  }

  /**
   * Replaces a record of {@code size} request bytes by the sender's shortened form of at most
   * {@code maxRequestBytes}; false when there is none.
   */
  private boolean shorten(Item item, long size, long maxRequestBytes) {
    long overhead = size - item.payload().length;
    long maxPayload = maxRequestBytes - overhead;
    if (maxPayload < 1) {
      return false;
    }
    byte[] shorter;
    try {
      shorter = sender.shorten(item, maxPayload);
    } catch (RuntimeException e) {
      settings.log().warn("Shortening a record for {} failed", settings.destination(), e);
      return false;
    }
    if (shorter == null || shorter.length > maxPayload) {
      return false;
    }
    item.replace(shorter, "shortened");
    return requestBytes(item) <= maxRequestBytes;
  }

  /** Attempts {@code part} until every record in it has an outcome (or the close gives up). */
  private void settle(List<Item> part) {
    List<Item> pending = part;
    int attempt = 0;
    while (!pending.isEmpty() && !worker.isSettled() && !worker.flushStopped()) {
      if (pending.size() > 1 && requestBytes(pending) > limit.max()) {
        // a 413 since this part was formed: regroup instead of sending what must be refused
        settleInChunks(pending);
        return;
      }
      attempt++;
      Result result = attempt(pending, attempt);
      if (result == ABANDONED) {
        return;
      }
      switch (result.kind) {
        case DELIVERED -> {
          backoff.reset();
          accepted(pending);
          deliver(pending, null);
          outage.recovered(pending.size(), worker.waiting(), worker.droppedSoFar());
          return;
        }
        case REJECT -> {
          backoff.reset();
          accepted(pending);
          outage.recovered(0, worker.waiting(), worker.droppedSoFar());
          reject(pending, result.reason, result.detail);
          return;
        }
        case RETRY -> {
          failedWhole(pending, result.detail);
          if (!pauseAfterFailure(true)) {
            return;
          }
        }
        case TOO_LARGE -> {
          outage.recovered(0, worker.waiting(), worker.droppedSoFar());
          long size = requestBytes(pending);
          refusedAsTooLarge(size, result.detail);
          if (pending.size() == 1) {
            Item item = pending.get(0);
            boolean mayShorten = item.resentAs() == null || "shortened".equals(item.resentAs());
            // to a size known to pass, else half: a few rounds find any limit
            long to = Math.min(limit.max(), Math.max(limit.largestAccepted(), size / 2));
            if (mayShorten && shorten(item, size, to)) {
              continue; // send the shortened form
            }
            reject(pending, "oversize", oversizeDetail(size) + " (" + result.detail + ")");
            return;
          }
          settleInChunks(pending);
          return;
        }
        case SPLIT -> {
          accepted(pending);
          outage.recovered(0, worker.waiting(), worker.droppedSoFar());
          if (pending.size() == 1) {
            reject(pending, result.reason, result.detail);
            return;
          }
          splitAndSettle(pending);
          return;
        }
        case ITEMS -> {
          accepted(pending);
          pending = perItem(pending, (Result.Items) result);
          if (pending == null) {
            return;
          }
        }
      }
    }
  }

  /**
   * Sends {@code pending} as consecutive parts of at most the batch target each, in order; the
   * target is read again after each part, since a 413 in one lowers it for the next.
   */
  private void settleInChunks(List<Item> pending) {
    List<Item> chunk = new ArrayList<>();
    long bytes = 0;
    long target = limit.target();
    for (Item item : pending) {
      long size = requestBytes(item);
      if (!chunk.isEmpty() && bytes + size > target) {
        settle(chunk);
        if (worker.flushStopped() || worker.isSettled()) {
          return;
        }
        chunk = new ArrayList<>();
        bytes = 0;
        target = limit.target();
      }
      chunk.add(item);
      bytes += size;
    }
    settle(chunk);
  }

  /** Halves {@code pending} and sends the halves in order (to isolate a refused record). */
  private void splitAndSettle(List<Item> pending) {
    int half = pending.size() / 2;
    settle(new ArrayList<>(pending.subList(0, half)));
    settle(new ArrayList<>(pending.subList(half, pending.size())));
  }

  /** Applies per-record outcomes; returns what to attempt again, or null to stop. */
  private @Nullable List<Item> perItem(List<Item> pending, Result.Items items) {
    if (items.size() != pending.size()) {
      reject(
          pending,
          "sender_error",
          "the sender gave " + items.size() + " outcomes for " + pending.size() + " records");
      return null;
    }
    Map<String, List<Item>> deliveredBy = new LinkedHashMap<>();
    Map<String, List<Item>> rejectedBy = new LinkedHashMap<>();
    Map<String, String> details = new LinkedHashMap<>();
    List<Item> again = new ArrayList<>();
    int retries = 0;
    String cause = null;
    for (int i = 0; i < pending.size(); i++) {
      Item item = pending.get(i);
      switch (items.outcome[i]) {
        case Result.Items.RETRY -> {
          again.add(item);
          retries++;
          cause = cause == null ? items.details[i] : cause;
        }
        case Result.Items.REJECT -> {
          rejectedBy.computeIfAbsent(items.reasons[i], r -> new ArrayList<>()).add(item);
          details.putIfAbsent(items.reasons[i], items.details[i]);
        }
        case Result.Items.RESEND -> {
          if (item.resentAs() != null) {
            rejectedBy.computeIfAbsent(items.reasons[i], r -> new ArrayList<>()).add(item);
            details.putIfAbsent(
                items.reasons[i], "still refused after it was resent as " + item.resentAs());
          } else {
            item.replace(items.replacements[i], items.reasons[i]);
            again.add(item);
          }
        }
        default -> {
          String reason = items.reasons[i];
          if (reason == null) {
            reason = item.resentAs() != null ? item.resentAs() : "ok";
          }
          deliveredBy.computeIfAbsent(reason, r -> new ArrayList<>()).add(item);
        }
      }
    }
    int sent = 0;
    for (Map.Entry<String, List<Item>> e : deliveredBy.entrySet()) {
      worker.count(e.getValue().size(), e.getKey(), true);
      sent += e.getValue().size();
    }
    outage.recovered(sent, worker.waiting(), worker.droppedSoFar());
    for (Map.Entry<String, List<Item>> e : rejectedBy.entrySet()) {
      reject(e.getValue(), e.getKey(), details.get(e.getKey()));
    }
    if (retries > 0) {
      worker.failedAttempt(retries, cause);
      if (!pauseAfterFailure(false)) {
        return null;
      }
    } else {
      backoff.reset();
    }
    return again;
  }

  /** The sender's measure of {@code item}, asked once per payload (a batch asks it repeatedly). */
  private long requestBytes(Item item) {
    long size = item.requestBytes;
    if (size < 0) {
      size = sender.requestBytes(item);
      item.requestBytes = size;
    }
    return size;
  }

  private long requestBytes(List<Item> items) {
    long sum = 0;
    for (Item item : items) {
      sum += requestBytes(item);
    }
    return sum;
  }

  private Result attempt(List<Item> pending, int number) {
    attemptStart = System.nanoTime();
    long timeout = settings.requestTimeout().toNanos();
    if (worker.isClosing()) {
      timeout = Math.min(timeout, worker.closeDeadline() - System.nanoTime());
      if (timeout <= 0) {
        worker.giveUp("close_deadline");
        return ABANDONED;
      }
    }
    Delivery.Batch batch =
        new Delivery.Batch(
            Collections.unmodifiableList(pending), Duration.ofNanos(timeout), number);
    CompletableFuture<Result> future;
    try {
      future = sender.send(batch);
    } catch (Exception | LinkageError e) {
      return Result.retry(OutageLog.describe(e));
    }
    if (future == null) {
      return Result.retry("the sender returned no future");
    }
    inFlight = future;
    try {
      if (worker.isSettled()) {
        future.cancel(true);
        return ABANDONED;
      }
      Result result = future.get(timeout, TimeUnit.NANOSECONDS);
      return result == null ? Result.retry("the sender returned no result") : result;
    } catch (TimeoutException e) {
      future.cancel(true);
      return worker.isSettled()
          ? ABANDONED
          : Result.retry("no answer within " + OutageLog.text(Duration.ofNanos(timeout)));
    } catch (CancellationException e) {
      return worker.isSettled() ? ABANDONED : Result.retry("the attempt was cancelled");
    } catch (ExecutionException e) {
      return worker.isSettled() ? ABANDONED : Result.retry(OutageLog.describe(e.getCause()));
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      return ABANDONED;
    } finally {
      inFlight = null;
    }
  }

  private void failedWhole(List<Item> pending, String cause) {
    worker.failedAttempt(pending.size(), cause);
    long wait = backoff.nextNanos();
    outage.failed(
        cause, worker.waiting(), worker.droppedSoFar(), Duration.ofNanos(wait), attemptStart);
    pendingWait = wait;
  }

  /**
   * Waits out the backoff after a failed attempt. While worker.isClosing(), a failure of the whole
   * attempt ends the flush (the destination is failing; the deadline is not spent waiting for it).
   *
   * @return false when the records are not to be attempted again
   */
  private boolean pauseAfterFailure(boolean whole) {
    if (worker.isClosing() && whole) {
      worker.stopFlush("close_failing");
      return false;
    }
    long wait = whole ? pendingWait : backoff.nextNanos();
    return pause(wait, whole);
  }

  /**
   * Sleeps {@code nanos} while running periodic tasks; returns early (true) when a whole-attempt
   * failure wait is cut short by close, false when the close deadline passed.
   */
  private boolean pause(long nanos, boolean wakeOnClose) {
    long until = System.nanoTime() + nanos;
    boolean wasClosing = worker.isClosing();
    while (!worker.isSettled()) {
      long now = System.nanoTime();
      if (worker.isClosing() && now - worker.closeDeadline() >= 0) {
        worker.stopFlush("close_deadline");
        return false;
      }
      if (wakeOnClose && worker.isClosing() && !wasClosing) {
        return true; // try once more at once, then give up if it fails
      }
      if (now - until >= 0) {
        return true;
      }
      worker.runPeriodic();
      worker.reportDrops();
      long park = Math.min(until - now, worker.untilNextPeriodic());
      if (worker.isClosing()) {
        park = Math.min(park, worker.closeDeadline() - now);
      }
      LockSupport.parkNanos(this, Math.max(park, 1));
    }
    return false;
  }

  private void deliver(List<Item> items, @Nullable String reason) {
    Map<String, Integer> byReason = new LinkedHashMap<>();
    for (Item item : items) {
      String r = reason != null ? reason : item.resentAs() != null ? item.resentAs() : "ok";
      byReason.merge(r, 1, Integer::sum);
    }
    byReason.forEach((r, n) -> worker.count(n, r, true));
  }

  private void reject(List<Item> items, String reason, String detail) {
    if (worker.count(items.size(), reason, false)) {
      outage.refused(items.size(), reason, detail);
    }
  }

  /** After a 413 for {@code size} bytes: later requests stay below it ({@link RequestLimit}). */
  private void refusedAsTooLarge(long size, String detail) {
    if (limit.refused(size)) {
      outage.notice(
          "too-large",
          settings.destination()
              + " refused a request of "
              + size
              + " bytes as too large ("
              + detail
              + "): it is split and sent again, and later requests stay under that size; set the"
              + " batch byte limit below the limit of the destination (or of the proxy in front"
              + " of it)");
    }
  }

  /** Remembers the size of a request the destination did not refuse as too large. */
  private void accepted(List<Item> items) {
    limit.accepted(requestBytes(items));
  }
}
