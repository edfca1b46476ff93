package com.aicompanion.monitoring.benchmarks.cost;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The chat example in a child JVM, started from its runnable jar in one of the measured modes, with
 * its standard output and error going to a file (the console is part of what a log line costs).
 *
 * <pre>{@code
 * try (ChatProcess chat = ChatProcess.start(Mode.FULL, jar, agent, receiverUrl, log)) {
 *   Duration cpu = chat.cpu();
 * }
 * }</pre>
 */
final class ChatProcess implements AutoCloseable {
  /** How the same application runs. */
  enum Mode {
    /** {@code CHAT_MONITORING=off}: the library is not started, nothing is instrumented. */
    OFF,
    /** As shipped: every module, spans exported over OTLP, JSON log lines, {@code /metrics}. */
    FULL,
    /** {@code OFF} plus the OpenTelemetry Java agent exporting spans over OTLP. */
    AGENT;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final Process process;
  private final URI base;
  private final URI metrics;
  private final Thread reaper;

  private ChatProcess(Process process, URI base, URI metrics) {
    this.process = process;
    this.base = base;
    this.metrics = metrics;
    this.reaper = new Thread(process::destroyForcibly, "chat-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /**
   * Starts the chat example from {@code jar} in {@code mode} and waits (up to 120 s) until its API
   * answers. The simulated LLM answers at once (no first-token or per-token delay, no errors), so
   * the request's own work and its monitoring are what the CPU figures hold.
   *
   * @param agent the OpenTelemetry Java agent's jar, used in {@link Mode#AGENT} only
   * @param otlp the OTLP/HTTP receiver's base URL, for the library and the agent alike
   * @throws IllegalStateException when the child dies or does not answer in time (with its log's
   *     tail)
   */
  static ChatProcess start(Mode mode, Path jar, Path agent, URI otlp, Path log)
      throws IOException, InterruptedException {
    int port = freePort();
    int metricsPort = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xms256m");
    command.add("-Xmx256m");
    if (mode == Mode.AGENT) {
      command.add("-javaagent:" + agent.toAbsolutePath());
    }
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(key -> key.startsWith("OTEL_") || key.startsWith("MONITORING_"));
    env.put("CHAT_PORT", Integer.toString(port));
    env.put("CHAT_SIM_FIRST_TOKEN_MS", "0");
    env.put("CHAT_SIM_PER_TOKEN_MS", "0");
    env.put("CHAT_SIM_ERROR_RATE", "0");
    env.put("MONITORING_METRICS_PORT", Integer.toString(metricsPort));
    env.put("MONITORING_ENVIRONMENT", "benchmark");
    env.put("OTEL_SERVICE_NAME", "ai-companion");
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.toString());
    env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
    if (mode != Mode.FULL) {
      env.put("CHAT_MONITORING", "off");
    }
    if (mode == Mode.AGENT) {
      // the agent's spans only, as the library exports spans over OTLP and serves metrics by scrape
      env.put("OTEL_METRICS_EXPORTER", "none");
      env.put("OTEL_LOGS_EXPORTER", "none");
    }
    Files.createDirectories(log.toAbsolutePath().getParent());
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    ChatProcess chat =
        new ChatProcess(
            builder.start(),
            URI.create("http://127.0.0.1:" + port + "/"),
            mode == Mode.FULL ? URI.create("http://127.0.0.1:" + metricsPort + "/metrics") : null);
    chat.awaitReady(log);
    return chat;
  }

  /** The chat API's base URL, e.g. {@code http://127.0.0.1:PORT/}. */
  URI base() {
    return base;
  }

  /** The child's {@code /metrics} endpoint in {@link Mode#FULL}, otherwise null. */
  URI metrics() {
    return metrics;
  }

  /** CPU time (user and system) the child used so far, from the operating system. */
  Duration cpu() {
    return process
        .info()
        .totalCpuDuration()
        .orElseThrow(() -> new IllegalStateException("the OS does not report the child's CPU"));
  }

  long pid() {
    return process.pid();
  }

  /** One live thread of the child: its kind ({@link #threadKind}) and the CPU it used so far. */
  record ThreadCpu(String kind, Duration cpu) {}

  /**
   * CPU time (user and system) each live thread of the child used so far, by thread id, read from
   * {@code /proc/<pid>/task/<tid>/stat}. Empty where {@code /proc} is not readable.
   */
  Map<String, ThreadCpu> threads() {
    Map<String, ThreadCpu> threads = new java.util.HashMap<>();
    Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
    long ticksPerSecond = 100; // USER_HZ on Linux
    try (var list = Files.list(tasks)) {
      for (Path task : (Iterable<Path>) list::iterator) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException ended) {
          continue;
        }
        // pid (comm) state ppid ... : comm may hold blanks and parentheses, fields follow the last
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        String name = stat.substring(open + 1, close);
        String[] fields = stat.substring(close + 2).split(" ");
        // after comm: field 3 is state (index 0), utime is field 14 (index 11), stime 15 (index 12)
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        threads.put(
            task.getFileName().toString(),
            new ThreadCpu(threadKind(name), Duration.ofMillis(ticks * 1000 / ticksPerSecond)));
      }
    } catch (IOException | RuntimeException unreadable) {
      return Map.of();
    }
    return threads;
  }

