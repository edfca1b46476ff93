package com.aicompanion.monitoring;

import com.aicompanion.monitoring.Delivery.Item;
import com.aicompanion.monitoring.Delivery.Result;
import com.aicompanion.monitoring.internal.delivery.Backoff;
import com.aicompanion.monitoring.internal.delivery.MemoryRecordStore;
import com.aicompanion.monitoring.internal.delivery.OutageLog;
import com.aicompanion.monitoring.internal.delivery.RecordStore;
import java.io.IOException;
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
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The engine behind {@link Delivery}: the sender thread (batching, attempts, outcomes, backoff,
 * outage log) and, with a durable store, the writer thread that moves records from the memory stage
 * into it.
 *
 * <p>Accounting is exact: the outcome of a record is counted under {@link #lock}, and so is giving
 * up at close, which counts as dropped what is still stored minus what the current group already
 * settled ({@link #settledInGroup}), so that no record is counted twice or never.
 */
final class DeliveryWorker {
  record Settings(
      String name,
      String destination,
      String unit,
      Logger log,
      int batchRecords,
      long batchBytes,
      Duration linger,
      Duration firstBackoff,
      Duration maxBackoff,
      Duration requestTimeout,
      Duration closeTimeout,
      Duration warnInterval,
      List<Delivery.Listener> listeners,
      List<Periodic> periodic,
      Duration syncInterval) {}

  record Periodic(Duration interval, Runnable task) {}

  private static final int RUNNING = 0;
  private static final int IDLE = 1;
  private static final int LINGER = 2;
  private static final long MAX_PARK = TimeUnit.SECONDS.toNanos(1);

  /** How long a size limit learned from a 413 holds without a new 413 before it is retried. */
  private static final long FORGET_LIMIT = TimeUnit.MINUTES.toNanos(10);

  /** The attempt was abandoned at the close deadline; nothing more to do with its records. */
  private static final Result ABANDONED = Result.retry("abandoned");

  private final Settings settings;
  private final Delivery.Sender sender;
  private final MemoryRecordStore stage;
  private final RecordStore store;
  private final boolean durable;
  private final OutageLog outage;
  private final Backoff backoff;
  private final Object lock = new Object();
  private final LongAdder offered = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder failedAttempts = new LongAdder();
  private final LongAdder queueFull = new LongAdder();
  private final long[] due;
  private final Thread senderThread;
  private final @Nullable Thread writerThread;

  private volatile int waiting = RUNNING;
  private volatile int writerWaiting = RUNNING;
  private volatile boolean closing;
  private volatile long closeDeadline;
  private volatile @Nullable CompletableFuture<?> inFlight;

  /** {@link #target()} as the sender last computed it, for other threads to read. */
  private volatile long batchTarget;

  private boolean closeStarted;

  // guarded by lock
  private boolean settled;
  private long settledInGroup;

  // sender thread only: the request size limit, learned from 413 answers
  private long tooLarge = Long.MAX_VALUE; // the smallest request size refused as too large
  private long largestOk; // the largest request size accepted since then
  private long tooLargeAt;
  private long lingerStart;
  private boolean stopFlush;
  private String stopReason = "close_failing";
  private long pendingWait;

  private DeliveryWorker(
      Settings settings,
      Delivery.Sender sender,
      MemoryRecordStore stage,
      @Nullable RecordStore durableStore) {
    this.settings = settings;
    this.sender = sender;
    this.stage = stage;
    this.durable = durableStore != null;
    this.store = durableStore != null ? durableStore : stage;
    this.outage =
        new OutageLog(
            settings.log(),
            settings.destination(),
            settings.unit(),
            settings.warnInterval(),
            System::nanoTime);
    this.backoff =
        new Backoff(
            settings.firstBackoff(),
            settings.maxBackoff(),
            () -> ThreadLocalRandom.current().nextDouble());
    long now = System.nanoTime();
    this.batchTarget = settings.batchBytes();
    this.due = new long[settings.periodic().size()];
    for (int i = 0; i < due.length; i++) {
      due[i] = now + settings.periodic().get(i).interval().toNanos();
    }
    this.senderThread = new Thread(this::runSender, settings.name());
    senderThread.setDaemon(true);
    this.writerThread = durable ? new Thread(this::runWriter, settings.name() + "-writer") : null;
    if (writerThread != null) {
      writerThread.setDaemon(true);
    }
  }

  static DeliveryWorker start(
      Settings settings,
      Delivery.Sender sender,
      MemoryRecordStore stage,
      @Nullable RecordStore durableStore) {
    DeliveryWorker worker = new DeliveryWorker(settings, sender, stage, durableStore);
    if (worker.writerThread != null) {
      worker.writerThread.start();
    }
    worker.senderThread.start();
    return worker;
  }

  // ---- the caller's side ----

  boolean offer(byte[] payload) {
    offered.increment();
    if (payload == null) {
      drop(1, "null_payload");
      return false;
    }
    if (closing) {
      drop(1, "closed");
      return false;
    }
    if (!stage.append(payload)) {
      if (stage.isClosed()) {
        drop(1, "closed");
      } else {
        queueFull.increment();
        drop(1, "queue_full");
      }
      return false;
    }
    if (durable) {
      if (writerWaiting == IDLE) {
        LockSupport.unpark(writerThread);
      }
    } else {
      wakeSender();
    }
    return true;
  }

  private void wakeSender() {
    int w = waiting;
    if (w == IDLE || (w == LINGER && batchFull())) {
      LockSupport.unpark(senderThread);
    }
  }

  private boolean batchFull() {
    return store.records() >= settings.batchRecords() || store.bytes() >= batchTarget;
  }

  Delivery.Counts counts() {
    return new Delivery.Counts(
        offered.sum(),
        delivered.sum(),
        rejected.sum(),
        dropped.sum(),
        failedAttempts.sum(),
        queuedRecords(),
        queuedBytes());
  }

  long queuedRecords() {
    return durable ? stage.records() + store.records() : stage.records();
  }

  long queuedBytes() {
    return durable ? stage.bytes() + store.bytes() : stage.bytes();
  }

  String storeId() {
    return store.storeId();
  }

  void close() {
    synchronized (this) {
      if (closeStarted) {
        return;
      }
      closeStarted = true;
    }
    long timeout = settings.closeTimeout().toNanos();
    closeDeadline = System.nanoTime() + timeout;
    closing = true;
    if (writerThread != null) {
      LockSupport.unpark(writerThread);
    }
    LockSupport.unpark(senderThread);
    try {
      joinUntilDeadline(writerThread);
      joinUntilDeadline(senderThread);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (senderThread.isAlive()) {
      long left = giveUp("close_deadline");
      CompletableFuture<?> attempt = inFlight;
      if (attempt != null) {
        attempt.cancel(true);
      }
      LockSupport.unpark(senderThread);
      if (left > 0) {
        settings
            .log()
            .warn(
                "{} {} not sent to {} by the close deadline ({}){}",
                left,
                settings.unit(),
                settings.destination(),
                OutageLog.text(settings.closeTimeout()),
                durable ? "; the stored ones stay for the next start" : "; counted as dropped");
      }
    }
  }

  private void joinUntilDeadline(@Nullable Thread thread) throws InterruptedException {
    if (thread == null) {
      return;
    }
    long left;
    while (thread.isAlive() && (left = closeDeadline - System.nanoTime()) > 0) {
      thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
    }
  }

  /**
   * Stops all further accounting and counts what is left as dropped with {@code reason}: with a
   * memory store everything not yet settled; with a durable store only what the stage still held
   * (the stored records stay for the next start). Idempotent.
   *
   * @return the records dropped, or kept in a durable store
   */
  private long giveUp(String reason) {
    long left;
    long kept = 0;
    synchronized (lock) {
      if (settled) {
        return 0;
      }
      settled = true;
      stage.close();
      if (durable) {
        left = stage.clear();
        kept = store.records();
      } else {
        left = Math.max(0, stage.records() - settledInGroup);
        stage.clear();
      }
      if (left > 0) {
        drop(left, reason);
      }
    }
    return left + kept;
  }

  private void drop(long count, String reason) {
    dropped.add(count);
    for (Delivery.Listener listener : settings.listeners()) {
      listener.dropped((int) Math.min(Integer.MAX_VALUE, count), reason);
    }
  }

  // ---- the sender thread ----

  private void runSender() {
    try {
      while (!isSettled()) {
        try {
          if (!step()) {
            break;
          }
        } catch (RuntimeException | IOException e) {
          // a bug or a failing store: say it, wait, go on; the thread must not die
          settings
              .log()
              .warn("Delivery {} hit an unexpected error; continuing", settings.name(), e);
          pause(backoff.nextNanos(), false);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      finish();
    }
  }

  /** One round: wait for records, send one group. False when the flush at close is done. */
  private boolean step() throws IOException, InterruptedException {
    runPeriodic();
    reportDrops();
    if (stopFlush) {
      return false;
    }
    long target = target();
    batchTarget = target;
    List<RecordStore.Record> records = store.peek(settings.batchRecords(), target, Duration.ZERO);
    if (records.isEmpty()) {
      if (closing && drained()) {
        return false;
      }
      park(IDLE, closing ? TimeUnit.MILLISECONDS.toNanos(10) : MAX_PARK);
      lingerStart = 0;
      return true;
    }
    long now = System.nanoTime();
    if (!closing && !settings.linger().isZero() && lingerStart != Long.MIN_VALUE) {
      if (lingerStart == 0) {
        lingerStart = now;
      }
      long left = lingerStart + settings.linger().toNanos() - now;
      if (left > 0 && !batchFull()) {
        park(LINGER, left);
        return true;
      }
    }
    sendGroup(records);
    // what is still stored has waited long enough: no linger before the next group
    lingerStart = store.records() > 0 ? Long.MIN_VALUE : 0;
    return true;
  }

  /** Whether every record is settled at close: the stage is closed and nothing is stored. */
  private boolean drained() {
    if (durable) {
      return (writerThread == null || !writerThread.isAlive()) && store.records() == 0;
    }
    if (!stage.isClosed()) {
      stage.close(); // late offers are refused (counted as closed) from here on
    }
    return stage.records() == 0;
  }

  /**
   * The most bytes any request may have: the configured limit, and below the smallest size the
   * destination refused as too large. A single record above it is shortened or oversize.
   */
  private long maxRequest() {
    return tooLarge == Long.MAX_VALUE
        ? settings.batchBytes()
        : Math.min(settings.batchBytes(), tooLarge - 1);
  }

  /**
   * The size a batch of several records is filled to: {@link #maxRequest()}, or after a 413 the
   * larger of half the refused size and the largest size accepted since, so that requests find the
   * destination's limit in a few halvings and then stay under it. A limit learned this way is
   * forgotten after {@link #FORGET_LIMIT} without a 413 (a proxy may have been changed).
   */
  private long target() {
    if (tooLarge == Long.MAX_VALUE) {
      return settings.batchBytes();
    }
    if (System.nanoTime() - tooLargeAt > FORGET_LIMIT) {
      tooLarge = Long.MAX_VALUE;
      largestOk = 0;
      return settings.batchBytes();
    }
    return Math.max(1, Math.min(maxRequest(), Math.max(largestOk, tooLarge / 2)));
  }

  /** Sends the longest prefix of {@code records} that fits one request, then acknowledges it. */
  private void sendGroup(List<RecordStore.Record> records) throws IOException {
    List<Item> group = new ArrayList<>();
    long bytes = 0;
    long target = target();
    long max = maxRequest();
    for (RecordStore.Record record : records) {
      Item item = new Item(store.storeId(), record.sequence(), record.payload());
      long size = sender.requestBytes(item);
      if (size > max) {
        if (!group.isEmpty()) {
          break; // it goes first in the next group
        }
        if (!shorten(item, size, max)) {
          reject(List.of(item), "oversize", oversizeDetail(size));
          acknowledge(record);
          return;
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
    settle(group);
    if (!stopFlush) {
      // not when the flush at close stopped part-way: what is unsettled stays to be counted
      acknowledge(records.get(group.size() - 1));
    }
  }

  private String oversizeDetail(long size) {
    return "a record of "
        + size
        + " request bytes is over the limit of "
        + Math.min(maxRequest(), size - 1)
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
    return sender.requestBytes(item) <= maxRequestBytes;
  }

  private void acknowledge(RecordStore.Record last) throws IOException {
    synchronized (lock) {
      if (settled) {
        return;
      }
      store.ack(last);
      settledInGroup = 0;
    }
  }

  /** Attempts {@code part} until every record in it has an outcome (or the close gives up). */
  private void settle(List<Item> part) {
    List<Item> pending = part;
    int attempt = 0;
    while (!pending.isEmpty() && !isSettled() && !stopFlush) {
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
          outage.recovered(pending.size(), waiting(), dropped.sum());
          return;
        }
        case REJECT -> {
          backoff.reset();
          accepted(pending);
          outage.recovered(0, waiting(), dropped.sum());
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
          outage.recovered(0, waiting(), dropped.sum());
          long size = requestBytes(pending);
          refusedAsTooLarge(size, result.detail);
          if (pending.size() == 1) {
            Item item = pending.get(0);
            boolean mayShorten = item.resentAs() == null || "shortened".equals(item.resentAs());
            // to a size known to pass, else half: a few rounds find any limit
            long to = Math.min(maxRequest(), Math.max(largestOk, size / 2));
            if (mayShorten && shorten(item, size, to)) {
              continue; // send the shortened form
            }
            reject(pending, "oversize", oversizeDetail(size) + " (" + result.detail + ")");
            return;
          }
          splitAndSettle(pending);
          return;
        }
        case SPLIT -> {
          accepted(pending);
          outage.recovered(0, waiting(), dropped.sum());
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
      count(e.getValue().size(), e.getKey(), true);
      sent += e.getValue().size();
    }
    outage.recovered(sent, waiting(), dropped.sum());
    for (Map.Entry<String, List<Item>> e : rejectedBy.entrySet()) {
      reject(e.getValue(), e.getKey(), details.get(e.getKey()));
    }
    if (retries > 0) {
      failedAttempts.add(retries);
      for (Delivery.Listener listener : settings.listeners()) {
        listener.failedAttempt(retries, cause);
      }
      if (!pauseAfterFailure(false)) {
        return null;
      }
    } else {
      backoff.reset();
    }
    return again;
  }

  private long requestBytes(List<Item> items) {
    long sum = 0;
    for (Item item : items) {
      sum += sender.requestBytes(item);
    }
    return sum;
  }

  /** After a 413 for {@code size} bytes: later requests stay below it (see {@link #target()}). */
  private void refusedAsTooLarge(long size, String detail) {
    tooLargeAt = System.nanoTime();
    if (size < tooLarge) {
      tooLarge = size;
      largestOk = Math.min(largestOk, size - 1);
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

  /** Remembers the size of an accepted request while a learned limit holds. */
  private void accepted(List<Item> items) {
    if (tooLarge != Long.MAX_VALUE) {
      largestOk = Math.max(largestOk, Math.min(requestBytes(items), tooLarge - 1));
    }
  }

  private Result attempt(List<Item> pending, int number) {
    long timeout = settings.requestTimeout().toNanos();
    if (closing) {
      timeout = Math.min(timeout, closeDeadline - System.nanoTime());
      if (timeout <= 0) {
        giveUp("close_deadline");
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
      if (isSettled()) {
        future.cancel(true);
        return ABANDONED;
      }
      Result result = future.get(timeout, TimeUnit.NANOSECONDS);
      return result == null ? Result.retry("the sender returned no result") : result;
    } catch (TimeoutException e) {
      future.cancel(true);
      return isSettled()
          ? ABANDONED
          : Result.retry("no answer within " + OutageLog.text(Duration.ofNanos(timeout)));
    } catch (CancellationException e) {
      return isSettled() ? ABANDONED : Result.retry("the attempt was cancelled");
    } catch (ExecutionException e) {
      return isSettled() ? ABANDONED : Result.retry(OutageLog.describe(e.getCause()));
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      return ABANDONED;
    } finally {
      inFlight = null;
    }
  }

  private void failedWhole(List<Item> pending, String cause) {
    failedAttempts.add(pending.size());
    for (Delivery.Listener listener : settings.listeners()) {
      listener.failedAttempt(pending.size(), cause);
    }
    long wait = backoff.nextNanos();
    outage.failed(cause, waiting(), dropped.sum(), Duration.ofNanos(wait));
    pendingWait = wait;
  }

  /**
   * Waits out the backoff after a failed attempt. While closing, a failure of the whole attempt
   * ends the flush (the destination is failing; the deadline is not spent waiting for it).
   *
   * @return false when the records are not to be attempted again
   */
  private boolean pauseAfterFailure(boolean whole) {
    if (closing && whole) {
      stopFlush = true;
      stopReason = "close_failing";
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
    boolean wasClosing = closing;
    while (!isSettled()) {
      long now = System.nanoTime();
      if (closing && now - closeDeadline >= 0) {
        stopFlush = true;
        stopReason = "close_deadline";
        return false;
      }
      if (wakeOnClose && closing && !wasClosing) {
        return true; // try once more at once, then give up if it fails
      }
      if (now - until >= 0) {
        return true;
      }
      runPeriodic();
      reportDrops();
      long park = Math.min(until - now, untilNextPeriodic());
      if (closing) {
        park = Math.min(park, closeDeadline - now);
      }
      LockSupport.parkNanos(this, Math.max(park, 1));
    }
    return false;
  }

  private void park(int mode, long maxNanos) {
    waiting = mode;
    try {
      if (mode == IDLE && store.records() > 0) {
        return;
      }
      if (mode == LINGER && batchFull()) {
        return;
      }
      if (closing && mode == LINGER) {
        return;
      }
      LockSupport.parkNanos(this, Math.max(1, Math.min(maxNanos, untilNextPeriodic())));
    } finally {
      waiting = RUNNING;
    }
  }

  private long untilNextPeriodic() {
    long min = MAX_PARK;
    long now = System.nanoTime();
    for (long d : due) {
      min = Math.min(min, d - now);
    }
    return Math.max(min, 1);
  }

  private void runPeriodic() {
    if (due.length == 0 || closing) {
      return;
    }
    long now = System.nanoTime();
    for (int i = 0; i < due.length; i++) {
      if (now - due[i] >= 0) {
        Periodic p = settings.periodic().get(i);
        due[i] = now + p.interval().toNanos();
        try {
          p.task().run();
        } catch (RuntimeException e) {
          outage.notice(
              "periodic-" + i, "A periodic task of delivery " + settings.name() + " failed: " + e);
        }
      }
    }
  }

  private void reportDrops() {
    long full = queueFull.sumThenReset();
    if (full > 0) {
      outage.dropped(
          full,
          "queue_full",
          "the queue is full ("
              + stage.bytes()
              + " bytes in "
              + stage.records()
              + " record(s)); new ones are dropped and counted until it drains");
    }
  }

  /** Records without an outcome yet (stored, minus those of the current group already settled). */
  private long waiting() {
    synchronized (lock) {
      return Math.max(0, queuedRecords() - settledInGroup);
    }
  }

  private boolean isSettled() {
    synchronized (lock) {
      return settled;
    }
  }

  private void deliver(List<Item> items, @Nullable String reason) {
    Map<String, Integer> byReason = new LinkedHashMap<>();
    for (Item item : items) {
      String r = reason != null ? reason : item.resentAs() != null ? item.resentAs() : "ok";
      byReason.merge(r, 1, Integer::sum);
    }
    byReason.forEach((r, n) -> count(n, r, true));
  }

  private void reject(List<Item> items, String reason, String detail) {
    if (count(items.size(), reason, false)) {
      outage.refused(items.size(), reason, detail);
    }
  }

  /** Counts an outcome unless the close already gave up on these records. */
  private boolean count(int n, String reason, boolean ok) {
    synchronized (lock) {
      if (settled) {
        return false;
      }
      settledInGroup += n;
      (ok ? delivered : rejected).add(n);
      for (Delivery.Listener listener : settings.listeners()) {
        if (ok) {
          listener.delivered(n, reason);
        } else {
          listener.rejected(n, reason);
        }
      }
      return true;
    }
  }

  /** After the loop: closes the stores; at close, counts what the flush did not send. */
  private void finish() {
    if (!closing) {
      return; // an unexpected end: the stores stay as they are for counting at close
    }
    if (writerThread != null) {
      try {
        joinUntilDeadline(writerThread);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    long left = giveUp(stopReason);
    if (left > 0) {
      settings
          .log()
          .warn(
              "{} {} not sent to {} at close ({}){}",
              left,
              settings.unit(),
              settings.destination(),
              stopReason.equals("close_failing")
                  ? "it fails, so the rest is not waited for"
                  : "the close deadline of " + OutageLog.text(settings.closeTimeout()) + " passed",
              durable ? "; the stored ones stay for the next start" : "; counted as dropped");
    }
    if (durable) {
      try {
        store.sync();
        store.close();
      } catch (IOException e) {
        settings.log().warn("Closing the store of {} failed", settings.name(), e);
      }
    }
  }

  // ---- the writer thread (durable store only) ----

  private void runWriter() {
    long lastSync = System.nanoTime();
    boolean dirty = false;
    while (true) {
      List<RecordStore.Record> records;
      try {
        records = stage.peek(settings.batchRecords(), 1 << 20, Duration.ZERO);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      long now = System.nanoTime();
      if (records.isEmpty()) {
        if (closing) {
          stage.close();
          if (stage.records() == 0) {
            break;
          }
          continue;
        }
        if (dirty && now - lastSync >= settings.syncInterval().toNanos()) {
          dirty = !sync();
          lastSync = now;
        }
        writerWaiting = IDLE;
        if (stage.records() == 0) {
          LockSupport.parkNanos(this, Math.min(MAX_PARK, settings.syncInterval().toNanos()));
        }
        writerWaiting = RUNNING;
        continue;
      }
      synchronized (lock) {
        if (settled) {
          return;
        }
        for (RecordStore.Record record : records) {
          try {
            if (!store.append(record.payload())) {
              queueFull.increment();
              drop(1, "queue_full");
            }
          } catch (IOException e) {
            drop(1, "store_error");
            outage.notice("store-error", "Writing to the store of " + settings.name() + ": " + e);
          }
        }
        try {
          stage.ack(records.get(records.size() - 1));
        } catch (RuntimeException e) {
          outage.notice("stage-error", "Acknowledging the stage failed: " + e);
        }
      }
      dirty = true;
      wakeSender();
      if (now - lastSync >= settings.syncInterval().toNanos()) {
        dirty = !sync();
        lastSync = now;
      }
    }
    sync();
  }

  private boolean sync() {
    try {
      store.sync();
      return true;
    } catch (IOException e) {
      outage.notice("store-sync", "Syncing the store of " + settings.name() + " failed: " + e);
      return false;
    }
  }
}
