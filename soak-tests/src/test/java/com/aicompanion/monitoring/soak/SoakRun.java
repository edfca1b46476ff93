package com.aicompanion.monitoring.soak;

import static org.awaitility.Awaitility.await;

import com.aicompanion.examples.chat.ChatApplication;
import com.aicompanion.examples.chat.ChatSettings;
import com.aicompanion.examples.chat.LoadGenerator;
import com.aicompanion.monitoring.Monitoring;
import com.aicompanion.monitoring.health.Alert;
import com.aicompanion.monitoring.health.AlertNotifier;
import com.aicompanion.monitoring.logging.JsonLogging;
import com.aicompanion.monitoring.testsupport.AlertmanagerServer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One soak: the chat service under load while OpenSearch (log shipping), the OTLP receiver and
 * Alertmanager are each stopped and started in cycles, until {@link Plan#length()} has passed (at
 * least one cycle). Each outage lasts until monitoring has felt it (events wait in the shipper's
 * spool, a span export failed, an alert post failed), each recovery until monitoring has recovered.
 *
 * <pre>{@code
 * SoakRun.Result result = SoakRun.run(new SoakRun.Plan(Duration.ofMinutes(3), 20, Duration.ofSeconds(10)));
 * System.out.println(result.ledger());
 * }</pre>
 */
final class SoakRun {
  private static final Logger LOG = LoggerFactory.getLogger(SoakRun.class);
  static final String SERVICE = "ai-companion";
  static final String ENVIRONMENT = "soak";
  static final String DATA_STREAM = "logs-" + SERVICE + "-" + ENVIRONMENT;
  private static final Duration OUTAGE_BOUND = Duration.ofSeconds(120);

  /**
   * @param length soak length after warm-up; cycles start until it has passed
   * @param rps load, requests per second
   * @param warmUp load before the heap and thread baseline
   */
  record Plan(Duration length, int rps, Duration warmUp) {}

  /** What the soak saw; the ledger is {@code logged = shipped + dropped + failed}. */
  record Result(
      long logged,
      long shipped,
      long dropped,
      long failed,
      long inOpenSearch,
      int cycles,
      Map<Integer, Long> statuses,
      long heapStart,
      long heapEnd,
      int threadsStart,
      int threadsAfterFirstCycle,
      int threadsEnd,
      Map<String, String> threadChanges,
      long otlpRequests,
      double spansExported,
      double spansFailed,
      double alertsSent,
      double alertsFailed,
      Duration elapsed) {
    String ledger() {
      return String.format(
          "soak ledger after %s (%d cycles): logged=%d shipped=%d dropped=%d failed=%d"
              + " (shipped+dropped+failed=%d), documents in OpenSearch=%d;"
              + " heap after GC start=%.1f MiB end=%.1f MiB; threads start=%d after cycle 1=%d end=%d %s;"
              + " load statuses=%s; OTLP requests=%d, spans exported=%.0f failed=%.0f;"
              + " alerts sent=%.0f failed=%.0f",
          elapsed,
          cycles,
          logged,
          shipped,
          dropped,
          failed,
          shipped + dropped + failed,
          inOpenSearch,
          heapStart / 1048576.0,
          heapEnd / 1048576.0,
          threadsStart,
          threadsAfterFirstCycle,
          threadsEnd,
          threadChanges,
          statuses,
          otlpRequests,
          spansExported,
          spansFailed,
          alertsSent,
          alertsFailed);
    }
  }

  private SoakRun() {}

