package com.aicompanion.monitoring.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The console's asynchronous appender: every line written once and in order, a full queue counted
 * exactly, the MDC frozen on the application thread, a failing appender never stopping the worker,
 * and {@code stop()} writing what is queued.
 */
class TraceAwareAsyncAppenderTest {
  // the application's context: its MDC adapter is the one SLF4J's MDC writes to
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final LongAdder dropped = new LongAdder();

  /** Records what reaches it; optionally blocks until released, or throws on a message. */
  private static final class Recording extends AppenderBase<ILoggingEvent> {
    final List<String> messages = new CopyOnWriteArrayList<>();
    final List<String> mdcValues = new CopyOnWriteArrayList<>();
    volatile CountDownLatch gate = new CountDownLatch(0);
    volatile String poison;

    @Override
    protected void append(ILoggingEvent event) {
      try {
        gate.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (event.getFormattedMessage().equals(poison)) {
        throw new StackOverflowError("poison");
      }
      messages.add(event.getFormattedMessage());
      mdcValues.add(String.valueOf(event.getMDCPropertyMap().get("k")));
    }
  }

  private TraceAwareAsyncAppender started(Recording recording, int queueSize) {
    recording.setContext(context);
    recording.start();
    TraceAwareAsyncAppender async = new TraceAwareAsyncAppender(dropped);
    async.setContext(context);
    async.setName("test-async");
    async.setQueueSize(queueSize);
    async.setMaxFlushTime(5_000);
    async.addAppender(recording);
    async.start();
    return async;
  }

  private LoggingEvent event(String message) {
    return new LoggingEvent(
        "fqcn", context.getLogger("test"), Level.INFO, message, null, new Object[0]);
  }

  @Test
  void everyLineIsWrittenOnceInOrderWithItsMdcAsItWasWhenLogged() {
    Recording recording = new Recording();
    TraceAwareAsyncAppender async = started(recording, 10_000);
    try {
      for (int i = 0; i < 5_000; i++) {
        MDC.put("k", "v" + i);
        async.doAppend(event("line " + i));
      }
      MDC.put("k", "changed later");
      await().atMost(Duration.ofSeconds(10)).until(() -> recording.messages.size() == 5_000);
    } finally {
      MDC.remove("k");
    }
    for (int i = 0; i < 5_000; i++) {
      assertThat(recording.messages.get(i)).isEqualTo("line " + i);
      assertThat(recording.mdcValues.get(i)).isEqualTo("v" + i);
    }
    assertThat(dropped.sum()).isZero();
    async.stop();
  }

  @Test
  void aFullQueueDropsAndCountsEachLineItCannotTake() {
    Recording recording = new Recording();
    recording.gate = new CountDownLatch(1); // the worker holds the first line
    TraceAwareAsyncAppender async = started(recording, 8);
    async.doAppend(event("first"));
    await().atMost(Duration.ofSeconds(5)).until(() -> async.queued() == 0);
    for (int i = 0; i < 20; i++) {
      async.doAppend(event("queued " + i));
    }
    assertThat(dropped.sum()).as("8 queued, 12 refused").isEqualTo(12);
    recording.gate.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> recording.messages.size() == 9);
    assertThat(recording.messages).startsWith("first", "queued 0").endsWith("queued 7");
    async.stop();
  }

  @Test
  void anAppenderThatThrowsDoesNotStopTheWorker() {
    Recording recording = new Recording();
    recording.poison = "boom";
    TraceAwareAsyncAppender async = started(recording, 100);
    async.doAppend(event("before"));
    async.doAppend(event("boom"));
    async.doAppend(event("after"));
    await().atMost(Duration.ofSeconds(5)).until(() -> recording.messages.contains("after"));
    assertThat(recording.messages).containsExactly("before", "after");
    assertThat(context.getStatusManager().getCopyOfStatusList())
        .anyMatch(s -> s.getMessage().contains("failed on an event"));
    async.stop();
  }

  @Test
  void stopWritesWhatIsQueuedAndLaterLinesAreIgnored() {
    Recording recording = new Recording();
    recording.gate = new CountDownLatch(1);
    TraceAwareAsyncAppender async = started(recording, 1_000);
    for (int i = 0; i < 500; i++) {
      async.doAppend(event("line " + i));
    }
    recording.gate.countDown();
    async.stop();
    assertThat(recording.messages).hasSize(500).endsWith("line 499");
    async.doAppend(event("after stop"));
    assertThat(recording.messages).hasSize(500);
    assertThat(recording.isStarted()).as("the attached appender is stopped with it").isFalse();
  }

  /** Counts the write calls that reach it, as a file descriptor would see them. */
  private static final class CountingStream extends java.io.ByteArrayOutputStream {
    final java.util.concurrent.atomic.AtomicInteger writes =
        new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      writes.incrementAndGet();
      super.write(b, off, len);
    }

    synchronized String text() {
      return toString(java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Test
  void aBufferedConsoleGetsEveryLineWithOneWritePerRunNotPerLine() {
    CountingStream target = new CountingStream();
    ch.qos.logback.core.OutputStreamAppender<ILoggingEvent> console =
        new ch.qos.logback.core.OutputStreamAppender<>();
    console.setContext(context);
    ch.qos.logback.classic.encoder.PatternLayoutEncoder encoder =
        new ch.qos.logback.classic.encoder.PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%msg%n");
    encoder.start();
    console.setEncoder(encoder);
    console.setOutputStream(new java.io.BufferedOutputStream(target, 1 << 16));
    console.setImmediateFlush(false);
    console.start();
    TraceAwareAsyncAppender async = new TraceAwareAsyncAppender(dropped);
    async.setContext(context);
    async.setQueueSize(10_000);
    async.addAppender(console);
    async.start();
    for (int i = 0; i < 2_000; i++) {
      async.doAppend(event("line " + i));
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> target.text().endsWith("line 1999" + System.lineSeparator()));
    String[] lines = target.text().split(System.lineSeparator());
    assertThat(lines).hasSize(2_000);
    for (int i = 0; i < 2_000; i++) {
      assertThat(lines[i]).isEqualTo("line " + i);
    }
    assertThat(target.writes.get()).as("write calls for 2,000 lines").isLessThan(200);
    async.stop();
  }

  @Test
  void aSingleLineReachesTheConsoleAfterTheWorkerWentIdle() {
    Recording recording = new Recording();
    TraceAwareAsyncAppender async = started(recording, 100);
    async.doAppend(event("one"));
    await().atMost(Duration.ofSeconds(5)).until(() -> recording.messages.size() == 1);
    // idle after IDLE_ROUNDS empty rounds; the next line must wake it
    await().atMost(Duration.ofSeconds(2)).until(async::idle);
    async.doAppend(event("two"));
    await().atMost(Duration.ofSeconds(2)).until(() -> recording.messages.size() == 2);
    async.stop();
  }
}
