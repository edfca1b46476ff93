package com.aicompanion.monitoring.internal;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The endpoint server's own time limits, applied to its own threads only: the executor that the JDK
 * {@code HttpServer} hands one task per request, wrapped so that one daemon thread can interrupt a
 * task that has been reading its request for longer than the request limit, or answering for longer
 * than the response limit.
 *
 * <pre>{@code
 * RequestWatchdog watchdog = new RequestWatchdog(pool, ServerLimits.DEFAULT);
 * server.setExecutor(watchdog);
 * // in the handler, once the request has been read:
 * watchdog.responding();
 * }</pre>
 *
 * <p>The JDK server reads and writes a blocking {@code SocketChannel} on the task's thread; that is
 * an {@link java.nio.channels.InterruptibleChannel}, so the interrupt closes that one connection
 * ({@code ClosedByInterruptException}) and the server carries on. This replaces the JVM-wide {@code
 * sun.net.httpserver.maxReqTime}/{@code maxRspTime} properties, which would cut the application's
 * own JDK servers too. An interrupt is only ever delivered while its task runs, and cleared when
 * the task ends, so it never reaches the next task of that thread.
 */
public final class RequestWatchdog implements Executor, AutoCloseable {
  /**
   * How long a request may take to arrive and how long its answer may take.
   *
   * @param request from the first byte of a request until its handler starts (default 10 s)
   * @param response from the handler's start until the answer is sent (default 60 s)
   */
  public record ServerLimits(Duration request, Duration response) {
    public static final ServerLimits DEFAULT =
        new ServerLimits(Duration.ofSeconds(10), Duration.ofSeconds(60));

    public ServerLimits {
      if (request.isNegative() || request.isZero() || response.isNegative() || response.isZero()) {
        throw new IllegalArgumentException(
            "server limits must be positive: request " + request + ", response " + response);
      }
    }
  }

  private static final ThreadLocal<Watched> CURRENT = new ThreadLocal<>();

  private final Executor pool;
  private final long requestNanos;
  private final long responseNanos;
  private final Set<Watched> running = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService ticker;

  public RequestWatchdog(Executor pool, ServerLimits limits) {
    this.pool = pool;
    this.requestNanos = limits.request().toNanos();
    this.responseNanos = limits.response().toNanos();
    ScheduledThreadPoolExecutor scheduler =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "monitoring-http-watchdog");
              t.setDaemon(true);
              return t;
            });
    scheduler.setRemoveOnCancelPolicy(true);
    this.ticker = scheduler;
    // a tenth of the shorter limit, within [10 ms, 1 s]: a limit is enforced within ~10%
    long tick =
        Math.max(
            TimeUnit.MILLISECONDS.toNanos(10),
            Math.min(TimeUnit.SECONDS.toNanos(1), Math.min(requestNanos, responseNanos) / 10));
    ticker.scheduleWithFixedDelay(this::sweep, tick, tick, TimeUnit.NANOSECONDS);
  }

  @Override
  public void execute(Runnable task) {
    pool.execute(new Watched(task));
  }

  /**
   * Marks the current request as read: from now on the response limit applies. Does nothing on a
   * thread that runs no watched task.
   */
  public void responding() {
    Watched watched = CURRENT.get();
    if (watched != null) {
      watched.responding();
    }
  }

  /** Requests running now, for tests and diagnostics. */
  int running() {
    return running.size();
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }

  private void sweep() {
    long now = System.nanoTime();
    for (Watched watched : running) {
      watched.interruptIfOverdue(now);
    }
  }

  /** One request's task; its fields are guarded by its monitor. */
  private final class Watched implements Runnable {
    private final Runnable task;
    private Thread thread;
    private long phaseStart;
    private boolean responding;
    private boolean finished;
    private boolean interrupted;

    Watched(Runnable task) {
      this.task = task;
    }

    @Override
    public void run() {
      synchronized (this) {
        thread = Thread.currentThread();
        phaseStart = System.nanoTime();
      }
      CURRENT.set(this);
      running.add(this);
      try {
        task.run();
      } finally {
        running.remove(this);
        CURRENT.remove();
        synchronized (this) {
          finished = true;
          if (interrupted) {
            // the interrupt was for this request; the thread goes back to the pool clean
            Thread.interrupted();
          }
        }
      }
    }

    synchronized void responding() {
      responding = true;
      phaseStart = System.nanoTime();
    }

    synchronized void interruptIfOverdue(long now) {
      if (finished || interrupted || thread == null) {
        return;
      }
      long limit = responding ? responseNanos : requestNanos;
      if (now - phaseStart > limit) {
        interrupted = true;
        thread.interrupt();
      }
    }
  }
}
