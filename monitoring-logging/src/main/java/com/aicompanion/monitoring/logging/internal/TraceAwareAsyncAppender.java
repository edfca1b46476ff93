package com.aicompanion.monitoring.logging.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The console's asynchronous appender: the application thread prepares the event for deferred
 * processing (message, MDC and thread name frozen, as Logback's {@code AsyncAppender} does),
 * captures the current trace and span ids ({@link TraceCapture#capture}) and queues it; one worker
 * thread writes the queued events to the attached appenders, in order, and flushes the stream of an
 * attached {@code OutputStreamAppender} without immediate flush once per run of events (so a
 * buffered console costs one write call per run, not one per line). It never blocks: a full queue
 * discards the event and counts it ({@code monitoring_log_console_dropped_total}).
 *
 * <pre>{@code
 * TraceAwareAsyncAppender async = new TraceAwareAsyncAppender(counters.consoleDropped());
 * async.setQueueSize(8192);
 * async.addAppender(console);
 * async.start();
 * }</pre>
 *
 * <p>Unlike Logback's {@code AsyncAppender}, whose worker waits on the queue so that every event
 * queued while it waits wakes it (a system call on the application thread per line at any but the
 * highest rates), this worker takes what arrived every {@link #LINGER_NANOS} while lines keep
 * coming and is woken only when the queue is half full; after {@link #IDLE_ROUNDS} empty rounds it
 * parks until the next line. A line therefore reaches the console up to 50 ms after it was logged.
 * An event that makes an attached appender throw (any {@code Throwable} but a {@code
 * VirtualMachineError} other than {@code StackOverflowError}) is reported once through Logback's
 * status and skipped; the worker goes on. {@link #stop()} writes what is queued within {@link
 * #setMaxFlushTime max flush time}.
 */
public final class TraceAwareAsyncAppender extends UnsynchronizedAppenderBase<ILoggingEvent>
    implements AppenderAttachable<ILoggingEvent> {
  /**
   * How long the worker lets lines gather while they keep coming: each round costs a wake-up and a
   * write call, which a round every 10 ms made a fifth of the console's CPU at a few hundred lines
   * a second (benchmarks/NOTES.md, issue 14).
   */
  static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /** Empty rounds after which the worker parks until the next line (100 ms). */
  static final int IDLE_ROUNDS = 2;

  private static final int RUNNING = 0;
  private static final int LINGERING = 1;
  private static final int IDLE = 2;
  private static final int DRAIN = 512;

  private final LongAdder dropped;
  private final AppenderAttachableImpl<ILoggingEvent> appenders = new AppenderAttachableImpl<>();
  private final AtomicBoolean failureReported = new AtomicBoolean();
  private final AtomicBoolean flushFailureReported = new AtomicBoolean();

  /**
   * Lines the worker took from the queue and has not yet handed to the appenders, the one it is
   * writing included.
   */
  private volatile int taken;

  /** Whether the worker is in the middle of writing a line (which may still complete). */
  private volatile boolean writing;

  private int queueSize = 256;
  private int wakeAt = 128;
  private int maxFlushTime = 1000;
  private volatile ArrayBlockingQueue<ILoggingEvent> queue;
  private volatile int state = RUNNING;
  private volatile boolean stopping;
  private Thread worker;

  public TraceAwareAsyncAppender(LongAdder dropped) {
    this.dropped = dropped;
  }

  /** The most events waiting for the worker (default 256); set before {@link #start()}. */
  public void setQueueSize(int queueSize) {
    if (queueSize < 1) {
      throw new IllegalArgumentException(
          "console queue size " + queueSize + " is not positive: pass 1 or more");
    }
    this.queueSize = queueSize;
  }

  /** How long {@link #stop()} may take to write what is queued, in milliseconds (default 1000). */
  public void setMaxFlushTime(int millis) {
    this.maxFlushTime = Math.max(0, millis);
  }

  /** Events queued and not yet written. */
  public int queued() {
    ArrayBlockingQueue<ILoggingEvent> q = queue;
    return q == null ? 0 : q.size();
  }

  /** Whether the worker parks until the next line (no line for {@link #IDLE_ROUNDS} rounds). */
  boolean idle() {
    return state == IDLE;
  }

  @Override
  public void start() {
    if (isStarted()) {
      return;
    }
    queue = new ArrayBlockingQueue<>(queueSize);
    wakeAt = Math.max(1, queueSize / 2);
    stopping = false;
    state = RUNNING;
    worker = new Thread(this::work, "AsyncAppender-Worker-" + getName());
    worker.setDaemon(true);
    super.start();
    worker.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (stopping) {
      return;
    }
    // on the application thread, as Logback's AsyncAppender: the message, MDC and thread name
    event.prepareForDeferredProcessing();
    ArrayBlockingQueue<ILoggingEvent> q = queue;
    // the span's ids travel in a wrapper: the event's MDC is the application's to keep
    ILoggingEvent captured = TraceCapture.capture(event);
    if (!q.offer(captured)) {
      dropped.increment();
      return;
    }
    if (stopping && q.remove(captured)) {
      // stop() began meanwhile: the worker may be gone, so the line is counted, not left behind
      dropped.increment();
      return;
    }
    int s = state;
    if (s == IDLE || (s == LINGERING && q.size() >= wakeAt)) {
      LockSupport.unpark(worker);
    }
  }

  private void work() {
    List<ILoggingEvent> batch = new ArrayList<>(DRAIN);
    int emptyRounds = 0;
    while (true) {
      ArrayBlockingQueue<ILoggingEvent> q = queue;
      // an appender (or an interrupted write) may leave the flag set: park would return at once
      Thread.interrupted();
      int n = q.drainTo(batch, DRAIN);
      if (n > 0) {
        taken = n;
        emptyRounds = 0;
        for (ILoggingEvent event : batch) {
          writing = true;
          write(event);
          writing = false;
          taken--;
        }
        batch.clear();
        if (q.isEmpty()) {
          flush();
        }
        continue;
      }
      if (stopping) {
        return;
      }
      if (emptyRounds < IDLE_ROUNDS) {
        emptyRounds++;
        state = LINGERING;
        if (q.isEmpty() && !stopping) {
          LockSupport.parkNanos(this, LINGER_NANOS);
        }
      } else {
        state = IDLE;
        if (q.isEmpty() && !stopping) {
          LockSupport.park(this);
        }
      }
      state = RUNNING;
    }
  }

  private void write(ILoggingEvent event) {
    try {
      appenders.appendLoopOnAppenders(event);
    } catch (Throwable e) { // NOPMD: the worker must outlive any event
      if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
        throw (VirtualMachineError) e;
      }
      if (failureReported.compareAndSet(false, true)) {
        addError(
            "An appender behind "
                + getName()
                + " failed on an event; such events are skipped (reported once)",
            e);
      }
    }
  }

  /**
   * Flushes the streams of the attached {@link OutputStreamAppender}s that do not flush each line
   * themselves: called by the worker after each run of lines, when the queue is empty.
   */
  private void flush() {
    Iterator<Appender<ILoggingEvent>> it = appenders.iteratorForAppenders();
    while (it.hasNext()) {
      if (it.next() instanceof OutputStreamAppender<ILoggingEvent> out && !out.isImmediateFlush()) {
        try {
          java.io.OutputStream stream = out.getOutputStream();
          if (stream != null) {
            stream.flush();
          }
        } catch (Throwable e) { // NOPMD: the worker must outlive a failing console
          if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
            throw (VirtualMachineError) e;
          }
          if (flushFailureReported.compareAndSet(false, true)) {
            addError("Flushing the console behind " + getName() + " failed (reported once)", e);
          }
        }
      }
    }
  }

  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    stopping = true;
    super.stop();
    Thread w = worker;
    LockSupport.unpark(w);
    // as Logback's AsyncAppender: a caller interrupted (e.g. a shutdown hook) still waits
    boolean interrupted = Thread.interrupted();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(1, maxFlushTime));
    while (w.isAlive()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        TimeUnit.NANOSECONDS.timedJoin(w, left);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (w.isAlive()) {
      // what the worker took and has not begun to write will not reach the stopped appenders
      // either (the line it is writing may still get out)
      int lost = queued() + Math.max(0, taken - (writing ? 1 : 0));
      addWarn(
          "The console queue of "
              + getName()
              + " was not written within "
              + maxFlushTime
              + " ms; "
              + lost
              + " lines are dropped");
      dropped.add(lost);
      queue.clear();
    } else {
      // lines queued by calls that raced with stop() after the worker's last round
      int left = queued();
      dropped.add(left);
      queue.clear();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    appenders.detachAndStopAllAppenders();
  }

  @Override
  public void addAppender(Appender<ILoggingEvent> appender) {
    appenders.addAppender(appender);
  }

  @Override
  public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
    return appenders.iteratorForAppenders();
  }

  @Override
  public Appender<ILoggingEvent> getAppender(String name) {
    return appenders.getAppender(name);
  }

  @Override
  public boolean isAttached(Appender<ILoggingEvent> appender) {
    return appenders.isAttached(appender);
  }

  @Override
  public void detachAndStopAllAppenders() {
    appenders.detachAndStopAllAppenders();
  }

  @Override
  public boolean detachAppender(Appender<ILoggingEvent> appender) {
    return appenders.detachAppender(appender);
  }

  @Override
  public boolean detachAppender(String name) {
    return appenders.detachAppender(name);
  }
}
