package com.aicompanion.monitoring.internal.delivery;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM appends as fast as it can and syncs every 100 ms; it is killed with SIGKILL (what
 * {@code destroyForcibly} sends on Linux). Reopened here, the spool holds every record the child
 * reported as synced, and also every record it reported as appended: a killed process loses nothing
 * that reached the operating system. A machine crash (power loss) would lose what was appended
 * since the last sync; that cannot be produced in a test and is documented instead.
 */
class SpoolCrashTest {
  private static final int PAYLOAD = 200;

  @TempDir Path dir;

  @Test
  void aKilledProcessLosesNoRecordItAppended() throws Exception {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classpath,
                SpoolChildProcess.class.getName(),
                "append",
                dir.toString(),
                "100",
                Integer.toString(PAYLOAD))
            .redirectErrorStream(true)
            .start();
    AtomicLong synced = new AtomicLong();
    AtomicLong syncs = new AtomicLong();
    AtomicLong appended = new AtomicLong();
    AtomicReference<String> other = new AtomicReference<>();
    Thread lines =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  if (line.startsWith("synced ")) {
                    synced.set(Long.parseLong(line.substring(7)));
                    syncs.incrementAndGet();
                  } else if (line.startsWith("appended ")) {
                    appended.set(Long.parseLong(line.substring(9)));
                  } else if (!line.equals("open")) {
                    other.compareAndSet(null, line);
                  }
                }
              } catch (java.io.IOException e) {
                // the child is gone
              }
            },
            "child-output");
    lines.start();
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> syncs.get() >= 10 || !child.isAlive());
      assertThat(child.isAlive()).as("the child runs (it said: %s)", other.get()).isTrue();
      // kill between two syncs, once the child reports 5,000 records past the last one
      long mark = synced.get();
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> appended.get() >= mark + 5_000 || !child.isAlive());
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      lines.join(10_000);
    }
    assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    long lastSynced = synced.get();
    long lastReported = appended.get();

    long openStart = System.nanoTime();
    try (SpoolFiles.Warnings warnings = new SpoolFiles.Warnings();
        SegmentFileStore store = SegmentFileStore.open(dir, 1L << 30)) {
      System.out.printf(
          "reopening %d bytes of segments took %d ms%n",
          store.diskBytes(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - openStart));
      List<RecordStore.Record> all = store.peek(Integer.MAX_VALUE, Long.MAX_VALUE, Duration.ZERO);
      long n = 0;
      for (RecordStore.Record r : all) {
        n++;
        assertThat(r.sequence()).isEqualTo(n);
        assertThat(r.payload()).isEqualTo(SpoolChildProcess.payload(n, PAYLOAD));
      }
      assertThat(n).as("every synced record").isGreaterThanOrEqualTo(lastSynced);
      assertThat(n).as("every record reported appended").isGreaterThanOrEqualTo(lastReported);
      assertThat(store.corruptRecords()).isZero();
      // a record the kill interrupted in the middle of its write is cut, never half-returned
      assertThat(store.skippedBytes()).isLessThan(SpoolFormat.FRAME_HEADER + PAYLOAD);
      System.out.printf(
          "kill -9 after %d syncs: last synced record %d, last reported appended %d, found %d:"
              + " %d records appended after the last sync survived; skipped %d bytes%n",
          syncs.get(), lastSynced, lastReported, n, n - lastSynced, store.skippedBytes());
      System.out.println("warnings at reopen: " + warnings.lines());

      // the child stopped uncleanly: new sequences continue above the reserved block, never reused
      store.append(SpoolChildProcess.payload(0, 8));
      List<RecordStore.Record> after = store.peek(Integer.MAX_VALUE, Long.MAX_VALUE, Duration.ZERO);
      assertThat(after.get(after.size() - 1).sequence())
          .isGreaterThan(n)
          .isLessThanOrEqualTo(n + 2 * SegmentFileStore.RESERVATION);
    }
  }
}
