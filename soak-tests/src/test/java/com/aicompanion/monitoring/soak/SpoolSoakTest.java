package com.aicompanion.monitoring.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.logging.JsonLogging;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disk spool under the log shipper, in every build: (a) an application logging 1,000 events/s
 * while the OpenSearch node (a child JVM) is killed for 60 s and restarted on the same port and
 * data: nothing dropped, every event in the data stream exactly once; (b) meanwhile an application
 * in a child JVM ({@link SpoolCrashApp}) logs 1,000 events/s with the node down and is killed with
 * SIGKILL; started again on the same spool with the node up, it ships what it spooled, and the loss
 * is measured (module README, "Spool soak").
 */
class SpoolSoakTest {
  private static final Logger LOAD = LoggerFactory.getLogger("com.example.spool.Load");
  private static final String SERVICE = "spool-soak";
  private static final int RATE = 1000;

  /**
   * 60 s, the length the issue asks for; {@code -Dspool.soak.outage.seconds=N} for a quick look.
   */
  private static final Duration OUTAGE =
      Duration.ofSeconds(Long.getLong("spool.soak.outage.seconds", 60));

  private static final Duration SYNC_INTERVAL = Duration.ofSeconds(1);

  @TempDir Path dir;

  @Test
  void aSixtySecondOutageAndAKilledApplicationLoseNothingBeyondTheSyncInterval() throws Exception {
    try (OpenSearchProcess node = OpenSearchProcess.start()) {
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      long loggedBefore = LoggedEventCounter.logged();
      JsonLogging logging =
          JsonLogging.builder(SERVICE)
              .elasticsearch(node.uri())
              .config("elasticsearch.spool.dir", dir.resolve("spool-a").toString())
              .config("elasticsearch.spool.sync.interval", SYNC_INTERVAL.toMillis() + "ms")
              // 1 MiB of memory holds about 2,500 of these events (a stalled disk may hold up the
              // spool's writer for a moment); the outage spools 60,000 (about 25 MiB)
              .config("elasticsearch.queue.bytes", Integer.toString(1 << 20))
              .config("elasticsearch.flush.interval", "200ms")
              .config("elasticsearch.max.backoff", "1s")
              .meterRegistry(meters)
              .registerGlobal(false)
              .install();
      AtomicBoolean stop = new AtomicBoolean();
      CompletableFuture<Long> load = CompletableFuture.supplyAsync(() -> logAtRate(stop));
      Crash crash;
      long maxSpoolBytes;
      try {
        await("shipping works")
            .atMost(Duration.ofSeconds(30))
            .until(() -> logging.shippedEvents() > 0);

        long outageStart = System.nanoTime();
        node.stop();
        crash = crashedApplication(node);
        maxSpoolBytes = (long) meters.get("monitoring.log.spool").gauge().value();
        long left = outageStart + OUTAGE.toNanos() - System.nanoTime();
        // the outage has a fixed length by design: nothing to wait for but the clock
        TimeUnit.NANOSECONDS.sleep(Math.max(0, left));
        maxSpoolBytes =
            Math.max(maxSpoolBytes, (long) meters.get("monitoring.log.spool").gauge().value());
        assertThat(logging.droppedEvents()).as("dropped during the outage").isZero();
        node.restart();
        await("the shipper ships again")
            .atMost(Duration.ofSeconds(60))
            .until(() -> meters.get("monitoring.log.queue.size").gauge().value() < 1000);
      } finally {
        stop.set(true);
      }
      long loadEvents = load.get();
      await("the spool drained")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> meters.get("monitoring.log.queue.size").gauge().value() == 0);
      logging.close();
      long logged = LoggedEventCounter.logged() - loggedBefore;
      System.out.printf(
          "spool soak (a): indices: %s%n",
          node.request("GET", "/_cat/indices?expand_wildcards=all"));
      long documents = node.count(logging.dataStream());
      System.out.printf(
          "spool soak (a): outage %ds at %d events/s: load events=%d logged=%d shipped=%d"
              + " dropped=%d failed=%d documents=%d, largest spool=%.1f MiB%n",
          OUTAGE.toSeconds(),
          RATE,
          loadEvents,
          logged,
          logging.shippedEvents(),
          logging.droppedEvents(),
          logging.failedEvents(),
          documents,
          maxSpoolBytes / 1048576.0);
      assertThat(maxSpoolBytes).as("the outage went to the spool").isGreaterThan(2L << 20);
      assertThat(logging.droppedEvents()).as("dropped").isZero();
      assertThat(logging.failedEvents()).as("failed").isZero();
      assertThat(logging.shippedEvents()).as("shipped = logged").isEqualTo(logged);
      assertThat(documents).as("documents in %s = logged", logging.dataStream()).isEqualTo(logged);

      // (b) the killed application, started again on its spool with the node up
      String drained = drain(node, crash.spool());
      long crashDocuments =
          node.countQuery(
              drained.replaceAll(".*stream=(\\S+).*", "$1"),
              "{\"query\":{\"term\":{\"log.logger\":\"" + SpoolCrashApp.LOGGER + "\"}}}");
      long loss = crash.logged() - crashDocuments;
      long bound = RATE * SYNC_INTERVAL.toMillis() / 1000;
      System.out.printf(
          "spool soak (b): killed with SIGKILL after logging %d events (%d events/s, sync"
              + " interval %dms, node down); after the restart: %s; documents=%d, loss=%d"
              + " (bound %d)%n",
          crash.logged(), RATE, SYNC_INTERVAL.toMillis(), drained, crashDocuments, loss, bound);
      assertThat(crash.logged()).as("events logged before the kill").isGreaterThan(2 * RATE);
      // the count is written after each log call returns: the event in flight may be in the index
      assertThat(crashDocuments).as("documents").isLessThanOrEqualTo(crash.logged() + 1);
      assertThat(loss).as("events lost to the kill").isLessThanOrEqualTo(bound);
      assertThat(drained).contains("dropped=0").contains("failed=0");
    }
  }

  private static long logAtRate(AtomicBoolean stop) {
    long interval = 1_000_000_000L / RATE;
    long next = System.nanoTime();
    long n = 0;
    while (!stop.get()) {
      LOAD.info("soak event {} with some text to give the line a realistic length", ++n);
      next += interval;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
    }
    return n;
  }

  record Crash(Path spool, long logged) {}

  /** Runs {@link SpoolCrashApp} against the stopped node, kills it with SIGKILL mid-stream. */
  private Crash crashedApplication(OpenSearchProcess node) throws Exception {
    Path spool = dir.resolve("spool-b");
    Path countFile = dir.resolve("crash-count");
    Process app =
        child(
            "crash-log",
            "log",
            node.uri().toString(),
            spool.toString(),
            countFile.toString(),
            Integer.toString(RATE));
    await("the application logs with the node down")
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> count(countFile) >= 3 * RATE);
    app.destroyForcibly(); // SIGKILL on Linux
    assertThat(app.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(app.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    return new Crash(spool, count(countFile));
  }

  /** Starts the application again on {@code spool} with the node up; its counters at the end. */
  private String drain(OpenSearchProcess node, Path spool) throws Exception {
    Process app = child("crash-drain", "drain", node.uri().toString(), spool.toString());
    assertThat(app.waitFor(150, TimeUnit.SECONDS)).as("the drain run ends").isTrue();
    List<String> out = Files.readAllLines(dir.resolve("crash-drain.out"));
    assertThat(app.exitValue()).as("drain run: %s", out).isZero();
    return out.stream().filter(l -> l.startsWith("shipped=")).findFirst().orElse("(none) " + out);
  }

  private Process child(String name, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-cp",
            System.getProperty("java.class.path"),
            SpoolCrashApp.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".out").toFile())
        .start();
  }

  private static long count(Path countFile) throws IOException {
    if (!Files.exists(countFile) || Files.size(countFile) < 8) {
      return 0;
    }
    try (FileChannel in = FileChannel.open(countFile)) {
      ByteBuffer buffer = ByteBuffer.allocate(8);
      in.read(buffer, 0);
      return buffer.flip().getLong();
    }
  }
}
