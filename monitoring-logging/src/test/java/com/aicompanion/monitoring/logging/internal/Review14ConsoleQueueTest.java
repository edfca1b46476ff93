package com.aicompanion.monitoring.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Review 14 of the console queue ({@link TraceAwareAsyncAppender}) after its rounds went from 10 to
 * 50 ms: what happens around {@code stop()}, with an interrupted thread, and with a console that
 * fails. Each test failed on the code under review (a fresh pair of eyes wrote them) and passes on
 * the fixes.
 */
class Review14ConsoleQueueTest {
  private static final AtomicInteger NAMES = new AtomicInteger();

  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final LongAdder dropped = new LongAdder();

  /** Records what reaches it; holds the worker at a gate until released. */
  private static final class Recording extends AppenderBase<ILoggingEvent> {
    final List<String> messages = new CopyOnWriteArrayList<>();
    final CountDownLatch entered = new CountDownLatch(1);
    volatile CountDownLatch gate = new CountDownLatch(0);
    volatile String poison;
    volatile String holdAt;
    volatile CountDownLatch hold = new CountDownLatch(0);
    final CountDownLatch held = new CountDownLatch(1);
    volatile Thread worker;

    @Override
    protected void append(ILoggingEvent event) {
      worker = Thread.currentThread();
      entered.countDown();
      try {
        gate.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (event.getFormattedMessage().equals(holdAt)) {
        held.countDown();
        try {
          hold.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (event.getFormattedMessage().equals(poison)) {
        // an Error: AppenderBase itself catches and reports any Exception
        throw new StackOverflowError("poison");
      }
      if (event.getFormattedMessage().equals("interrupt me")) {
        // what an appender (or a PrintStream meeting an InterruptedIOException) does when it
        // restores an interrupt it caught: the flag stays set on the worker thread
        Thread.currentThread().interrupt();
      }
      messages.add(event.getFormattedMessage());
    }
  }

  private TraceAwareAsyncAppender started(Recording recording, int queueSize, int maxFlushMillis) {
    recording.setContext(context);
    recording.start();
    TraceAwareAsyncAppender async = new TraceAwareAsyncAppender(dropped);
    async.setContext(context);
    async.setName("review14-" + NAMES.incrementAndGet());
    async.setQueueSize(queueSize);
    async.setMaxFlushTime(maxFlushMillis);
    async.addAppender(recording);
    async.start();
    return async;
  }

  private LoggingEvent event(String message) {
    return new LoggingEvent(
        "fqcn", context.getLogger("test"), Level.INFO, message, null, new Object[0]);
  }

  /**
   * A line whose {@code append} passed the {@code stopping} check when {@code stop()} ran lands in
   * the queue after the worker exited: it is never written, never counted as dropped, and {@link
   * TraceAwareAsyncAppender#queued()} stays 1 for good.
   */
  @Test
  void aLineLoggedWhileStopRunsIsWrittenOrCounted() throws Exception {
    Recording recording = new Recording();
    TraceAwareAsyncAppender async = started(recording, 100, 1_000);
    CountDownLatch inAppend = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    // prepareForDeferredProcessing runs on the application thread between the stopping check
    // and the offer: the window in which stop() can run
    LoggingEvent racing =
        new LoggingEvent("fqcn", context.getLogger("test"), Level.INFO, "racing", null, null) {
          @Override
          public void prepareForDeferredProcessing() {
            inAppend.countDown();
            try {
              resume.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            super.prepareForDeferredProcessing();
          }
        };
    Thread application = new Thread(() -> async.doAppend(racing), "application");
    application.start();
    assertThat(inAppend.await(5, TimeUnit.SECONDS)).isTrue();

    async.stop();
    resume.countDown();
    application.join(5_000);

    await()
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(
            () ->
                assertThat(recording.messages.size() + dropped.sum())
                    .as("the line is written or counted as dropped (queued: %d)", async.queued())
                    .isEqualTo(1));
  }

  /**
   * When the worker is still writing at the end of the max flush time, {@code stop()} counts only
   * what is left in the queue; the up to 511 lines the worker already took from it (its batch) are
   * then written to appenders that stop() has detached and stopped, so they vanish uncounted.
   */
  @Test
  void aStopThatTimesOutCountsEveryLineItDidNotWrite() throws Exception {
    Recording recording = new Recording();
    recording.gate = new CountDownLatch(1); // holds the worker on "first" while 600 lines queue
    recording.holdAt = "line 0";
    recording.hold = new CountDownLatch(1); // then the console hangs (a terminal nobody reads)
    TraceAwareAsyncAppender async = started(recording, 1_000, 200);
    async.doAppend(event("first"));
    assertThat(recording.entered.await(5, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < 600; i++) {
      async.doAppend(event("line " + i));
    }
    assertThat(dropped.sum()).isZero();
    recording.gate.countDown();
    // the worker took a batch (512 lines) and hangs on its first
    assertThat(recording.held.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(async.queued()).isEqualTo(600 - 512);

    async.stop(); // gives up after 200 ms
    recording.hold.countDown(); // the console comes back

    await()
        .atMost(Duration.ofSeconds(3))
        .untilAsserted(
            () ->
                assertThat(recording.messages.size() + dropped.sum())
                    .as(
                        "lines written (%d) + lines counted dropped (%d)",
                        recording.messages.size(), dropped.sum())
                    .isEqualTo(601));
  }

  /**
   * {@code stop()} on a thread whose interrupt flag is set (a shutdown path run from an interrupted
   * thread, an executor's {@code shutdownNow}) does not wait at all: {@code join} throws at once,
   * the queue is declared "not written within 5000 ms", cleared, and the attached appenders are
   * stopped under the worker. Logback's own {@code AsyncAppenderBase.stop()} masks the flag for
   * this reason.
   */
  @Test
  void stopOnAnInterruptedThreadStillWritesWhatIsQueued() throws Exception {
    Recording recording = new Recording();
    recording.gate = new CountDownLatch(1);
    TraceAwareAsyncAppender async = started(recording, 10_000, 5_000);
    async.doAppend(event("first"));
    assertThat(recording.entered.await(5, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < 5_000; i++) {
      async.doAppend(event("line " + i));
    }
    assertThat(dropped.sum()).isZero();
    recording.gate.countDown();

    Thread.currentThread().interrupt();
    try {
      async.stop();
    } finally {
      assertThat(Thread.interrupted()).as("the caller's interrupt is kept").isTrue();
    }

    assertThat(recording.messages).hasSize(5_001).endsWith("line 4999");
  }

  /**
   * Once the worker thread's interrupt flag is set (an attached appender or stream that restores an
   * interrupt it caught, as {@code PrintStream} does on an {@code InterruptedIOException}), {@code
   * LockSupport.park} returns at once every time: the idle worker spins a core instead of parking
   * until the next line, for the life of the application.
   */
  @Test
  void aWorkerWithItsInterruptFlagSetStillParksWhenIdle() {
    Recording recording = new Recording();
    TraceAwareAsyncAppender async = started(recording, 100, 1_000);
    try {
      async.doAppend(event("interrupt me"));
      await().atMost(Duration.ofSeconds(5)).until(() -> recording.messages.size() == 1);
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long worker = recording.worker.getId();
      long before = threads.getThreadCpuTime(worker);

      // idle for a second: a parked worker uses next to no CPU
      await()
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(2))
          .untilAsserted(
              () ->
                  assertThat(Duration.ofNanos(threads.getThreadCpuTime(worker) - before))
                      .as("the idle worker's CPU")
                      .isLessThan(Duration.ofMillis(100)));
    } finally {
      async.stop();
    }
  }

  /**
   * {@code write} keeps the worker alive through any {@code Throwable} but a {@code
   * VirtualMachineError} other than {@code StackOverflowError}; {@code flush} catches only {@code
   * IOException} and {@code RuntimeException}: a console whose flush throws a {@code
   * StackOverflowError} (or any other {@code Error}) kills the worker, after which lines sit in the
   * queue unwritten and uncounted until it fills.
   */
  @Test
  void aConsoleWhoseFlushThrowsAnErrorOnceDoesNotStopTheWorker() {
    AtomicBoolean failed = new AtomicBoolean();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    OutputStream stream =
        new OutputStream() {
          @Override
          public synchronized void write(int b) {
            bytes.write(b);
          }

          @Override
          public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
          }

          @Override
          public void flush() {
            if (failed.compareAndSet(false, true)) {
              throw new StackOverflowError("deep stream");
            }
          }
        };
    TraceAwareAsyncAppender async = new TraceAwareAsyncAppender(dropped);
    async.setContext(context);
    async.setName("review14-" + NAMES.incrementAndGet());
    async.setQueueSize(100);
    async.addAppender(console(stream));
    async.start();
    try {
      async.doAppend(event("one"));
      await().atMost(Duration.ofSeconds(5)).until(failed::get);
      async.doAppend(event("two"));
      await()
          .atMost(Duration.ofSeconds(2))
          .untilAsserted(
              () -> {
                synchronized (stream) {
                  assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("two");
                }
              });
    } finally {
      async.stop();
    }
  }

  /**
   * Event failures and flush failures share one "reported once" flag: after one event made an
   * attached appender throw, a console whose flush fails (stdout gone) is never reported.
   */
  @Test
  void aFailingConsoleIsReportedEvenAfterAnEventFailed() {
    Recording recording = new Recording();
    recording.poison = "boom";
    recording.setContext(context);
    recording.start();
    OutputStream broken =
        new OutputStream() {
          @Override
          public void write(int b) {}

          @Override
          public void write(byte[] b, int off, int len) {}

          @Override
          public void flush() throws IOException {
            throw new IOException("stdout is gone");
          }
        };
    TraceAwareAsyncAppender async = new TraceAwareAsyncAppender(dropped);
    async.setContext(context);
    String name = "review14-" + NAMES.incrementAndGet();
    async.setName(name);
    async.setQueueSize(100);
    async.addAppender(recording);
    async.addAppender(console(broken));
    async.start();
    try {
      async.doAppend(event("boom"));
      async.doAppend(event("after"));
      await().atMost(Duration.ofSeconds(5)).until(() -> recording.messages.contains("after"));
      await()
          .atMost(Duration.ofSeconds(2))
          .untilAsserted(
              () ->
                  assertThat(context.getStatusManager().getCopyOfStatusList())
                      .as("the status messages")
                      .anyMatch(
                          s -> s.getMessage().contains("Flushing the console behind " + name)));
    } finally {
      async.stop();
    }
  }

  private OutputStreamAppender<ILoggingEvent> console(OutputStream stream) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%msg%n");
    encoder.start();
    OutputStreamAppender<ILoggingEvent> console = new OutputStreamAppender<>();
    console.setContext(context);
    console.setEncoder(encoder);
    console.setOutputStream(stream);
    console.setImmediateFlush(false);
    console.start();
    return console;
  }
}
