package com.aicompanion.monitoring.it.stack.live;

import static org.awaitility.Awaitility.await;

import com.aicompanion.examples.chat.ChatApplication;
import com.aicompanion.examples.chat.ChatSettings;
import com.aicompanion.examples.chat.LoadGenerator;
import com.aicompanion.monitoring.Monitoring;
import com.aicompanion.monitoring.it.FullMonitoring;
import com.aicompanion.monitoring.testsupport.AlertmanagerServer;
import com.aicompanion.monitoring.testsupport.ExporterProcess;
import com.aicompanion.monitoring.testsupport.PostgresServer;
import com.aicompanion.monitoring.testsupport.PrometheusServer;
import com.aicompanion.monitoring.testsupport.RedisServer;
import com.aicompanion.monitoring.testsupport.otlp.OtlpHttpReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Everything the stack's queries run against, started on loopback: PostgreSQL, Redis with a
 * password, Alertmanager, an OTLP/HTTP receiver standing in for Jaeger, the chat service in-process
 * under load from its own {@link LoadGenerator}, the node, Redis and PostgreSQL exporters, and a
 * Prometheus whose configuration is the stack's {@code prometheus.yml} with every target replaced
 * by the process that plays it ({@link LiveScrapeConfig}).
 */
final class LiveStack implements AutoCloseable {
  private static final String REDIS_PASSWORD = "stack-redis-secret";

  final Path stackDir;
  private final List<AutoCloseable> started = new ArrayList<>();
  private final AtomicBoolean loading = new AtomicBoolean(true);
  private Thread load;
  PrometheusServer prometheus;
  LiveScrapeConfig.Result scrapeConfig;
  Monitoring monitoring;

  /**
   * The stack's target port (8000 the app, 9100 node, 9121 Redis exporter, 9187 PostgreSQL
   * exporter, 9093 Alertmanager) to the {@code 127.0.0.1:<port>} of the process that plays it.
   */
  final Map<Integer, String> targets = new HashMap<>();

  String alertmanagerAddress;

  private LiveStack(Path stackDir) {
    this.stackDir = stackDir;
  }

  static LiveStack start() throws Exception {
    LiveStack stack = new LiveStack(findStackDir());
    try {
      stack.startAll();
    } catch (Exception | Error e) {
      stack.close();
      throw e;
    }
    return stack;
  }

  private void startAll() throws Exception {
    Path stackConfig = stackDir.resolve("prometheus/prometheus.yml");
    if (!Files.isRegularFile(stackConfig)) {
      throw new AssertionError("the stack has no " + stackConfig + " to take the jobs from");
    }
    PostgresServer postgres = keep(PostgresServer.start());
    RedisServer redis = keep(RedisServer.start(REDIS_PASSWORD));
    AlertmanagerServer alertmanager = keep(AlertmanagerServer.start());
    OtlpHttpReceiver otlp = keep(OtlpHttpReceiver.start());

    ChatSettings settings =
        ChatSettings.forTests(
            Map.of(
                "CHAT_DB_URL", postgres.jdbcUrl(),
                "CHAT_DB_USER", postgres.user(),
                "CHAT_DB_PASSWORD", postgres.password(),
                "CHAT_REDIS_URL", "redis://:" + REDIS_PASSWORD + "@127.0.0.1:" + redis.port(),
                "CHAT_SIM_ERROR_RATE", "0.2"));
    monitoring =
        FullMonitoring.start("stack-test", settings, alertmanager.baseUri(), otlp.url(), "500ms");
    keep(monitoring);
    ChatApplication app = keep(ChatApplication.start(monitoring, settings));
    startLoad(app.port());
    overflowOneMetric();

    ExporterProcess node = keep(ExporterProcess.node());
    ExporterProcess redisExporter = keep(ExporterProcess.redis(redis.port(), REDIS_PASSWORD));
    ExporterProcess pgExporter =
        keep(ExporterProcess.postgres(postgres.port(), postgres.user(), postgres.password()));

    alertmanagerAddress = "127.0.0.1:" + alertmanager.port();
    targets.put(8000, "127.0.0.1:" + monitoring.metricsAddress().getPort());
    targets.put(9100, node.target());
    targets.put(9121, redisExporter.target());
    targets.put(9187, pgExporter.target());
    targets.put(9093, alertmanagerAddress);
    prometheus =
        keep(
            PrometheusServer.start(
                port -> {
                  Map<Integer, String> addresses = new HashMap<>(targets);
                  addresses.put(9090, "127.0.0.1:" + port);
                  scrapeConfig =
                      LiveScrapeConfig.rewrite(stackConfig, addresses, alertmanagerAddress);
                  return scrapeConfig.yaml();
                }));
    System.gc(); // so that jvm_gc_pause_seconds has a sample
    awaitEveryTargetUp(prometheus, scrapeConfig.jobs());
    awaitFiveScrapesOfEveryJob(prometheus);
    awaitFailuresInTheWorkload(prometheus);
  }

