package com.aicompanion.monitoring.soak;

import com.aicompanion.monitoring.logging.JsonLogging;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application of {@link SpoolSoakTest} as a child JVM, so that it can be killed with SIGKILL.
 * {@code log}: installs JSON logging with shipping to {@code url} and the spool in {@code
 * spoolDir}, then logs {@code rate} events a second (logger {@value #LOGGER}) until killed, writing
 * after each one how many it has logged to {@code countFile} (8 bytes, overwritten in place: the
 * operating system keeps the write when the process is killed). {@code drain}: installs the same,
 * logs nothing of its own, waits until the spool and queue are empty, closes and prints {@code
 * shipped=N dropped=N failed=N stream=<data stream>}.
 *
 * <pre>{@code
 * java -cp <test classpath> com.aicompanion.monitoring.soak.SpoolCrashApp log http://127.0.0.1:9200 /tmp/spool /tmp/count 1000
 * java -cp <test classpath> com.aicompanion.monitoring.soak.SpoolCrashApp drain http://127.0.0.1:9200 /tmp/spool
 * }</pre>
 */
final class SpoolCrashApp {
  static final String SERVICE = "spool-crash";
  static final String LOGGER = "com.example.crash.Load";

  private SpoolCrashApp() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    JsonLogging logging =
        JsonLogging.builder(SERVICE)
            .elasticsearch(URI.create(args[1]))
            .config("elasticsearch.spool.dir", args[2])
            .config("elasticsearch.flush.interval", "200ms")
            .config("elasticsearch.max.backoff", "1s")
            .meterRegistry(meters)
            .install();
    if (mode.equals("log")) {
      log(Path.of(args[3]), Integer.parseInt(args[4]));
      return;
    }
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (meters.get("monitoring.log.queue.size").gauge().value() > 0
        && System.nanoTime() < deadline) {
      Thread.sleep(50); // a separate process: nothing to await on but its own gauge
    }
    logging.close();
    System.out.println(
        "shipped="
            + logging.shippedEvents()
            + " dropped="
            + logging.droppedEvents()
            + " failed="
            + logging.failedEvents()
            + " stream="
            + logging.dataStream());
  }

  private static void log(Path countFile, int rate) throws IOException {
    Logger log = LoggerFactory.getLogger(LOGGER);
    long interval = 1_000_000_000L / rate;
    ByteBuffer count = ByteBuffer.allocate(8);
    try (FileChannel out =
        FileChannel.open(
            countFile,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      long next = System.nanoTime();
      for (long n = 1; ; n++) {
        log.info("crash event {} with some text to give the line a realistic length", n);
        count.clear();
        count.putLong(n).flip();
        out.write(count, 0);
        next += interval;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
      }
    }
  }
}
