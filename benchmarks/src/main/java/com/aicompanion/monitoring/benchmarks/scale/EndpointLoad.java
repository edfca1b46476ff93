package com.aicompanion.monitoring.benchmarks.scale;

import com.aicompanion.monitoring.Monitor;
import com.aicompanion.monitoring.Monitoring;
import com.aicompanion.monitoring.health.CheckOptions;
import com.aicompanion.monitoring.health.CheckResult;
import com.aicompanion.monitoring.health.HealthRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code wrk} (Debian package {@code wrk}) against {@code /metrics} (10k series) and {@code
 * /health} of a real {@code Monitoring} on loopback, while recorder threads call the facade as fast
 * as they can. Reports wrk's requests/s, latency percentiles, errors (non-2xx, socket errors), and
 * the recorders' operations per second with and without the load.
 *
 * <pre>{@code
 * List<Map<String, Object>> rows = new EndpointLoad(50, Duration.ofSeconds(30), 1).run();
 * }</pre>
 */
final class EndpointLoad {
  private static final Pattern LATENCY =
      Pattern.compile("^\\s+(50|75|90|99)%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);
  private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");
  private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
  private static final Pattern SOCKET =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private final int connections;
  private final Duration duration;
  private final int recorders;

  EndpointLoad(int connections, Duration duration, int recorders) {
    this.connections = connections;
    this.duration = duration;
    this.recorders = recorders;
  }

  List<Map<String, Object>> run() throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Monitoring monitoring = ScrapeScale.startMonitoring(10_000)) {
      Monitor monitor = monitoring.monitor();
      List<Map<String, String>> labels = ScrapeScale.populate(monitor, 10_000);
      HealthRegistry health = monitoring.get(HealthRegistry.class);
      for (int i = 0; i < 10; i++) {
        health.register("check-" + i, CheckResult::pass, CheckOptions.critical());
      }
      String base = "http://127.0.0.1:" + monitoring.metricsAddress().getPort();
      Duration baseline = duration.dividedBy(3);
      // Untimed first round, so that the baseline is measured on compiled code.
      recordWhile(monitor, labels, () -> sleep(baseline), baseline);
      Rate idle = recordWhile(monitor, labels, () -> sleep(baseline), baseline);
      for (String path : List.of("/metrics", "/health")) {
        String[] output = new String[1];
        Rate loaded = recordWhile(monitor, labels, () -> output[0] = wrk(base + path), duration);
        Map<String, Object> row = parse(output[0]);
        row.put("path", path);
        row.put("connections", connections);
        row.put("seconds", duration.toSeconds());
        row.put("recorder_threads", recorders);
        row.put("recording_ops_per_s_idle", idle.opsPerSecond());
        row.put("recording_ops_per_s_loaded", loaded.opsPerSecond());
        row.put("recording_drop", 1 - loaded.opsPerSecond() / idle.opsPerSecond());
        row.put("recorder_cpu_share_idle", idle.cpuShare());
        row.put("recorder_cpu_share_loaded", loaded.cpuShare());
        row.put("recording_ops_per_cpu_s_idle", idle.opsPerCpuSecond());
        row.put("recording_ops_per_cpu_s_loaded", loaded.opsPerCpuSecond());
        rows.add(row);
      }
    }
    return rows;
  }

  /** Runs the recorders while {@code load} runs; their operations per second. */
  /**
   * Recorder operations per wall second, and the share of wall time the recorders were on a CPU.
   */
  record Rate(double opsPerSecond, double cpuShare, double opsPerCpuSecond) {}

  private Rate recordWhile(
      Monitor monitor, List<Map<String, String>> labels, Runnable load, Duration expected)
      throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    LongAdder ops = new LongAdder();
    LongAdder cpuNanos = new LongAdder();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < recorders; t++) {
      Thread thread =
          new Thread(
              () -> {
                long n = 0;
                int i = 0;
                while (!stop.get()) {
                  monitor.incrementCounter(ScrapeScale.name(i), labels.get(i));
                  monitor.http().record("GET", "/chat", 200, 1_000_000, TimeUnit.NANOSECONDS);
                  i = i + 1 == labels.size() ? 0 : i + 1;
                  n += 2;
                }
                ops.add(n);
                cpuNanos.add(THREADS.getCurrentThreadCpuTime());
              },
              "recorder-" + t);
      threads.add(thread);
    }
    long start = System.nanoTime();
    threads.forEach(Thread::start);
    load.run();
    stop.set(true);
    for (Thread thread : threads) {
      thread.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (seconds < expected.toSeconds() * 0.9) {
      throw new IllegalStateException("load ended after " + seconds + " s, expected " + expected);
    }
    double cpuSeconds = cpuNanos.sum() / 1e9;
    return new Rate(
        ops.sum() / seconds, cpuSeconds / (seconds * recorders), ops.sum() / cpuSeconds);
  }

  private String wrk(String url) {
    try {
      Process process =
          new ProcessBuilder(
                  "wrk",
                  "-t2",
                  "-c" + connections,
                  "-d" + duration.toSeconds() + "s",
                  "--timeout",
                  "10s",
                  "--latency",
                  url)
              .redirectErrorStream(true)
              .start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS)
          || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException("wrk failed on " + url + ":\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run wrk (Debian package wrk: apt-get install wrk): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Map<String, Object> parse(String out) {
    Map<String, Object> row = new LinkedHashMap<>();
    Matcher latency = LATENCY.matcher(out);
    while (latency.find()) {
      double value = Double.parseDouble(latency.group(2));
      double ms =
          switch (latency.group(3)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
          };
      row.put("p" + latency.group(1) + "_ms", ms);
    }
    row.put("requests", find(REQUESTS, out, 1));
    Matcher rate = RATE.matcher(out);
    row.put("requests_per_s", rate.find() ? Double.parseDouble(rate.group(1)) : 0.0);
    row.put("non_2xx", find(NON_2XX, out, 1));
    Matcher socket = SOCKET.matcher(out);
    long socketErrors = 0;
    if (socket.find()) {
      for (int g = 1; g <= 4; g++) {
        socketErrors += Long.parseLong(socket.group(g));
      }
    }
    row.put("socket_errors", socketErrors);
    if (!row.containsKey("p99_ms")) {
      throw new IllegalStateException("no latency distribution in wrk's output:\n" + out);
    }
    return row;
  }

  private static long find(Pattern pattern, String text, int group) {
    Matcher m = pattern.matcher(text);
    return m.find() ? Long.parseLong(m.group(group)) : 0;
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
