package com.aicompanion.monitoring.benchmarks.cost;

import com.aicompanion.monitoring.benchmarks.cost.ChatProcess.Mode;
import com.aicompanion.monitoring.testsupport.otlp.OtlpHttpReceiver;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * "What does monitoring cost my request?": the chat example under the same fixed load on loopback,
 * in one run, three ways: fully instrumented ({@link Mode#FULL}: HTTP server filter, spans exported
 * over OTLP to a live receiver, one JSON log line per request, LLM and HTTP metrics with {@code
 * /metrics} scraped every 15 s), with monitoring off ({@link Mode#OFF}), and un-instrumented under
 * the OpenTelemetry Java agent ({@link Mode#AGENT}, spans exported to the same receiver). For each:
 * the child JVM's CPU time per 1,000 requests (user + system, from the OS, warm-up excluded) and
 * the client-side p50/p99 latency.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar \
 *     com.aicompanion.monitoring.benchmarks.cost.RequestCost benchmarks/results/request-cost.json
 * }</pre>
 *
 * Options: {@code --quick} (short runs, to check the plumbing), {@code --rate=N} (requests/s,
 * default 400), {@code --rounds=N} (default 3; modes alternate within a round and the median round
 * is reported; with an even number, the mean of the middle two), {@code --warm-up=SECONDS} (default
 * 120: the JIT compiler is still busy after 60 s of the fully instrumented mode, whose request path
 * has the most code, and compiling is a one-time cost, not a per-request one; the JIT compiler's
 * share of the measured window is reported apart), {@code --measure=SECONDS} (default 30), {@code
 * --modes=off,full,agent} (which modes, in this order within a round; the added cost is reported
 * for a mode measured beside {@code off}), {@code --chat-jar=PATH}, {@code --agent=PATH}.
 */
public final class RequestCost {
  private static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(15);

  private RequestCost() {}

  public static void main(String[] args) throws Exception {
    run(Arrays.asList(args));
  }

  /** Runs the measurement and writes its JSON to the first argument; see the class comment. */
  public static void run(List<String> args) throws Exception {
    if (args.isEmpty()) {
      throw new IllegalArgumentException(
          "usage: RequestCost OUTPUT.json [--quick] [--rate=N] [--rounds=N] [--warm-up=S] [--measure=S]"
              + " [--modes=off,full,agent]"
              + " [--chat-jar=PATH]"
              + " [--agent=PATH]");
    }
    Path out = Path.of(args.get(0));
    boolean quick = args.contains("--quick");
    int rate = Integer.parseInt(option(args, "--rate", quick ? "100" : "400"));
    int rounds = Integer.parseInt(option(args, "--rounds", quick ? "1" : "3"));
    Duration warmUp =
        Duration.ofSeconds(Long.parseLong(option(args, "--warm-up", quick ? "4" : "120")));
    Duration measure =
        Duration.ofSeconds(Long.parseLong(option(args, "--measure", quick ? "4" : "30")));
    Path jar = Path.of(option(args, "--chat-jar", "examples/chat-service/target/chat-service.jar"));
    Path agent =
        Path.of(option(args, "--agent", "benchmarks/target/agent/opentelemetry-javaagent.jar"));
    for (Path required : List.of(jar, agent)) {
      if (!Files.isRegularFile(required)) {
        throw new IllegalStateException(
            required.toAbsolutePath()
                + " is missing: build it with ./mvnw -pl benchmarks -am package -DskipTests");
      }
    }
    Path logs = out.toAbsolutePath().getParent().resolve("request-cost-logs");
    Files.createDirectories(logs);

    Map<String, Object> result = new LinkedHashMap<>();
    result.put("date", Instant.now().toString());
    result.put("mode", quick ? "quick" : "full");
    result.put("machine", machine("load_before"));
    result.put("rate", rate);
    result.put("warm_up_seconds", warmUp.toSeconds());
    result.put("measure_seconds", measure.toSeconds());
    result.put("agent", agent.getFileName().toString());

    List<Mode> selected =
        Arrays.stream(option(args, "--modes", "off,full,agent").split(","))
            .map(name -> Mode.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT)))
            .toList();
    Map<Mode, List<Map<String, Object>>> runs = new LinkedHashMap<>();
    for (int round = 1; round <= rounds; round++) {
      for (Mode mode : selected) {
        Map<String, Object> run =
            measure(
                mode,
                jar,
                agent,
                rate,
                warmUp,
                measure,
                logs.resolve(mode.label() + "-" + round + ".log"));
        run.put("round", round);
        runs.computeIfAbsent(mode, m -> new ArrayList<>()).add(run);
      }
    }
    Map<String, Object> modes = new LinkedHashMap<>();
    for (Map.Entry<Mode, List<Map<String, Object>>> entry : runs.entrySet()) {
      Map<String, Object> summary = new LinkedHashMap<>();
      List<Map<String, Object>> list = entry.getValue();
      summary.put("cpu_ms_per_1000_requests", median(list, "cpu_ms_per_1000_requests"));
      for (String kind : ChatProcess.KINDS) {
        String key = kind + "_cpu_ms_per_1000_requests";
        if (list.stream().allMatch(run -> run.containsKey(key))) {
          summary.put(key, median(list, key));
        }
      }
      summary.put("p50_us", median(list, "p50_us"));
      summary.put("p99_us", median(list, "p99_us"));
      summary.put("runs", list);
      modes.put(entry.getKey().label(), summary);
    }
    result.put("modes", modes);
    Map<?, ?> offSummary = (Map<?, ?>) modes.get("off");
    for (String mode : List.of("full", "agent")) {
      if (offSummary == null || !modes.containsKey(mode)) {
        continue;
      }
      double off = (double) offSummary.get("cpu_ms_per_1000_requests");
      double cpu = (double) ((Map<?, ?>) modes.get(mode)).get("cpu_ms_per_1000_requests");
      // ms per 1,000 requests is us per request
      result.put(mode + "_added_cpu_us_per_request", cpu - off);
    }
    result.put("machine_after", machine("load_after"));
    Files.createDirectories(out.toAbsolutePath().getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), result);
  }

  private static Map<String, Object> measure(
      Mode mode, Path jar, Path agent, int rate, Duration warmUp, Duration measure, Path log)
      throws Exception {
    try (OtlpHttpReceiver receiver = OtlpHttpReceiver.start();
        ChatProcess chat = ChatProcess.start(mode, jar, agent, receiver.url(), log)) {
      ScheduledExecutorService scraper = Executors.newSingleThreadScheduledExecutor();
      AtomicLong scrapes = new AtomicLong();
      if (chat.metrics() != null) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest scrape = HttpRequest.newBuilder(chat.metrics()).build();
        scraper.scheduleAtFixedRate(
            () -> {
              try {
                if (http.send(scrape, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                  scrapes.incrementAndGet();
                }
              } catch (Exception e) {
                // a failed scrape shows as a low count in the result
              }
            },
            0,
            SCRAPE_INTERVAL.toMillis(),
            TimeUnit.MILLISECONDS);
      }
      try {
        FixedRateLoad load = new FixedRateLoad(chat.base());
        FixedRateLoad.Result warm = load.run(rate, warmUp);
        Duration cpuBefore = chat.cpu();
        Map<String, Duration> kindsBefore = chat.cpuByKind();
        FixedRateLoad.Result measured = load.run(rate, measure);
        Duration cpu = chat.cpu().minus(cpuBefore);
        Map<String, Duration> kindsAfter = chat.cpuByKind();
        long sent = warm.requests() + measured.requests();
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("requests", measured.requests());
        run.put("failed", measured.failed());
        run.put("non_2xx", measured.non2xx());
        run.put("overloaded", measured.overloaded());
        run.put("cpu_ms", cpu.toNanos() / 1e6);
        run.put(
            "cpu_ms_per_1000_requests",
            measured.requests() == 0 ? -1.0 : cpu.toNanos() / 1e6 / measured.requests() * 1_000);
        for (Map.Entry<String, Duration> kind : kindsAfter.entrySet()) {
          Duration before = kindsBefore.getOrDefault(kind.getKey(), Duration.ZERO);
          double ms = kind.getValue().minus(before).toNanos() / 1e6;
          run.put(
              kind.getKey() + "_cpu_ms_per_1000_requests",
              measured.requests() == 0 ? -1.0 : ms / measured.requests() * 1_000);
        }
        run.put("p50_us", (double) measured.p50Micros());
        run.put("p99_us", (double) measured.p99Micros());
        // spans leave in batches: give the last ones up to 10 s (a SERVER span per request at
        // least)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (mode != Mode.OFF
            && receiver.spans.all().size() < sent
            && System.nanoTime() < deadline) {
          TimeUnit.MILLISECONDS.sleep(100);
        }
        run.put("requests_with_warm_up", sent);
        run.put("spans_received", receiver.spans.all().size());
        run.put("scrapes", scrapes.get());
        return run;
      } finally {
        scraper.shutdownNow();
      }
    }
  }

  private static double median(List<Map<String, Object>> runs, String key) {
    double[] values =
        runs.stream().mapToDouble(run -> ((Number) run.get(key)).doubleValue()).sorted().toArray();
    int mid = values.length / 2;
    // an even number of rounds: the mean of the middle two
    return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  }

  private static Map<String, Object> machine(String key) {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("cores", os.getAvailableProcessors());
    machine.put(key, os.getSystemLoadAverage());
    return machine;
  }

  private static String option(List<String> args, String name, String fallback) {
    return args.stream()
        .filter(arg -> arg.startsWith(name + "="))
        .map(arg -> arg.substring(name.length() + 1))
        .findFirst()
        .orElse(fallback);
  }
}
