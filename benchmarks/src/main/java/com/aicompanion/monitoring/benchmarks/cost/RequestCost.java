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
import org.openjdk.jmh.util.ListStatistics;

/**
 * "What does monitoring cost my request?": the chat example under the same fixed load on loopback,
 * in one run, three ways: fully instrumented ({@link Mode#FULL}: HTTP server filter, spans exported
 * over OTLP to a live receiver, one JSON log line per request, LLM and HTTP metrics with {@code
 * /metrics} scraped every 15 s), with monitoring off ({@link Mode#OFF}), and un-instrumented under
 * the OpenTelemetry Java agent ({@link Mode#AGENT}, spans exported to a receiver of its own). For
 * each: the child JVM's CPU time per 1,000 requests (user + system, from the OS, warm-up excluded),
 * where it went by kind of thread, and the client-side p50/p99 latency.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar \
 *     com.aicompanion.monitoring.benchmarks.cost.RequestCost benchmarks/results/request-cost.json
 * }</pre>
 *
 * <p>The three children run side by side and are measured in turns: the load goes to one child at a
 * time for a slice of {@code --slice} seconds, the modes taking turns, first to warm them up until
 * each had {@code --warm-up} seconds, then measured (a different mode first in each cycle) until
 * each had {@code --measure} seconds. A machine whose speed drifts (a shared or virtual host: the
 * same mode measured 740 and 940 us per request in two rounds two minutes apart) then slows all
 * modes alike, and the difference to {@code off} is also given cycle by cycle, between slices
 * seconds apart, with its spread. Each child's CPU is read, for all at once, at every boundary
 * between slices, and two ways of counting are given:
 *
 * <ul>
 *   <li><b>at a steady rate</b> ({@code steady_*}, the figure the goals are judged on): each slice,
 *       plus the window after it (the export of its last spans, which leave in batches up to 5 s
 *       later) less the child's idle work in that window, at the idle rate measured with all
 *       children idle for a scrape interval (15 s) before the first and after the last slices
 *       ({@link SteadyRate});
 *   <li><b>over whole cycles</b>: everything the child did from a cycle's start to its end (its
 *       slices, their export and its work while the others have the load), over the requests of its
 *       slice: this counts a service's per-second background work once per child of the run.
 * </ul>
 *
 * After the last slices all children idle 6 s, so that their last spans have left.
 *
 * <p>Options: {@code --quick} (short runs, to check the plumbing), {@code --rate=N} (requests/s,
 * default 400), {@code --warm-up=SECONDS} (per child, default 120: the JIT compiler is still busy
 * after 60 s of the fully instrumented mode, whose request path has the most code, and compiling is
 * a one-time cost, not a per-request one; the JIT compiler's share of the measured slices is
 * reported apart), {@code --measure=SECONDS} (per child, default 60), {@code --slice=SECONDS}
 * (default 10), {@code --modes=off,full,agent} (which modes; the added cost is reported for a mode
 * measured beside {@code off}), {@code --chat-jar=PATH}, {@code --agent=PATH}.
 */
public final class RequestCost {
  private static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(15);

  /** After the last slices: the batch processor's schedule delay (5 s) and a second. */
  private static final Duration SETTLE = Duration.ofSeconds(6);

  private RequestCost() {}

  public static void main(String[] args) throws Exception {
    run(Arrays.asList(args));
  }

