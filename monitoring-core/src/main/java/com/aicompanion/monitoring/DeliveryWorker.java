package com.aicompanion.monitoring;

import com.aicompanion.monitoring.internal.delivery.InFlightGroups;
import com.aicompanion.monitoring.internal.delivery.MemoryRecordStore;
import com.aicompanion.monitoring.internal.delivery.OutageLog;
import com.aicompanion.monitoring.internal.delivery.RecordStore;
import com.aicompanion.monitoring.internal.delivery.RequestLimit;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The engine behind {@link Delivery}: the stores, the dispatcher thread (waiting for a batch and
 * handing it to a sender thread), {@code maxInFlight} sender threads ({@link DeliveryAttempts}
 * settles one group each, so that up to that many requests are in flight), the accounting, the
 * in-order acknowledgement ({@link InFlightGroups}), the close deadline and, with a durable store,
 * the writer thread that moves records from the memory stage into it.
 *
 * <p>Accounting is exact: the outcome of a record is counted under {@link #lock}, and so is giving
 * up at close, which counts as dropped what is still stored minus what open groups already settled
 * ({@link #settledInGroup}), so that no record is counted twice or never. The store is acknowledged
 * under the same lock, only up to the end of the longest prefix of finished groups. The writer
 * moves records under {@link #moveLock} (not {@link #lock}), so that acknowledging and counting
 * never wait for a disk write.
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
      Duration syncInterval,
      int maxInFlight) {}

  /** A group handed to a sender thread. */
  private record Job(InFlightGroups.Group group, List<Delivery.Item> items) {}

  record Periodic(Duration interval, Runnable task) {}

  private static final int RUNNING = 0;
  private static final int IDLE = 1;
  private static final int LINGER = 2;
  private static final int SLOTS = 3;
  private static final long MAX_PARK = TimeUnit.SECONDS.toNanos(1);

  /**
   * How long the spool writer waits for more records after emptying the stage before it parks until
   * the next record: what a record may wait in memory beyond that (kill -9 loses at most this much
   * more than the stage held), against a wake-up per record at high rates.
   */
  static final long WRITER_LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  /** Records in the stage that wake a lingering writer at once. */
  private static final int WRITER_WAKE_RECORDS = 256;

  private final Settings settings;
  private final Delivery.Sender sender;
  private final MemoryRecordStore stage;
  private final RecordStore store;
  private final boolean durable;
  private final OutageLog outage;
  private final RequestLimit limit;
  private final DeliveryAttempts dispatch;
  private final DeliveryAttempts[] senders;
  private final Thread[] senderThreads;
  private final InFlightGroups groups = new InFlightGroups();
  private final LinkedBlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
  private final Semaphore slots;
  private final Object lock = new Object();
  private final Object moveLock = new Object();
  private final LongAdder offered = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder failedAttempts = new LongAdder();
  private final LongAdder queueFull = new LongAdder();
  private final long[] due;
  private final Thread dispatcherThread;
  private final @Nullable Thread writerThread;

  private volatile int waiting = RUNNING;
  private volatile int writerWaiting = RUNNING;
  private volatile boolean closing;
  private volatile boolean flushStopped;
  private volatile String stopReason = "close_failing";
  private volatile boolean dispatcherDone;
  private volatile long closeDeadline;

  /** The batch target as the sender last computed it, for other threads to read. */
  private volatile long batchTarget;

  private boolean closeStarted;

  // written under moveLock and lock, read anywhere
  private volatile boolean settled;

  // guarded by lock
  private long settledInGroup;

  // sender thread only
  private long lingerStart;

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
    this.limit = DeliveryAttempts.limit(settings);
    this.dispatch = new DeliveryAttempts(this, settings, sender, outage, limit);
    int lanes = settings.maxInFlight();
    this.slots = new Semaphore(lanes);
    this.senders = new DeliveryAttempts[lanes];
    this.senderThreads = new Thread[lanes];
    for (int i = 0; i < lanes; i++) {
      senders[i] = new DeliveryAttempts(this, settings, sender, outage, limit);
      int lane = i;
      senderThreads[i] = new Thread(() -> runSender(lane), settings.name() + "-sender-" + (i + 1));
      senderThreads[i].setDaemon(true);
    }
    long now = System.nanoTime();
    this.batchTarget = settings.batchBytes();
    this.due = new long[settings.periodic().size()];
    for (int i = 0; i < due.length; i++) {
      due[i] = now + settings.periodic().get(i).interval().toNanos();
    }
    this.dispatcherThread = new Thread(this::runDispatcher, settings.name());
    dispatcherThread.setDaemon(true);
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
    for (Thread t : worker.senderThreads) {
      t.start();
    }
    worker.dispatcherThread.start();
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
      int w = writerWaiting;
      if (w == IDLE || (w == LINGER && stage.records() >= WRITER_WAKE_RECORDS)) {
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
      LockSupport.unpark(dispatcherThread);
    }
  }

  /** Whether the stored records not yet handed to a sender fill a batch. */
  private boolean batchFull() {
    return store.records() - groups.openRecords() >= settings.batchRecords()
        || store.bytes() - groups.openBytes() >= batchTarget;
  }

  /** Whether stored records wait to be handed to a sender (a hint: read without a lock). */
  private boolean undispatched() {
    return store.records() - groups.openRecords() > 0;
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
    LockSupport.unpark(dispatcherThread);
    try {
      joinUntilDeadline(writerThread);
      joinUntilDeadline(dispatcherThread);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (dispatcherThread.isAlive()) {
      long left = giveUp("close_deadline");
      cancelInFlight();
      LockSupport.unpark(dispatcherThread);
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
  long giveUp(String reason) {
    long left;
    long kept = 0;
    synchronized (moveLock) {
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
    }
    return left + kept;
  }

  private void drop(long count, String reason) {
    dropped.add(count);
    for (Delivery.Listener listener : settings.listeners()) {
      listener.dropped((int) Math.min(Integer.MAX_VALUE, count), reason);
    }
  }

  // ---- the dispatcher thread ----

  private void runDispatcher() {
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
          dispatch.pauseAfterError();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      dispatcherDone = true;
      finish();
    }
  }

  /**
   * One round: wait for a free sender and for records, hand one group to a sender. False when the
   * flush at close is done.
   */
  private boolean step() throws IOException, InterruptedException {
    runPeriodic();
    reportDrops();
    if (flushStopped) {
      return false;
    }
    if (!slots.tryAcquire()) {
      park(SLOTS, MAX_PARK); // every sender has a request in flight
      return true;
    }
    boolean handedOver = false;
    try {
      long target = limit.target();
      batchTarget = target;
      List<RecordStore.Record> records =
          store.peekAfter(groups.lastDispatched(), settings.batchRecords(), target);
      if (records.isEmpty()) {
        if (closing && groups.open() == 0 && drained()) {
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
      DeliveryAttempts.Formed formed = dispatch.form(records, store.storeId());
      int size = formed.items().size();
      long bytes = 0;
      for (int i = 0; i < size; i++) {
        bytes += records.get(i).payload().length;
      }
      InFlightGroups.Group group = groups.dispatched(records.get(size - 1), size, bytes);
      if (formed.settled()) {
        finished(group); // rejected as oversize: nothing to send
      } else {
        jobs.add(new Job(group, formed.items()));
        handedOver = true;
      }
      // what is still stored has waited long enough: no linger before the next group
      lingerStart = undispatched() ? Long.MIN_VALUE : 0;
      return true;
    } finally {
      if (!handedOver) {
        slots.release();
      }
    }
  }

  // ---- the sender threads ----

  private void runSender(int lane) {
    DeliveryAttempts attempts = senders[lane];
    try {
      while (!isSettled()) {
        Job job = jobs.poll(MAX_PARK, TimeUnit.NANOSECONDS);
        if (job == null) {
          if (dispatcherDone) {
            return;
          }
          continue;
        }
        try {
          settle(attempts, job);
        } finally {
          slots.release();
          if (waiting == SLOTS) {
            LockSupport.unpark(dispatcherThread);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void settle(DeliveryAttempts attempts, Job job) {
    while (!isSettled()) {
      try {
        if (attempts.settleGroup(job.items())) {
          finished(job.group());
        }
        return;
      } catch (RuntimeException e) {
        // a bug: say it, wait, try the group again; the thread must not die
        settings.log().warn("Delivery {} hit an unexpected error; continuing", settings.name(), e);
        attempts.pauseAfterError();
      }
    }
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
   * Every record of {@code group} has an outcome: acknowledges the store up to the end of the
   * finished prefix of groups, never past a group still in flight.
   */
  private void finished(InFlightGroups.Group group) {
    synchronized (lock) {
      if (settled) {
        return;
      }
      long before = groups.acknowledgedRecords();
      RecordStore.Record upTo = groups.finished(group);
      if (upTo == null) {
        return; // an earlier group is in flight; it acknowledges this one's records too
      }
      settledInGroup -= groups.acknowledgedRecords() - before;
      try {
        store.ack(upTo);
      } catch (IOException | RuntimeException e) {
        // the records stay stored; the next acknowledgement covers them (it is cumulative)
        outage.notice("store-ack", "Acknowledging the store of " + settings.name() + ": " + e);
      }
    }
  }

  /** The flush at close stops: the destination fails ({@code close_failing}) or time is up. */
  void stopFlush(String reason) {
    synchronized (lock) {
      if (!flushStopped) {
        stopReason = reason;
        flushStopped = true;
      }
    }
    LockSupport.unpark(dispatcherThread);
  }

  /** Whether the flush at close stopped (the destination failed, or the deadline passed). */
  boolean flushStopped() {
    return flushStopped;
  }

  private void cancelInFlight() {
    for (DeliveryAttempts attempts : senders) {
      attempts.cancelInFlight();
    }
  }

  private void park(int mode, long maxNanos) {
    waiting = mode;
    try {
      if (mode == IDLE && undispatched()) {
        return;
      }
      if (mode == SLOTS && slots.availablePermits() > 0) {
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

  long untilNextPeriodic() {
    long min = MAX_PARK;
    long now = System.nanoTime();
    for (long d : due) {
      min = Math.min(min, d - now);
    }
    return Math.max(min, 1);
  }

  void runPeriodic() {
    if (due.length == 0 || closing) {
      return;
    }
    synchronized (due) { // the dispatcher and senders in backoff all run it
      runDue();
    }
  }

  private void runDue() {
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

  void reportDrops() {
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
  long waiting() {
    synchronized (lock) {
      return Math.max(0, queuedRecords() - settledInGroup);
    }
  }

  boolean isSettled() {
    return settled;
  }

  /** Counts an outcome unless the close already gave up on these records. */
  boolean count(int n, String reason, boolean ok) {
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

  boolean isClosing() {
    return closing;
  }

  /** The close deadline ({@link System#nanoTime()}), once closing. */
  long closeDeadline() {
    return closeDeadline;
  }

  long droppedSoFar() {
    return dropped.sum();
  }

  /** An attempt with {@code count} records failed and will be retried. */
  void failedAttempt(int count, String cause) {
    failedAttempts.add(count);
    for (Delivery.Listener listener : settings.listeners()) {
      listener.failedAttempt(count, cause);
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
    String stopReason = this.stopReason;
    long left = giveUp(stopReason);
    cancelInFlight(); // senders still waiting on a request see the give-up at once
    for (Thread t : senderThreads) {
      t.interrupt();
    }
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
    boolean lingered = false;
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
        if (!lingered) {
          // the stage was just emptied: records arriving in the next moment go with the next
          // run, instead of each new record waking this thread (a wake-up costs the producer a
          // system call); a full run wakes it at once
          lingered = true;
          writerWaiting = LINGER;
          if (stage.records() == 0) {
            LockSupport.parkNanos(this, WRITER_LINGER_NANOS);
          }
          writerWaiting = RUNNING;
          continue;
        }
        writerWaiting = IDLE;
        if (stage.records() == 0) {
          LockSupport.parkNanos(this, Math.min(MAX_PARK, settings.syncInterval().toNanos()));
        }
        writerWaiting = RUNNING;
        lingered = false;
        continue;
      }
      lingered = false;
      synchronized (moveLock) { // not lock: acknowledging and counting must not wait for the disk
        if (settled) {
          return;
        }
        moveToStore(records);
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

  /**
   * Appends the records to the store in order, with as few writes as the store can (a disk spool:
   * one per run of records); after a failed write, the records not yet written go one by one, so
   * that each is stored or counted as dropped exactly once.
   */
  private void moveToStore(List<RecordStore.Record> records) {
    int n = records.size();
    List<byte[]> payloads = new ArrayList<>(n);
    for (RecordStore.Record record : records) {
      payloads.add(record.payload());
    }
    boolean[] stored = new boolean[n];
    int done = n;
    try {
      store.appendAll(payloads, stored);
    } catch (RecordStore.PartialAppendException e) {
      done = e.done();
    }
    int full = 0;
    for (int i = 0; i < done; i++) {
      if (!stored[i]) {
        full++;
      }
    }
    if (full > 0) {
      queueFull.add(full);
      drop(full, "queue_full");
    }
    for (int i = done; i < n; i++) {
      try {
        if (!store.append(payloads.get(i))) {
          queueFull.increment();
          drop(1, "queue_full");
        }
      } catch (IOException e) {
        drop(1, "store_error");
        outage.notice("store-error", "Writing to the store of " + settings.name() + ": " + e);
      }
    }
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
