package com.aicompanion.monitoring.benchmarks.core;

import com.aicompanion.monitoring.internal.delivery.RecordStore;
import com.aicompanion.monitoring.internal.delivery.SegmentFileStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The disk spool's append path with a reader draining it on another thread, as the delivery
 * component runs it: {@code append} of a ~600-byte ECS log line, and the spool forced to disk every
 * {@code sync} interval ({@code none}: never, the page cache only; {@code each}: after every
 * record, to show what a per-record fsync would cost). {@code append} is the number; {@code drain}
 * (peek 500 + ack) only keeps the spool from filling, and {@code dropped} counts appends refused at
 * the 1 GiB bound (0 when the reader keeps up).
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar SpoolAppendBenchmark -f 1 -wi 2 -i 3
 * }</pre>
 *
 * <p>The spool lives in the system temporary directory; its disk decides the fsync figures.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class SpoolAppendBenchmark {
  private static final byte[] RECORD = ecsLine();

  @Param({"none", "1000ms", "100ms", "10ms", "each"})
  public String sync;

  private Path dir;
  private SegmentFileStore store;
  private long syncNanos;
  private long lastSync;

  /** Appends refused at the bound, per second. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Outcome {
    public long dropped;
  }

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("spool-bench");
    store = SegmentFileStore.open(dir, 1L << 30);
    syncNanos =
        switch (sync) {
          case "none" -> -1;
          case "each" -> 0;
          default -> TimeUnit.MILLISECONDS.toNanos(Long.parseLong(sync.replace("ms", "")));
        };
    lastSync = System.nanoTime();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Benchmark
  @Group("spool")
  @GroupThreads(1)
  public boolean append(Outcome outcome) throws IOException {
    boolean stored = store.append(RECORD);
    if (!stored) {
      outcome.dropped++;
    }
    if (syncNanos >= 0) {
      long now = System.nanoTime();
      if (now - lastSync >= syncNanos) {
        store.sync();
        lastSync = now;
      }
    }
    return stored;
  }

  @Benchmark
  @Group("spool")
  @GroupThreads(1)
  public int drain() throws IOException, InterruptedException {
    List<RecordStore.Record> batch = store.peek(500, 5 << 20, Duration.ofMillis(10));
    if (!batch.isEmpty()) {
      store.ack(batch.get(batch.size() - 1));
    }
    return batch.size();
  }

  private static byte[] ecsLine() {
    StringBuilder line =
        new StringBuilder(
            "{\"@timestamp\":\"2026-11-29T13:56:01.123Z\",\"log.level\":\"INFO\",\"message\":"
                + "\"answered conversation c-1842 in 840 ms\",\"ecs.version\":\"8.11\","
                + "\"service.name\":\"ai-companion\",\"service.version\":\"1.4.2\","
                + "\"service.environment\":\"prod\",\"event.dataset\":\"ai-companion.log\","
                + "\"log.logger\":\"com.example.chat.ChatService\",\"process.thread.name\":"
                + "\"http-nio-8080-exec-7\",\"host.hostname\":\"chat-7d9f8c6b5-x2k4q\","
                + "\"trace.id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"span.id\":\"00f067aa0ba902b7\","
                + "\"labels.conversation_id\":\"c-1842\",\"labels.model\":\"gpt-4o\"}");
    while (line.length() < 600) {
      line.insert(line.length() - 1, " ");
    }
    return line.toString().getBytes(StandardCharsets.UTF_8);
  }
}
