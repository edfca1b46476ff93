package com.aicompanion.monitoring.benchmarks.shipping;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Log shipping with a live OpenSearch node, in one run on one machine: (a) the node's own ingest
 * capacity for our documents ({@link BulkCapacity}, 1 and 2 raw {@code _bulk} senders of the
 * shipper's bodies, document ids included; and, as (a'), 2 senders of bodies without ids); (b)
 * {@code logger.info} with shipping at fixed rates, each until the first rate that is not clean
 * ({@link ShipperRuns#paced}), then (b') the shipper with {@code elasticsearch.document.ids=false}
 * at 0.9x of (a'), and the shipper's saturated throughput ({@link ShipperRuns#saturated}); (c)
 * Logback's {@code AsyncAppender} with {@code LogstashEncoder} to a file ({@link FileReference}).
 * Writes one JSON file for the report generator's "Log shipping with a live node" section.
 *
 * <pre>{@code
 * ./mvnw -B -o -q -pl benchmarks -am package -DskipTests   # also writes target/test-classpath.txt
 * java -cp benchmarks/target/benchmarks.jar \
 *     com.aicompanion.monitoring.benchmarks.shipping.ShippingRates benchmarks/results/shipping.json \
 *     [--quick] [--node=http://127.0.0.1:9200 | --node-classpath=<classpath>] [--node-heap=1g]
 * }</pre>
 *
 * <p>Without {@code --node} it starts OpenSearch 2.19 in a child JVM ({@link LiveNode#launch}) from
 * {@code --node-classpath}, by default {@code benchmarks/target/test-classes} and the classpath the
 * build wrote to {@code benchmarks/target/test-classpath.txt} (run from the repository root). The
 * full run takes about 6 minutes: rates are first run once each, then the highest clean rates are
 * repeated up to 3 times while the time budget lasts. {@code --quick} runs every part once with
 * tiny durations (about 20 s after the node is up), to check that the harness works.
 */
public final class ShippingRates {
  /** The goal: the shipper sustains at least this share of the node's capacity. */
  static final double GOAL = 0.9;

  static final Duration LAG_LIMIT = Duration.ofMillis(2500);

  /**
   * The saturated run's backlog bound in batches, at least: two requests in flight and one forming
   * must not empty the shipper's queue.
   */
  private static final int SATURATED_BATCHES = 5;

  private static final Path DEFAULT_TEST_CLASSES = Path.of("benchmarks/target/test-classes");
  private static final Path DEFAULT_CLASSPATH_FILE =
      Path.of("benchmarks/target/test-classpath.txt");

  /** Durations and sizes of one mode. */
  record Plan(
      Duration warmup,
      int warmupRate,
      Duration capacityWarmup,
      Duration capacityMeasure,
      int reps,
      List<Integer> rates,
      Duration rateDuration,
      boolean goalRate,
      int saturatedEvents,
      int backlogLimit,
      int fileEvents,
      Duration budget) {
    static final Plan FULL =
        new Plan(
            Duration.ofSeconds(4),
            5_000,
            Duration.ofSeconds(2),
            Duration.ofSeconds(6),
            3,
            List.of(5_000, 10_000, 20_000, 30_000, 40_000, 60_000),
            Duration.ofSeconds(15),
            true,
            200_000,
            5_000,
            500_000,
            Duration.ofSeconds(270));
    static final Plan QUICK =
        new Plan(
            Duration.ofMillis(500),
            2_000,
            Duration.ofMillis(300),
            Duration.ofSeconds(1),
            1,
            List.of(2_000, 5_000),
            Duration.ofSeconds(1),
            false,
            5_000,
            2_000,
            20_000,
            Duration.ofSeconds(60));

    /**
     * A targeted run ({@code --rates=30000,40000}): the full plan's durations, but each part once,
     * only the given paced rates (no goal rate), for comparing two builds on a shared machine.
     */
    static Plan targeted(List<Integer> rates) {
      return new Plan(
          FULL.warmup(),
          FULL.warmupRate(),
          FULL.capacityWarmup(),
          FULL.capacityMeasure(),
          1,
          rates,
          FULL.rateDuration(),
          false,
          FULL.saturatedEvents(),
          FULL.backlogLimit(),
          FULL.fileEvents() / 5,
          Duration.ofSeconds(180));
    }
  }

  private final Plan plan;
  private final String id = Long.toString(System.currentTimeMillis() / 1000 % 2_000_000, 36);
  private long measuringSince;

  private ShippingRates(Plan plan) {
    this.plan = plan;
  }

  public static void main(String[] args) {
    int status = 0;
    try {
      run(List.of(args));
    } catch (Exception | Error e) {
      e.printStackTrace();
      status = 1;
    }
    // exits at once: HTTP client threads of the last runs would otherwise idle out first
    System.exit(status);
  }

  /** Runs the harness as {@link #main} does and returns what it wrote. */
  static Map<String, Object> run(List<String> args) throws Exception {
    if (args.isEmpty() || args.get(0).startsWith("--")) {
      throw new IllegalArgumentException(
          "usage: ShippingRates <output.json> [--quick | --rates=30000,40000] [--node=<url> |"
              + " --node-classpath=<cp>] [--node-heap=1g]");
    }
    Path out = Path.of(args.get(0));
    boolean quick = args.contains("--quick");
    String url = option(args, "--node=", null);
    String heap = option(args, "--node-heap=", "1g");
    String rates = option(args, "--rates=", null);
    Plan plan =
        rates != null
            ? Plan.targeted(
                java.util.Arrays.stream(rates.split(",")).map(Integer::valueOf).toList())
            : quick ? Plan.QUICK : Plan.FULL;
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("generated", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    results.put("mode", rates != null ? "targeted" : quick ? "quick" : "full");
    results.put(
        "command",
        "java -cp benchmarks/target/benchmarks.jar "
            + ShippingRates.class.getName()
            + " "
            + out
            + (quick ? " --quick" : "")
            + (rates == null ? "" : " --rates=" + rates)
            + (url == null ? "" : " --node=" + url));
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("cpus", Runtime.getRuntime().availableProcessors());
    machine.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
    machine.put("load_before", load());
    results.put("machine", machine);
    Path nodeLog = out.toAbsolutePath().resolveSibling("shipping-node.log");
    try (LiveNode node =
        url != null
            ? LiveNode.attach(URI.create(url))
            : LiveNode.launch(nodeClasspath(args), heap, nodeLog)) {
      Map<String, Object> nodeInfo = new LinkedHashMap<>();
      nodeInfo.put("where", node.where());
      nodeInfo.put("version", node.version());
      results.put("node", nodeInfo);
      say("node " + node.uri() + " (" + node.where() + ")");
      new ShippingRates(plan).measure(node, results);
    }
    machine.put("load_after", load());
    Files.createDirectories(out.toAbsolutePath().getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), results);
    say("wrote " + out);
    return results;
  }

  private void measure(LiveNode node, Map<String, Object> results) throws Exception {
    int batchSize = BulkCapacity.defaultBatchSize();
    List<byte[]> documents = BulkCapacity.encodedDocuments(Math.max(4 * batchSize, 8_000));
    // the shipper's own bodies (create with its document ids) decide the goal; without ids (the
    // node makes them up, sparing itself the look-up of each) is the reference beside it
    BulkCapacity capacity = new BulkCapacity(node, documents, batchSize, true);
    BulkCapacity capacityWithoutIds = new BulkCapacity(node, documents, batchSize, false);
    ShipperRuns shipper = new ShipperRuns(node, LAG_LIMIT);
    Path scratch = Files.createTempDirectory("shipping-file-reference");
    FileReference file = new FileReference(scratch);
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("call", ChatEvents.CALL);
    event.put("document_bytes", Math.round(capacity.averageDocumentBytes()));
    results.put("event", event);
    results.put("batch_size", batchSize);
    results.put("lag_limit_s", LAG_LIMIT.toMillis() / 1000.0);
    results.put("goal", GOAL);

    Map<String, Object> planJson = new LinkedHashMap<>();
    planJson.put("warmup_s", plan.warmup().toMillis() / 1000.0);
    planJson.put("capacity_warmup_s", plan.capacityWarmup().toMillis() / 1000.0);
    planJson.put("capacity_measure_s", plan.capacityMeasure().toMillis() / 1000.0);
    planJson.put("reps", plan.reps());
    planJson.put("rates", plan.rates());
    planJson.put("rate_s", plan.rateDuration().toMillis() / 1000.0);
    planJson.put("saturated_events", plan.saturatedEvents());
    planJson.put("file_events", plan.fileEvents());
    planJson.put("repeat_budget_s", plan.budget().toSeconds());
    results.put("plan", planJson);

    // JIT of logger, shipper and file appender, and the node's own warm-up, before any figure
    say("warm-up: " + plan.warmup() + " of each part");
    measuringSince = System.nanoTime();
    capacity.run("shipcap-" + id + "-warm", 1, Duration.ZERO, plan.warmup());
    shipper.paced(service("warm"), plan.warmupRate(), plan.warmup());
    file.run(plan.fileEvents() / 5);

    List<Map<String, Object>> capacityRows = new ArrayList<>();
    double capacityDocs = 0;
    for (int senders = 1; senders <= 2; senders++) {
      List<Map<String, Object>> runs = new ArrayList<>();
      for (int rep = 1; rep <= plan.reps(); rep++) {
        Map<String, Object> row =
            capacity.run(
                "shipcap-" + id + "-s" + senders + "-" + rep,
                senders,
                plan.capacityWarmup(),
                plan.capacityMeasure());
        say("(a) " + senders + " sender(s): " + row);
        runs.add(row);
      }
      Map<String, Object> summary = summary(runs, "docs_per_s");
      summary.put("senders", senders);
      summary.put("document_ids", true);
      capacityRows.add(summary);
      capacityDocs = Math.max(capacityDocs, (double) summary.get("median"));
    }
    List<Map<String, Object>> withoutIds = new ArrayList<>();
    for (int rep = 1; rep <= plan.reps(); rep++) {
      Map<String, Object> row =
          capacityWithoutIds.run(
              "shipcap-" + id + "-noid-" + rep, 2, plan.capacityWarmup(), plan.capacityMeasure());
      say("(a) 2 senders, no document ids: " + row);
      withoutIds.add(row);
    }
    Map<String, Object> withoutIdsSummary = summary(withoutIds, "docs_per_s");
    withoutIdsSummary.put("senders", 2);
    withoutIdsSummary.put("document_ids", false);
    capacityRows.add(withoutIdsSummary);
    double capacityWithoutIdsDocs = (double) withoutIdsSummary.get("median");
    results.put("capacity", capacityRows);
    results.put("capacity_docs_per_s", capacityDocs);
    results.put("capacity_without_ids_docs_per_s", capacityWithoutIdsDocs);

    Ladder ladder = ladder(shipper, capacityDocs);
    results.put("rates", ladder.rows());
    results.put("highest_clean_rate", ladder.highestClean());
    results.put("first_failing_rate", ladder.firstFailing());
    if (ladder.highestClean() != null) {
      results.put("ratio_clean_rate_to_capacity", ladder.highestClean() / capacityDocs);
      results.put(
          "ratio_clean_rate_to_capacity_without_ids",
          ladder.highestClean() / capacityWithoutIdsDocs);
    }

    // the same goal for a shipper told to send no ids, against the node's capacity without them
    int withoutIdsRate = (int) Math.ceil(GOAL * capacityWithoutIdsDocs / 1000) * 1000;
    if (withoutIdsRate > 0) {
      List<Map<String, Object>> runs = new ArrayList<>();
      boolean clean = true;
      for (int rep = 1; clean && rep <= plan.reps(); rep++) {
        Map<String, Object> row =
            shipper.paced(
                service(String.format(Locale.ROOT, "noid%06d-%d", withoutIdsRate, rep)),
                withoutIdsRate,
                plan.rateDuration(),
                false);
        say("(b) " + withoutIdsRate + " events/s without document ids, run " + rep + ": " + row);
        runs.add(row);
        clean = (boolean) row.get("clean");
      }
      Map<String, Object> withoutIdsRuns = new LinkedHashMap<>();
      withoutIdsRuns.put("rate", withoutIdsRate);
      withoutIdsRuns.put("clean", clean);
      withoutIdsRuns.put("ratio_to_capacity_without_ids", withoutIdsRate / capacityWithoutIdsDocs);
      withoutIdsRuns.put("runs", runs);
      results.put("without_ids", withoutIdsRuns);
    }

    List<Map<String, Object>> saturated = new ArrayList<>();
    for (int rep = 1; rep <= repsLeft(); rep++) {
      Map<String, Object> row =
          shipper.saturated(
              service("sat-" + rep),
              plan.saturatedEvents(),
              Math.max(plan.backlogLimit(), SATURATED_BATCHES * batchSize));
      say("(b) saturated: " + row);
      saturated.add(row);
    }
    Map<String, Object> saturatedSummary = summary(saturated, "events_per_s");
    results.put("saturated", saturatedSummary);
    results.put(
        "ratio_saturated_to_capacity", (double) saturatedSummary.get("median") / capacityDocs);

    List<Map<String, Object>> files = new ArrayList<>();
    for (int rep = 1; rep <= plan.reps(); rep++) {
      Map<String, Object> row = file.run(plan.fileEvents());
      say("(c) file: " + row);
      files.add(row);
    }
    results.put("file", summary(files, "events_per_s"));
    Files.deleteIfExists(scratch);
    results.put("measuring_seconds", (System.nanoTime() - measuringSince) / 1e9);
  }

  /** The paced runs by rate, the highest rate whose every run was clean, the first that was not. */
  record Ladder(List<Map<String, Object>> rows, Integer highestClean, Integer firstFailing) {}

  /**
   * Each rate once, ascending, until the first one that is not clean; then, while the time budget
   * lasts, the highest clean rate again up to {@code reps} runs (stepping down when a repeat
   * fails). The full plan adds the goal rate, {@value #GOAL} x the capacity rounded up to 1,000.
   */
  private Ladder ladder(ShipperRuns shipper, double capacityDocs) {
    List<Integer> rates = new ArrayList<>(plan.rates());
    int goalRate = (int) Math.ceil(GOAL * capacityDocs / 1000) * 1000;
    if (plan.goalRate() && goalRate > 0 && !rates.contains(goalRate)) {
      rates.add(goalRate);
    }
    rates.sort(null);
    TreeMap<Integer, List<Map<String, Object>>> runs = new TreeMap<>();
    Integer firstFailing = null;
    for (int rate : rates) {
      if (!pacedRun(shipper, rate, runs)) {
        firstFailing = rate;
        break;
      }
    }
    for (Integer rate = highestClean(runs); rate != null; rate = runs.lowerKey(rate)) {
      boolean clean = true;
      while (clean && runs.get(rate).size() < plan.reps() && withinBudget()) {
        clean = pacedRun(shipper, rate, runs);
      }
      if (clean) {
        break;
      }
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Map.Entry<Integer, List<Map<String, Object>>> e : runs.entrySet()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("rate", e.getKey());
      row.put("goal_rate", e.getKey() == goalRate && plan.goalRate());
      row.put("clean", e.getValue().stream().allMatch(r -> (boolean) r.get("clean")));
      row.put("runs", e.getValue());
      rows.add(row);
    }
    return new Ladder(rows, highestClean(runs), firstFailing);
  }

  private boolean pacedRun(
      ShipperRuns shipper, int rate, TreeMap<Integer, List<Map<String, Object>>> runs) {
    List<Map<String, Object>> done = runs.computeIfAbsent(rate, r -> new ArrayList<>());
    String service = service(String.format(Locale.ROOT, "r%06d-%d", rate, done.size() + 1));
    Map<String, Object> row = shipper.paced(service, rate, plan.rateDuration());
    say("(b) " + rate + " events/s, run " + (done.size() + 1) + ": " + row);
    done.add(row);
    return (boolean) row.get("clean");
  }

  private static Integer highestClean(TreeMap<Integer, List<Map<String, Object>>> runs) {
    Integer best = null;
    for (Map.Entry<Integer, List<Map<String, Object>>> e : runs.entrySet()) {
      if (e.getValue().stream().allMatch(r -> (boolean) r.get("clean"))) {
        best = e.getKey();
      }
    }
    return best;
  }

  private boolean withinBudget() {
    return System.nanoTime() - measuringSince < plan.budget().toNanos();
  }

  private int repsLeft() {
    return withinBudget() ? plan.reps() : 1;
  }

  private String service(String suffix) {
    return "shipbench-" + id + "-" + suffix;
  }

  /** The runs, with the minimum and median of {@code field}. */
  static Map<String, Object> summary(List<Map<String, Object>> runs, String field) {
    double[] values =
        runs.stream().mapToDouble(r -> ((Number) r.get(field)).doubleValue()).sorted().toArray();
    int n = values.length;
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("min", values[0]);
    summary.put("median", n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2);
    summary.put("runs", runs);
    return summary;
  }

  private static String nodeClasspath(List<String> args) throws IOException {
    String given = option(args, "--node-classpath=", null);
    if (given != null) {
      return given;
    }
    if (!Files.isDirectory(DEFAULT_TEST_CLASSES) || !Files.isRegularFile(DEFAULT_CLASSPATH_FILE)) {
      throw new IllegalArgumentException(
          "no OpenSearch node: "
              + DEFAULT_CLASSPATH_FILE
              + " is missing (run from the repository root after"
              + " ./mvnw -B -o -q -pl benchmarks -am package -DskipTests), or give"
              + " --node=<url of a running node> or --node-classpath=<classpath with the"
              + " benchmarks test classes>");
    }
    return DEFAULT_TEST_CLASSES
        + java.io.File.pathSeparator
        + Files.readString(DEFAULT_CLASSPATH_FILE, StandardCharsets.UTF_8).strip();
  }

  private static String option(List<String> args, String prefix, String fallback) {
    return args.stream()
        .filter(a -> a.startsWith(prefix))
        .map(a -> a.substring(prefix.length()))
        .findFirst()
        .orElse(fallback);
  }

  /** The 1, 5 and 15 minute load averages, or an empty list where /proc is missing. */
  private static List<Double> load() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return List.of(
          Double.parseDouble(fields[0]),
          Double.parseDouble(fields[1]),
          Double.parseDouble(fields[2]));
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  private static void say(String line) {
    System.out.println("shipping: " + line);
  }
}