  static Result run(Plan plan) throws Exception {
    long began = System.nanoTime();
    System.setProperty("otel.bsp.schedule.delay", "500");
    CompletableFuture<OpenSearchProcess> starting =
        CompletableFuture.supplyAsync(OpenSearchProcess::start);
    try (AlertmanagerServer alertmanager = AlertmanagerServer.start();
        CountingOtlpReceiver otlp = CountingOtlpReceiver.start();
        OpenSearchProcess opensearch = starting.join()) {
      long loggedBefore = LoggedEventCounter.logged();
      ChatSettings settings =
          ChatSettings.forTests(
              Map.of("CHAT_SIM_ERROR_RATE", "0.05", "CHAT_LLM_HOURLY_BUDGET_USD", "0.0001"));
      Monitoring monitoring =
          Monitoring.builder(SERVICE)
              .environment(ENVIRONMENT)
              .metricsHost("127.0.0.1")
              .metricsPort(0)
              .llmPrices(ChatApplication.prices(settings))
              .config("elasticsearch.url", opensearch.uri().toString())
              // the shipper's spool (on by default) in a directory of this run's own, so that no
              // earlier run's events are replayed into this node
              .config(
                  "elasticsearch.spool.dir",
                  Files.createTempDirectory("soak-spool").resolve("spool").toString())
              .config("elasticsearch.max.backoff", "1s")
              .config("alertmanager.url", alertmanager.baseUri().toString())
              .config("tracing.otlp.endpoint", otlp.url().toString())
              .config("tracing.otlp.protocol", "http/protobuf")
              .config("health.cache.interval", "200ms")
              .start();
      JsonLogging logging = monitoring.get(JsonLogging.class);
      AlertNotifier alerts = monitoring.get(AlertNotifier.class);
      Scrape scrape = new Scrape(monitoring.metricsAddress().getPort());
      ChatApplication app = ChatApplication.start(monitoring, settings);
      LoadGenerator load = new LoadGenerator(app.port());
      Map<Integer, LongAdder> statuses = load.run(plan.rps(), plan.warmUp());
      warmEndpointPools(scrape);
      awaitShipperDrained(logging, scrape);
      long heapStart = usedHeapAfterGc();
      Map<String, Long> threadsStart = steadyThreads();

      AtomicBoolean stop = new AtomicBoolean();
      CompletableFuture<Void> loadLoop =
          CompletableFuture.runAsync(
              () -> {
                while (!stop.get()) {
                  try {
                    load.run(plan.rps(), Duration.ofSeconds(5));
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  }
                }
              });
      long deadline = System.nanoTime() + plan.length().toNanos();
      int cycles = 0;
      int threadsAfterFirstCycle = 0;
      do {
        cycles++;
        LOG.info("Soak cycle {}", cycles);
        openSearchOutage(opensearch, logging, scrape);
        otlpOutage(otlp, scrape);
        alertmanagerOutage(alertmanager, alerts, scrape, cycles);
        if (cycles == 1) {
          threadsAfterFirstCycle = total(steadyThreads());
        }
      } while (System.nanoTime() < deadline);
      stop.set(true);
      loadLoop.get();

      awaitShipperDrained(logging, scrape);
      long heapEnd = usedHeapAfterGc();
      Map<String, Long> threadsEnd = steadyThreads();
      double spansExported = scrape.value("monitoring_spans_total", "outcome=\"exported\"");
      double spansFailed = scrape.value("monitoring_spans_total", "outcome=\"failed\"");
      double alertsSent = scrape.value("monitoring_alerts_total", "outcome=\"sent\"");
      double alertsFailed = scrape.value("monitoring_alerts_total", "outcome=\"failed\"");
      app.close();
      monitoring.close();

      long logged = LoggedEventCounter.logged() - loggedBefore;
      Map<Integer, Long> byStatus = new TreeMap<>();
      statuses.forEach((status, count) -> byStatus.put(status, count.sum()));
      return new Result(
          logged,
          logging.shippedEvents(),
          logging.droppedEvents(),
          logging.failedEvents(),
          opensearch.count(DATA_STREAM),
          cycles,
          byStatus,
          heapStart,
          heapEnd,
          total(threadsStart),
          threadsAfterFirstCycle,
          total(threadsEnd),
          threadDifference(threadsStart, threadsEnd),
          otlp.requests(),
          spansExported,
          spansFailed,
          alertsSent,
          alertsFailed,
          Duration.ofNanos(System.nanoTime() - began).withNanos(0));
    }
  }

  /** Events waiting in the shipper that show it has felt an outage. */
  private static final int OUTAGE_BACKLOG = 20;

