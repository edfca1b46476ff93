package com.aicompanion.monitoring.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Review 14: the console behind the queue when stdout fails once (a transient {@code EAGAIN} on a
 * non-blocking pipe, say). The console is a Logback {@code OutputStreamAppender} over a 64 KiB
 * buffer: a failure while the worker's {@code flush()} empties the buffer is caught and the bytes
 * are retried, but a failure while the buffer overflows in the middle of a round (any round of more
 * than 64 KiB, i.e. from about 1,300 lines/s of 250-byte lines with rounds of 50 ms, a fifth of the
 * rate that took with rounds of 10 ms) happens inside the appender's {@code writeBytes}, which
 * stops the appender for good: every later line is discarded, none is counted in {@code
 * monitoring_log_console_dropped_total}.
 */
class Review14ConsoleFailureTest {
  private static final Logger LOG = LoggerFactory.getLogger("com.example.chat.Review14");

  /** A stdout whose next write fails once when armed, then works again. */
  private static final class OnceFailingOutput extends OutputStream {
    final AtomicBoolean armed = new AtomicBoolean();
    final AtomicBoolean failed = new AtomicBoolean();
    final LineSink sink = new LineSink();

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (armed.compareAndSet(true, false)) {
        failed.set(true);
        throw new IOException("Resource temporarily unavailable");
      }
      sink.write(b, off, len);
    }
  }

  @Test
  void aConsoleWriteThatFailsOnceLosesNoLaterLineUncounted() {
    OnceFailingOutput out = new OnceFailingOutput();
    JsonLogging logging =
        JsonLogging.builder("review14-svc")
            .output(out)
            .config("log.queue.capacity", "8192")
            .install();
    try {
      LOG.info("before");
      await().atMost(Duration.ofSeconds(5)).until(() -> out.sink.text().contains("\"before\""));

      out.armed.set(true);
      // a burst of 2,000 lines (about 0.5 MB) queued within one round
      for (int i = 0; i < 2_000; i++) {
        LOG.info("burst line {} of a request that logs a little more than usual", i);
      }
      await().atMost(Duration.ofSeconds(5)).until(out.failed::get);

      LOG.info("after");
      await()
          .atMost(Duration.ofSeconds(3))
          .untilAsserted(
              () ->
                  assertThat(
                          out.sink.text().contains("\"after\"")
                              || logging.consoleDroppedEvents() > 0)
                      .as(
                          "the line after the failure reached stdout or was counted (dropped %d)",
                          logging.consoleDroppedEvents())
                      .isTrue());
    } finally {
      logging.close();
    }
  }
}
