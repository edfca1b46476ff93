package com.aicompanion.monitoring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aicompanion.examples.chat.ChatApplication;
import com.aicompanion.examples.chat.ChatSettings;
import com.aicompanion.examples.chat.LoadGenerator;
import com.aicompanion.monitoring.Monitoring;
import com.aicompanion.monitoring.test.MetricsAssert;
import com.aicompanion.monitoring.testsupport.AlertmanagerServer;
import com.aicompanion.monitoring.testsupport.PostgresServer;
import com.aicompanion.monitoring.testsupport.Promtool;
import com.aicompanion.monitoring.testsupport.RedisServer;
import com.aicompanion.monitoring.testsupport.otlp.OtlpHttpReceiver;
import com.aicompanion.monitoring.testsupport.otlp.ReceivedSpans;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The chat-service example with every module, against real PostgreSQL, Redis and Alertmanager
 * started from Debian's packages, and an OTLP/HTTP receiver decoding the real protobuf in place of
 * Jaeger. Load comes from the example's own load generator.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChatServiceEndToEndTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static PostgresServer postgres;
  private static RedisServer redis;
  private static AlertmanagerServer alertmanager;
  private static OtlpHttpReceiver otlp;
  private static final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private static PrintStream originalOut;
  private static Monitoring monitoring;
  private static ChatApplication app;
  private static Map<Integer, LongAdder> loadStatuses;

  @BeforeAll
  static void start() throws Exception {
    postgres = PostgresServer.start();
    redis = RedisServer.start("redis-secret");
    alertmanager = AlertmanagerServer.start();
    otlp = OtlpHttpReceiver.start();
    originalOut = System.out;
    System.setOut(new PrintStream(new Tee(stdout, originalOut), true, StandardCharsets.UTF_8));

    ChatSettings settings =
        ChatSettings.forTests(
            Map.of(
                "CHAT_DB_URL",
                postgres.jdbcUrl(),
                "CHAT_DB_USER",
                postgres.user(),
                "CHAT_DB_PASSWORD",
                postgres.password(),
                "CHAT_REDIS_URL",
                "redis://:redis-secret@127.0.0.1:" + redis.port(),
                "CHAT_SIM_ERROR_RATE",
                "0.05",
                "CHAT_LLM_HOURLY_BUDGET_USD",
                "0.0001"));
    monitoring = FullMonitoring.start("e2e", settings, alertmanager.baseUri(), otlp.url(), "200ms");
    app = ChatApplication.start(monitoring, settings);
    loadStatuses = new LoadGenerator(app.port()).run(20, Duration.ofSeconds(5));
    System.gc(); // so that jvm_gc_pause_seconds has a sample
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (app != null) {
        app.close();
      }
      if (monitoring != null) {
        monitoring.close();
      }
    } finally {
      System.setOut(originalOut);
      for (AutoCloseable c : new AutoCloseable[] {otlp, alertmanager, redis, postgres}) {
        if (c != null) {
          c.close();
        }
      }
    }
  }

  @Test
  @Order(1)
  void loadWasServedWithoutMonitoringFailures() {
    long ok = loadStatuses.getOrDefault(200, new LongAdder()).sum();
    assertThat(ok).as("statuses %s", loadStatuses).isGreaterThan(50);
    assertThat(loadStatuses).doesNotContainKey(-1).doesNotContainKey(500).doesNotContainKey(503);
  }

  @Test
  @Order(2)
  void metricsHaveEveryFamilyOfTheCatalogAndPassPromtool() throws Exception {
    await("every family of the catalog")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> hasEveryFamilyOfTheCatalog(MetricsAssert.assertThat(monitoring)));
    MetricsAssert metrics = MetricsAssert.assertThat(monitoring);
    // the load asks for unknown conversations: a matched route's own 404 keeps its route
    metrics
        .histogram("http_server_requests_seconds")
        .withLabels(
            "method",
            "GET",
            "outcome",
            "CLIENT_ERROR",
            "status",
            "404",
            "uri",
            "/conversations/{id}")
        .count()
        .isPositive();
    metrics
        .histogram("gen_ai_client_operation_duration_seconds")
        .withLabels("gen_ai_provider_name", "simulated");
    metrics.hasNoRefusals();
    // the exposition itself, as Prometheus reads it
    Promtool.Result lint = Promtool.checkMetrics(metrics());
    assertThat(lint.exitCode()).as(lint.output()).isZero();
  }

  /** Every family of the metric catalog that this workload must produce. */
  private static void hasEveryFamilyOfTheCatalog(MetricsAssert metrics) {
    metrics.gauge("app_info").withLabels("service", "ai-companion", "environment", "e2e");
    metrics.gauge("jvm_memory_used_bytes").withLabels("area", "heap");
    metrics.gauge("jvm_memory_max_bytes").withLabels("area", "heap");
    metrics.timer("jvm_gc_pause_seconds");
    for (String gauge :
        List.of(
            "jvm_threads_live_threads",
            "jvm_classes_loaded_classes",
            "process_cpu_usage",
            "system_cpu_usage",
            "process_uptime_seconds",
            "process_files_open_files",
            "system_load_average_1m")) {
      metrics.gauge(gauge).withoutLabels();
    }
    for (String histogram :
        List.of(
            "http_server_requests_seconds",
            "gen_ai_client_operation_duration_seconds",
            "gen_ai_client_token_usage",
            "gen_ai_client_time_to_first_chunk_seconds")) {
      metrics.histogram(histogram).hasBuckets();
    }
    metrics.counter("llm_cost_usd_total").withLabels("gen_ai_provider_name", "simulated");
    metrics.gauge("llm_requests_in_flight").withLabels("gen_ai_provider_name", "simulated");
    metrics.counter("cache_gets_total").withLabels("cache", "llm-responses-redis", "result", "hit");
    metrics
        .counter("cache_gets_total")
        .withLabels("cache", "llm-responses-redis", "result", "miss");
    metrics.counter("cache_puts_total").withLabels("cache", "llm-responses-redis");
    metrics.counter("cache_evictions_total").withLabels("cache", "llm-responses-redis");
    metrics.gauge("cache_size").withLabels("cache", "llm-responses-redis");
    for (String pool :
        List.of(
            "hikaricp_connections_active",
            "hikaricp_connections_idle",
            "hikaricp_connections_pending",
            "hikaricp_connections_max")) {
      metrics.gauge(pool).withLabels("pool", "chat-db");
    }
    metrics.timer("hikaricp_connections_acquire_seconds").withLabels("pool", "chat-db");
    metrics.counter("hikaricp_connections_timeout_total").withLabels("pool", "chat-db");
    metrics.counter("logback_events_total").withLabels("level", "info");
    metrics.gauge("health_check_status").withLabels("check", "database");
    metrics.timer("health_check_duration_seconds").withLabels("check", "database");
    metrics.counter("monitoring_spans_total");
    metrics.counter("monitoring_alerts_total");
  }

  @Test
  @Order(3)
  void jsonLogsCarryTraceIdsOfRealRequests() {
    List<JsonNode> answered = new ArrayList<>();
    for (String line : stdout.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith("{") && line.contains("Answered conversation")) {
        try {
          answered.add(JSON.readTree(line));
        } catch (IOException e) {
          throw new AssertionError("log line is not JSON: " + line, e);
        }
      }
    }
    assertThat(answered).isNotEmpty();
    JsonNode first = answered.get(0);
    assertThat(first.path("service.name").asText()).isEqualTo("ai-companion");
    assertThat(first.path("service.environment").asText()).isEqualTo("e2e");
    assertThat(first.path("trace.id").asText()).matches("[0-9a-f]{32}");
    assertThat(first.path("span.id").asText()).matches("[0-9a-f]{16}");
    assertThat(stdout.toString(StandardCharsets.UTF_8))
        .doesNotContain("redis-secret", postgres.password());
  }

  @Test
  @Order(4)
  void spansArriveAtTheOtlpReceiverWithGenAiAttributes() {
    await("chat spans at the OTLP receiver")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(otlp.spans.named("POST /chat")).isPresent();
              assertThat(otlp.spans.all())
                  .anySatisfy(s -> assertThat(s.span().getName()).startsWith("chat companion-sim"));
            });
    ReceivedSpans.Received server = otlp.spans.named("POST /chat").orElseThrow();
    assertThat(server.resourceAttributes()).containsEntry("service.name", "ai-companion");
    ReceivedSpans.Received genAi =
        otlp.spans.all().stream()
            .filter(s -> s.span().getName().startsWith("chat companion-sim"))
            .findFirst()
            .orElseThrow();
    assertThat(genAi.attributes())
        .containsEntry("gen_ai.operation.name", "chat")
        .containsEntry("gen_ai.provider.name", "simulated")
        .containsKey("gen_ai.request.model");
    // the GenAI span belongs to a request's trace
    assertThat(otlp.spans.all())
        .anySatisfy(s -> assertThat(s.spanId()).isEqualTo(genAi.parentSpanId()));
  }

  @Test
  @Order(5)
  void budgetAlertReachesTheRealAlertmanager() {
    await("LlmBudgetExceeded in Alertmanager")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonNode alerts =
                  JSON.readTree(get(alertmanager.baseUri().resolve("/api/v2/alerts")).body());
              assertThat(alerts.findValuesAsText("alertname")).contains("LlmBudgetExceeded");
              JsonNode budget = null;
              for (JsonNode a : alerts) {
                if (a.path("labels").path("alertname").asText().equals("LlmBudgetExceeded")) {
                  budget = a;
                }
              }
              assertThat(budget).isNotNull();
              assertThat(budget.path("labels").path("service").asText()).isEqualTo("ai-companion");
              assertThat(budget.path("labels").path("environment").asText()).isEqualTo("e2e");
              assertThat(budget.path("labels").path("severity").asText()).isEqualTo("warning");
            });
    assertThat(app.budgetAlertFiring()).isTrue();
  }

  @Test
  @Order(6)
  void healthFailsWhilePostgresIsDownAndRecovers() throws Exception {
    int port = monitoring.metricsAddress().getPort();
    URI health = URI.create("http://127.0.0.1:" + port + "/health");
    URI ready = URI.create("http://127.0.0.1:" + port + "/health/ready");
    URI live = URI.create("http://127.0.0.1:" + port + "/health/live");
    assertThat(get(health).statusCode()).isEqualTo(200);
    postgres.stop();
    try {
      await("readiness fails without PostgreSQL")
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                HttpResponse<String> r = get(ready);
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(r.body()).contains("\"status\":\"fail\"");
              });
      assertThat(get(health).statusCode()).isEqualTo(503);
      assertThat(get(live).statusCode()).isEqualTo(200);
    } finally {
      postgres.restart();
    }
    await("readiness recovers with PostgreSQL")
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(get(ready).statusCode()).isEqualTo(200));
  }

  private static String metrics() throws IOException, InterruptedException {
    return get(URI.create("http://127.0.0.1:" + monitoring.metricsAddress().getPort() + "/metrics"))
        .body();
  }

  private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Keeps what the app prints for the assertions and still shows it in the build log. */
  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final OutputStream second;

    Tee(OutputStream first, OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public synchronized void write(int b) throws IOException {
      first.write(b);
      second.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      first.write(b, off, len);
      second.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      first.flush();
      second.flush();
    }
  }
}