  /**
   * Down until the shipper holds a backlog (events waiting in its spool), up until it has shipped
   * again.
   */
  private static void openSearchOutage(
      OpenSearchProcess opensearch, JsonLogging logging, Scrape scrape) {
    opensearch.stop();
    await("events wait in the shipper's spool while OpenSearch is down")
        .atMost(OUTAGE_BOUND)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> scrape.value("monitoring_log_queue_size", "") >= OUTAGE_BACKLOG);
    opensearch.restart();
    long shipped = logging.shippedEvents();
    await("the shipper ships again after OpenSearch is back")
        .atMost(OUTAGE_BOUND)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> logging.shippedEvents() > shipped);
  }

  /** Down until a span export failed, up until the receiver got a request again. */
  private static void otlpOutage(CountingOtlpReceiver otlp, Scrape scrape) throws Exception {
    otlp.stop();
    double failed = scrape.value("monitoring_spans_total", "outcome=\"failed\"");
    await("a span export fails while the OTLP receiver is down")
        .atMost(OUTAGE_BOUND)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> scrape.value("monitoring_spans_total", "outcome=\"failed\"") > failed);
    long requests = otlp.requests();
    otlp.restart();
    await("spans arrive again after the OTLP receiver is back")
        .atMost(OUTAGE_BOUND)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> otlp.requests() > requests);
  }

  /** Down while an alert is fired and its post fails, up until it is sent. */
  private static void alertmanagerOutage(
      AlertmanagerServer alertmanager, AlertNotifier alerts, Scrape scrape, int cycle)
      throws Exception {
    alertmanager.stop();
    double failed = scrape.value("monitoring_alerts_total", "outcome=\"failed\"");
    double sent = scrape.value("monitoring_alerts_total", "outcome=\"sent\"");
    alerts.fire(
        Alert.builder("SoakProbe")
            .summary("soak cycle " + cycle)
            .label("cycle", "" + cycle)
            .build());
    await("an alert post fails while Alertmanager is down")
        .atMost(OUTAGE_BOUND)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> scrape.value("monitoring_alerts_total", "outcome=\"failed\"") > failed);
    alertmanager.restart();
    await("the alert is sent after Alertmanager is back")
        .atMost(OUTAGE_BOUND)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> scrape.value("monitoring_alerts_total", "outcome=\"sent\"") > sent);
  }

  /**
   * Brings the endpoint server's pool (a thread per request up to 16, idle ones end after 60 s) and
   * the health-check pool to their working size before the thread baseline.
   */
  private static void warmEndpointPools(Scrape scrape) {
    AtomicInteger rounds = new AtomicInteger();
    await("endpoint and health pools warmed")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              for (int i = 0; i < 4; i++) {
                scrape.value("app_info", "");
              }
              scrape.get("/health");
              return rounds.incrementAndGet() >= 6;
            });
  }

  private static void awaitShipperDrained(JsonLogging logging, Scrape scrape) {
    await("the shipper's queue drained")
        .atMost(OUTAGE_BOUND)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> scrape.value("monitoring_log_queue_size", "") == 0);
  }

  static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /**
   * Live threads without the JDK HttpClient's and the common pool's worker threads, which come and
   * go with traffic by design (idle ones end after 60 s), and the load generator's pools; an
   * HttpClient that leaks still shows by its SelectorManager thread.
   */
  static Map<String, Long> steadyThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName)
        .filter(n -> !n.matches("HttpClient-\\d+-Worker-\\d+"))
        .filter(n -> !n.startsWith("ForkJoinPool.commonPool-worker"))
        // the load generator's own pools (default thread factory), busy while load runs
        .filter(n -> !n.matches("pool-\\d+-thread-\\d+"))
        .collect(
            Collectors.groupingBy(
                n -> n.replaceAll("\\d+", "#"), TreeMap::new, Collectors.counting()));
  }

  /** The thread groups (names with digits as #) whose count differs between the two snapshots. */
  static Map<String, String> threadDifference(Map<String, Long> start, Map<String, Long> end) {
    Map<String, String> diff = new TreeMap<>();
    Set<String> names = new TreeSet<>(start.keySet());
    names.addAll(end.keySet());
    for (String name : names) {
      long before = start.getOrDefault(name, 0L);
      long after = end.getOrDefault(name, 0L);
      if (before != after) {
        diff.put(name, before + "->" + after);
      }
    }
    return diff;
  }

  static int total(Map<String, Long> threads) {
    return (int) threads.values().stream().mapToLong(Long::longValue).sum();
  }
}