  /**
   * The CPU the child's threads used between two {@link #threads()} snapshots, by kind: a thread
   * alive at both counts what it used in between (under its kind at the second snapshot), a thread
   * started in between all it used (also one whose id the system gave again); a thread that ended
   * in between is missing (its CPU since {@code before} is not known), so the sum may be below the
   * process's CPU, never a kind below zero. Every kind is present.
   */
  static Map<String, Duration> byKind(Map<String, ThreadCpu> before, Map<String, ThreadCpu> after) {
    Map<String, Duration> kinds = new java.util.TreeMap<>();
    KINDS.forEach(kind -> kinds.put(kind, Duration.ZERO));
    after.forEach(
        (tid, now) -> {
          ThreadCpu then = before.get(tid);
          // less CPU than before under the same id: a new thread the system gave that id again,
          // all of its CPU is new; otherwise what it used since, under its kind now (a thread
          // renamed in between moves to its new kind with its CPU since, not its whole life's)
          Duration used =
              then == null || now.cpu().compareTo(then.cpu()) < 0
                  ? now.cpu()
                  : now.cpu().minus(then.cpu());
          kinds.merge(now.kind(), used, Duration::plus);
        });
    return kinds;
  }

  /** The kinds of {@link #threadKind}, in report order. */
  static final List<String> KINDS =
      List.of("request", "console", "spans", "metrics", "jit", "gc", "other");

  /**
   * The kind of a thread of the chat example by its name, as {@code /proc} shows it (15
   * characters): {@code request} (the JDK server's dispatcher and the example's request threads),
   * {@code console} (the library's console writer), {@code spans} (the span export threads: the
   * SDK's batch processor, the library's export thread, the OTLP sender's OkHttp threads, the
   * agent's alike), {@code metrics} (the {@code /metrics} server and the Prometheus client's
   * scheduler), {@code jit} (the JIT compiler threads), {@code gc} (the garbage collector's threads
   * and the VM thread that runs its pauses) and {@code other} (everything else).
   */
  static String threadKind(String name) {
    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
      return "jit";
    }
    if (name.startsWith("GC Thread")
        || name.startsWith("G1 ")
        || name.equals("VM Thread")
        || name.startsWith("VM Periodic")) {
      return "gc";
    }
    if (name.startsWith("chat-http") || name.equals("HTTP-Dispatcher")) {
      return "request";
    }
    if (name.startsWith("AsyncAppender-W")) {
      return "console";
    }
    if (name.startsWith("BatchSpanProces")
        || name.startsWith("monitoring-span")
        || name.startsWith("okhttp")
        || name.startsWith("OkHttp")
        || name.startsWith("Okio")) {
      return "spans";
    }
    if (name.startsWith("monitoring-http") || name.startsWith("prometheus-metr")) {
      return "metrics";
    }
    return "other";
  }

  private void awaitReady(Path log) throws InterruptedException, IOException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    HttpRequest probe =
        HttpRequest.newBuilder(base.resolve("conversations/ready-probe"))
            .timeout(Duration.ofSeconds(2))
            .build();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the chat example exited with " + process.exitValue() + ":\n" + tail(log));
      }
      try {
        int status = http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status == 404 || status == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    close();
    throw new IllegalStateException(
        "the chat example did not answer within " + START_TIMEOUT + ":\n" + tail(log));
  }

  static String tail(Path log) throws IOException {
    if (!Files.isRegularFile(log)) {
      return "(no log)";
    }
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
  }
}