  /**
   * The example's load generator in the background, in 2 s rounds, until {@link #close()}, plus one
   * new question per round: the generator repeats eight questions, which the response cache answers
   * after the first minute, so without new questions no LLM call (and no LLM failure, no 502) would
   * happen after warm-up and the LLM panels and error ratios would have nothing to show.
   */
  private void startLoad(int port) {
    LoadGenerator generator = new LoadGenerator(port);
    HttpClient http = HttpClient.newHttpClient();
    load =
        new Thread(
            () -> {
              int round = 0;
              while (loading.get()) {
                try {
                  askNewQuestions(http, port, round++);
                  generator.run(8, Duration.ofSeconds(2));
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "stack-test-load");
    load.setDaemon(true);
    load.start();
  }

  /** Two questions the cache has never seen, sent without waiting for the answers. */
  private static void askNewQuestions(HttpClient http, int port, int round) {
    for (int k = 0; k < 2; k++) {
      String id = round + "-" + k;
      String body =
          "{\"conversation_id\":\"fresh-" + id + "\",\"message\":\"New question " + id + "\"}";
      http.sendAsync(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/chat"))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .timeout(Duration.ofSeconds(30))
              .build(),
          HttpResponse.BodyHandlers.discarding());
    }
  }

  /**
   * The mistake the cardinality guard exists for: a user id as a label value, more distinct values
   * than the limit (1,000), so that {@code monitoring_cardinality_overflow_total} has a series.
   */
  private void overflowOneMetric() {
    for (int i = 0; i <= 1_000; i++) {
      monitoring.monitor().incrementCounter("stack_test_user_events", Map.of("user_id", "u" + i));
    }
  }

  /** {@code store} holds what the error and overflow queries select. */
  static void awaitFailuresInTheWorkload(PrometheusServer store) {
    String workload =
        "count(http_server_requests_seconds_count{job=\"ai-companion\",outcome=\"SERVER_ERROR\"})"
            + " and count(gen_ai_client_operation_duration_seconds_count{error_type!=\"\"})"
            + " and count(monitoring_cardinality_overflow_total)";
    await("LLM failures, 5xx responses and a cardinality overflow scraped")
        .atMost(Duration.ofSeconds(45))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> !store.query(workload).isEmpty());
  }

  /** Every target of {@code scraper} is up, and there is one of each of {@code jobs}. */
  @SuppressWarnings("unchecked")
  static void awaitEveryTargetUp(PrometheusServer scraper, List<String> jobs) {
    await("every scrape target of " + jobs + " up")
        .atMost(Duration.ofSeconds(45))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              Map<String, Object> data =
                  (Map<String, Object>) scraper.get("/api/v1/targets").get("data");
              List<Map<String, Object>> active =
                  (List<Map<String, Object>>) data.get("activeTargets");
              List<String> jobsSeen = new ArrayList<>();
              List<String> notUp = new ArrayList<>();
              for (Map<String, Object> t : active) {
                jobsSeen.add(String.valueOf(t.get("scrapePool")));
                if (!"up".equals(t.get("health"))) {
                  notUp.add(t.get("scrapeUrl") + " " + t.get("health") + " " + t.get("lastError"));
                }
              }
              if (!jobsSeen.containsAll(jobs) || !notUp.isEmpty()) {
                throw new AssertionError("targets not up: " + notUp + ", jobs seen " + jobsSeen);
              }
            });
  }

  /** {@code store} has five samples of {@code up} of every target in the last minute. */
  static void awaitFiveScrapesOfEveryJob(PrometheusServer store) {
    // "a few scrapes": rate() over 1m needs two samples, histogram rates need changes in between
    await("five scrapes of every job")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              PrometheusServer.QueryResult r = store.query("min(count_over_time(up[1m])) >= 5");
              return r.isSuccess() && !r.isEmpty();
            });
  }

  private <T extends AutoCloseable> T keep(T closeable) {
    started.add(closeable);
    return closeable;
  }

  /** The repository's {@code stack/} directory, found from the module's working directory. */
  static Path findStackDir() {
    return com.aicompanion.monitoring.it.stack.Repository.stack();
  }

  @Override
  public void close() {
    loading.set(false);
    if (load != null) {
      try {
        load.join(Duration.ofSeconds(15).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Exception first = null;
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw new IllegalStateException("stopping the live stack failed", first);
    }
  }
}