  /** Runs the measurement and writes its JSON to the first argument; see the class comment. */
  public static void run(List<String> args) throws Exception {
    if (args.isEmpty()) {
      throw new IllegalArgumentException(
          "usage: RequestCost OUTPUT.json [--quick] [--rate=N] [--warm-up=S] [--measure=S] [--slice=S]"
              + " [--modes=off,full,agent]"
              + " [--chat-jar=PATH]"
              + " [--agent=PATH]");
    }
    Path out = Path.of(args.get(0));
    boolean quick = args.contains("--quick");
    int rate = Integer.parseInt(option(args, "--rate", quick ? "100" : "400"));
    Duration warmUp =
        Duration.ofSeconds(Long.parseLong(option(args, "--warm-up", quick ? "4" : "120")));
    Duration measure =
        Duration.ofSeconds(Long.parseLong(option(args, "--measure", quick ? "4" : "60")));
    Duration slice =
        Duration.ofSeconds(Long.parseLong(option(args, "--slice", quick ? "2" : "10")));
    // each idle window holds one scrape in the full run
    Duration idle = quick ? slice : SCRAPE_INTERVAL;
    if (rate < 1 || slice.isZero() || slice.isNegative() || measure.isNegative()) {
      throw new IllegalArgumentException(
          "--rate and --slice must be positive and --measure not negative (given --rate="
              + rate
              + ", --slice="
              + slice.toSeconds()
              + ", --measure="
              + measure.toSeconds()
              + "): e.g. --rate=400 --slice=10 --measure=60");
    }
    List<Mode> selected =
        Arrays.stream(option(args, "--modes", "off,full,agent").split(","))
            .map(name -> Mode.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT)))
            .toList();
    Path jar = Path.of(option(args, "--chat-jar", "examples/chat-service/target/chat-service.jar"));
    Path agent =
        Path.of(option(args, "--agent", "benchmarks/target/agent/opentelemetry-javaagent.jar"));
    // the agent's jar only where the agent runs
    for (Path required : selected.contains(Mode.AGENT) ? List.of(jar, agent) : List.of(jar)) {
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

    result.put("slice_seconds", slice.toSeconds());
    List<Child> children = new ArrayList<>();
    ScheduledExecutorService scraper = Executors.newSingleThreadScheduledExecutor();
    try {
      for (Mode mode : selected) {
        children.add(Child.start(mode, jar, agent, logs.resolve(mode.label() + ".log")));
      }
      for (Child child : children) {
        child.scrapeEvery(scraper, SCRAPE_INTERVAL);
      }
      // warmed up in turns too: a child left idle for a minute answered its next slice at a p50
      // of 12 ms instead of 1.5 ms (the same CPU per request)
      long warmUpSlices = Math.max(1, warmUp.toSeconds() / Math.max(1, slice.toSeconds()));
      for (long i = 0; i < warmUpSlices; i++) {
        for (Child child : children) {
          child.load.run(rate, warmUp.dividedBy(warmUpSlices));
        }
      }
      int cycles = (int) Math.max(1, measure.toSeconds() / Math.max(1, slice.toSeconds()));
      // whole slices: what was measured, which --measure rounds down (at least one slice)
      result.put("measure_seconds", cycles * slice.toSeconds());
      result.put("idle_seconds", 2 * idle.toSeconds());
      List<Map<String, Object>> byCycle = new ArrayList<>();
      // every child's CPU is read for all at once at every boundary between windows (slices,
      // settling, idle). Whole cycles: everything a child does from a cycle's start to its end
      // counts (its slices, the export of their spans, in batches up to 5 s later, and its work
      // while the others have the load). Steady rate (SteadyRate): each slice and the window
      // after it, less the child's idle work in that window, from the idle windows at both ends.
      List<SteadyRate.Window> windows = new ArrayList<>();
      TimeUnit.MILLISECONDS.sleep(SETTLE.toMillis()); // the warm-up's last spans leave
      readAll(children);
      TimeUnit.MILLISECONDS.sleep(idle.toMillis());
      windows.add(SteadyRate.Window.idle());
      readAll(children);
      for (Child child : children) {
        child.mark();
      }
      for (int cycle = 0; cycle < cycles; cycle++) {
        // a different mode first in each cycle, so that none always follows the same one
        for (int i = 0; i < children.size(); i++) {
          int owner = (cycle + i) % children.size();
          long answered = children.get(owner).slice(rate, slice);
          windows.add(SteadyRate.Window.slice(owner, cycle + 1, answered));
          readAll(children);
        }
        if (cycle == cycles - 1) {
          // the last slices' spans leave within the batch processor's delay (5 s): all children
          // idle alike meanwhile
          TimeUnit.MILLISECONDS.sleep(SETTLE.toMillis());
          windows.add(SteadyRate.Window.settle());
          readAll(children);
        }
        Map<String, Object> costs = new LinkedHashMap<>();
        for (Child child : children) {
          costs.put(child.mode.label(), child.endCycle());
        }
        costs.put("cycle", cycle + 1);
        byCycle.add(costs);
      }
      TimeUnit.MILLISECONDS.sleep(idle.toMillis());
      windows.add(SteadyRate.Window.idle());
      readAll(children);
      for (int i = 0; i < children.size(); i++) {
        children.get(i).steady = SteadyRate.of(windows, children.get(i).readings, i);
      }
      for (Map<String, Object> costs : byCycle) {
        Map<String, Object> steady = new LinkedHashMap<>();
        int cycle = (int) costs.get("cycle");
        for (Child child : children) {
          steady.put(child.mode.label(), child.steady.usPerRequestByCycle().get(cycle - 1));
        }
        costs.put("steady", steady);
      }
      Map<String, Object> modes = new LinkedHashMap<>();
      for (Child child : children) {
        modes.put(child.mode.label(), child.summary());
      }
      result.put("modes", modes);
      result.put("cycles", byCycle);
      Map<?, ?> offSummary = (Map<?, ?>) modes.get("off");
      for (String mode : List.of("full", "agent")) {
        if (offSummary == null || !modes.containsKey(mode)) {
          continue;
        }
        Map<?, ?> summary = (Map<?, ?>) modes.get(mode);
        // ms per 1,000 requests is us per request; over whole cycles, then at a steady rate
        for (String count : List.of("", "steady_")) {
          String key = count + "cpu_ms_per_1000_requests";
          String added = mode + (count.isEmpty() ? "" : "_steady") + "_added_cpu_us_per_request";
          double cpu = (double) summary.get(key);
          double off = (double) offSummary.get(key);
          if (cpu < 0 || off < 0) {
            continue; // a mode that answered no request (-1) has no cost to compare
          }
          result.put(added, cpu - off);
          // the same difference within each cycle, where the two slices ran seconds apart
          result.put(
              added + "_by_cycle",
              spread(
                  byCycle.stream()
                      .map(c -> count.isEmpty() ? c : (Map<?, ?>) c.get("steady"))
                      .mapToDouble(c -> (double) c.get(mode) - (double) c.get("off"))
                      .toArray()));
        }
      }
    } finally {
      scraper.shutdownNow();
      for (Child child : children) {
        child.close();
      }
    }
    result.put("machine_after", machine("load_after"));
    Files.createDirectories(out.toAbsolutePath().getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), result);
  }

  /**
   * One child JVM of the run, its receiver and its load, and what its measured slices added up to.
   */
  private static final class Child implements AutoCloseable {
    final Mode mode;
    final OtlpHttpReceiver receiver;
    final ChatProcess chat;
    final FixedRateLoad load;
    final AtomicLong scrapes = new AtomicLong();
    long requests;
    long failed;
    long non2xx;
    boolean overloaded;
    Duration cpu = Duration.ZERO;
    final Map<String, Duration> kinds = new LinkedHashMap<>();
    final List<long[]> latencies = new ArrayList<>();

    /** The reading the current cycle began with. */
    private SteadyRate.Reading cycleStart;

    /** The child's CPU at every boundary between windows of the measured part. */
    final List<SteadyRate.Reading> readings = new ArrayList<>();

    /** The steady-rate figures, once the run ended. */
    SteadyRate.Result steady;

    /** Requests of this child's slice in the current cycle. */
    private long cycleRequests;

    private Child(Mode mode, OtlpHttpReceiver receiver, ChatProcess chat) {
      this.mode = mode;
      this.receiver = receiver;
      this.chat = chat;
      this.load = new FixedRateLoad(chat.base());
    }

    static Child start(Mode mode, Path jar, Path agent, Path log) throws Exception {
      OtlpHttpReceiver receiver = OtlpHttpReceiver.startCounting();
      try {
        return new Child(mode, receiver, ChatProcess.start(mode, jar, agent, receiver.url(), log));
      } catch (Exception | Error e) {
        receiver.close();
        throw e;
      }
    }

    /** Scrapes {@code /metrics} at {@code interval} where the child serves it. */
    void scrapeEvery(ScheduledExecutorService scraper, Duration interval) {
      if (chat.metrics() == null) {
        return;
      }
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
          interval.toMillis(),
          TimeUnit.MILLISECONDS);
    }

    /** Reads the child's CPU, and each thread's, at a boundary between windows. */
    void read() {
      readings.add(new SteadyRate.Reading(System.nanoTime(), chat.cpu(), chat.threads()));
    }

    /** Takes the last boundary's reading as the start of a cycle. */
    void mark() {
      cycleStart = readings.get(readings.size() - 1);
    }

    /**
     * This child's slice of a cycle: the load for {@code length}; returns the requests answered.
     */
    long slice(int rate, Duration length) throws InterruptedException {
      FixedRateLoad.Result measured = load.run(rate, length);
      cycleRequests = measured.requests();
      requests += measured.requests();
      failed += measured.failed();
      non2xx += measured.non2xx();
      overloaded |= measured.overloaded();
      latencies.add(measured.answeredMicros());
      return measured.requests();
    }

    /**
     * Ends the cycle: the CPU the child used since {@link #mark()} (its slice, the export after it,
     * its work while the others had the load) per 1,000 requests of its slice; marks the next.
     */
    double endCycle() {
      SteadyRate.Reading last = readings.get(readings.size() - 1);
      Duration used = last.cpu().minus(cycleStart.cpu());
      cpu = cpu.plus(used);
      ChatProcess.byKind(cycleStart.threads(), last.threads())
          .forEach((kind, d) -> kinds.merge(kind, d, Duration::plus));
      cycleStart = last;
      return cycleRequests == 0 ? -1.0 : used.toNanos() / 1e6 / cycleRequests * 1_000;
    }

    Map<String, Object> summary() {
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("requests", requests);
      summary.put("failed", failed);
      summary.put("non_2xx", non2xx);
      summary.put("overloaded", overloaded);
      summary.put("cpu_ms", cpu.toNanos() / 1e6);
      summary.put("cpu_ms_per_1000_requests", perThousand(cpu));
      for (String kind : ChatProcess.KINDS) {
        summary.put(
            kind + "_cpu_ms_per_1000_requests",
            perThousand(kinds.getOrDefault(kind, Duration.ZERO)));
      }
      long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
      if (steady != null) {
        summary.put("steady_cpu_ms_per_1000_requests", steady.cpuUsPerRequest());
        for (String kind : ChatProcess.KINDS) {
          summary.put(
              "steady_" + kind + "_cpu_ms_per_1000_requests", steady.kindUsPerRequest(kind));
        }
        summary.put("idle_cpu_ms_per_second", steady.idleCpuMsPerSecond());
      }
      summary.put("p50_us", (double) FixedRateLoad.percentile(all, 0.50));
      summary.put("p99_us", (double) FixedRateLoad.percentile(all, 0.99));
      summary.put("slices", latencies.size());
      summary.put("requests_with_warm_up", load.answeredTotal());
      summary.put("spans_received", receiver.spans.count());
      summary.put("scrapes", scrapes.get());
      return summary;
    }

    private double perThousand(Duration used) {
      return requests == 0 ? -1.0 : used.toNanos() / 1e6 / requests * 1_000;
    }

    @Override
    public void close() {
      try {
        chat.close();
      } finally {
        receiver.close();
      }
    }
  }

  /** Every child's CPU read at once: a boundary between two windows. */
  private static void readAll(List<Child> children) {
    for (Child child : children) {
      child.read();
    }
  }

  /** Median, min and max of {@code values} (JMH's statistics). */
  private static Map<String, Object> spread(double[] values) {
    ListStatistics stats = new ListStatistics(values);
    Map<String, Object> spread = new LinkedHashMap<>();
    spread.put("median", stats.getPercentile(50));
    spread.put("min", stats.getMin());
    spread.put("max", stats.getMax());
    return spread;
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
