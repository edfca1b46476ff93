package com.aicompanion.monitoring.health;

import static com.aicompanion.monitoring.health.TestHttp.get;
import static com.aicompanion.monitoring.health.TestHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.aicompanion.monitoring.Monitoring;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class HealthEndpointTest {
  private static final String TOKEN = "endpoint-token-123";
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<Monitoring> started = new ArrayList<>();

  @AfterEach
  void close() {
    release.countDown();
    started.forEach(Monitoring::close);
  }

  private Monitoring start(Monitoring.Builder builder) {
    Monitoring monitoring = builder.start();
    started.add(monitoring);
    return monitoring;
  }

  @Test
  void hangingCheckIsAnsweredAsFailWithinItsTimeoutPlus100ms() {
    Monitoring monitoring =
        start(TestHttp.monitoring("hang-test").version("1.4.2").config("health.details", "always"));
    HealthRegistry health = monitoring.get(HealthRegistry.class);
    health.register(
        "never-returns",
        () -> {
          while (true) {
            try {
              release.await();
              return CheckResult.pass();
            } catch (InterruptedException ignored) {
              // a check that ignores interrupts, like a socket read without timeout
            }
          }
        },
        CheckOptions.critical().timeout(Duration.ofMillis(500)));
    get(monitoring, "/health/live"); // connection set up outside the measurement

    long begin = System.nanoTime();
    HttpResponse<String> response = get(monitoring, "/health");
    long tookMs = (System.nanoTime() - begin) / 1_000_000;

    assertThat(tookMs).isLessThan(600);
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/health+json");
    JsonNode body = json(response.body());
    assertThat(body.path("status").asText()).isEqualTo("fail");
    assertThat(body.path("serviceId").asText()).isEqualTo("hang-test");
    assertThat(body.path("version").asText()).isEqualTo("1.4.2");
    JsonNode check = body.path("checks").path("never-returns").path(0);
    assertThat(check.path("status").asText()).isEqualTo("fail");
    assertThat(check.path("output").asText()).isEqualTo("timed out after 500ms");
    assertThat(check.path("time").asText()).isNotBlank();
  }

  @Test
  void twoHundredConcurrentProbesRunTheCheckOncePerCacheInterval() {
    Monitoring monitoring = start(TestHttp.monitoring("stampede-test"));
    HealthRegistry health = monitoring.get(HealthRegistry.class);
    AtomicInteger runs = new AtomicInteger();
    health.register(
        "database",
        () -> {
          runs.incrementAndGet();
          release.await(); // a query that takes a while, so probes pile up behind it
          return CheckResult.pass().observed(50, "ms");
        },
        CheckOptions.critical()
            .timeout(Duration.ofSeconds(20))
            .cacheInterval(Duration.ofMinutes(5)));
    HttpRequest request = HttpRequest.newBuilder(TestHttp.uri(monitoring, "/health/ready")).build();

    List<CompletableFuture<HttpResponse<String>>> probes = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      probes.add(TestHttp.HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() == 1);
    release.countDown();
    List<Integer> statuses = probes.stream().map(p -> p.join().statusCode()).toList();

    assertThat(statuses).hasSize(200).containsOnly(200);
    assertThat(runs).hasValue(1);
    assertThat(health.runs("database")).isEqualTo(1);
  }

  @Test
  void livenessIgnoresAFailingReadinessCheck() {
    Monitoring monitoring = start(TestHttp.monitoring("probe-test"));
    HealthRegistry health = monitoring.get(HealthRegistry.class);
    health.register("database", () -> CheckResult.fail("down"));
    health.register(
        "deadlocks",
        CheckResult::pass,
        CheckOptions.critical().groups(CheckOptions.Group.LIVENESS));

    assertThat(get(monitoring, "/health/ready").statusCode()).isEqualTo(503);
    assertThat(get(monitoring, "/health/live").statusCode()).isEqualTo(200);
    assertThat(get(monitoring, "/health").statusCode()).isEqualTo(503);
  }

  @Test
  void nonCriticalFailureAnswers200WithWarn() {
    Monitoring monitoring = start(TestHttp.monitoring("warn-test"));
    monitoring
        .get(HealthRegistry.class)
        .register("cache", () -> CheckResult.fail("redis down"), CheckOptions.nonCritical());

    HttpResponse<String> response = get(monitoring, "/health");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response.body()).path("status").asText()).isEqualTo("warn");
  }

  @Test
  void detailsAreHiddenWithoutTheTokenAndNothingLeaks() {
    Monitoring monitoring = start(TestHttp.monitoring("secret-test").endpointToken(TOKEN));
    monitoring
        .get(HealthRegistry.class)
        .register(
            "postgres",
            () -> {
              throw new java.sql.SQLException(
                  "Connection to jdbc:postgresql://db.internal:5432/app?password=hunter2 refused");
            });

    HttpResponse<String> anonymous = get(monitoring, "/health");
    HttpResponse<String> wrongToken = get(monitoring, "/health", "not-the-token");
    HttpResponse<String> authorized = get(monitoring, "/health", TOKEN);

    assertThat(anonymous.statusCode()).isEqualTo(503);
    for (HttpResponse<String> hidden : List.of(anonymous, wrongToken)) {
      assertThat(json(hidden.body()).path("status").asText()).isEqualTo("fail");
      assertThat(json(hidden.body()).has("checks")).isFalse();
      assertThat(hidden.body())
          .doesNotContain("jdbc", "hunter2", "SQLException", "db.internal", "postgres");
    }
    assertThat(authorized.statusCode()).isEqualTo(503);
    assertThat(
            json(authorized.body()).path("checks").path("postgres").path(0).path("output").asText())
        .startsWith("SQLException: Connection to jdbc:postgresql://db.internal");
  }

  /** Issue 11, case 10. */
  @Test
  void byDefaultWithoutATokenNobodySeesDetailsAndOneInfoLineSaysHowToShowThem() {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    Logger logger = (Logger) LoggerFactory.getLogger("com.aicompanion.monitoring.health");
    log.start();
    logger.addAppender(log);
    try {
      Monitoring monitoring = start(TestHttp.monitoring("default-details"));
      monitoring
          .get(HealthRegistry.class)
          .register("postgres", () -> CheckResult.fail("db.internal:5432 refused"));

      HttpResponse<String> anonymous = get(monitoring, "/health");
      HttpResponse<String> withSomeToken = get(monitoring, "/health", "anything");

      for (HttpResponse<String> hidden : List.of(anonymous, withSomeToken)) {
        assertThat(hidden.statusCode()).isEqualTo(503);
        assertThat(json(hidden.body()).path("status").asText()).isEqualTo("fail");
        assertThat(json(hidden.body()).has("checks")).isFalse();
        assertThat(hidden.body()).doesNotContain("postgres", "db.internal");
      }
      assertThat(log.list)
          .filteredOn(e -> e.getFormattedMessage().startsWith("Health check details are hidden"))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.getLevel()).isEqualTo(Level.INFO);
                assertThat(e.getFormattedMessage())
                    .contains("MONITORING_ENDPOINT_TOKEN", "MONITORING_HEALTH_DETAILS=always");
              });
    } finally {
      logger.detachAppender(log);
    }
  }

  @Test
  void detailsAlwaysShowsThemToAnonymousCallersWithoutAToken() {
    Monitoring monitoring =
        start(TestHttp.monitoring("always-no-token").config("health.details", "always"));
    monitoring.get(HealthRegistry.class).register("db", () -> CheckResult.fail("down"));

    JsonNode body = json(get(monitoring, "/health").body());

    assertThat(body.path("checks").path("db").path(0).path("output").asText()).isEqualTo("down");
  }

  @Test
  void detailsNeverHidesThemEvenFromAuthorizedCallers() {
    Monitoring monitoring =
        start(
            TestHttp.monitoring("never-test")
                .endpointToken(TOKEN)
                .config("health.details", "never"));
    monitoring.get(HealthRegistry.class).register("db", CheckResult::pass);

    HttpResponse<String> response = get(monitoring, "/health", TOKEN);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response.body()).has("checks")).isFalse();
  }

  @Test
  void detailsAlwaysShowsThemToAnonymousCallersWithObservedValues() {
    Monitoring monitoring =
        start(
            TestHttp.monitoring("always-test")
                .endpointToken(TOKEN)
                .config("health.details", "always"));
    monitoring
        .get(HealthRegistry.class)
        .register("db", () -> CheckResult.pass().observed(12.5, "ms"));

    JsonNode check = json(get(monitoring, "/health").body()).path("checks").path("db").path(0);

    assertThat(check.path("status").asText()).isEqualTo("pass");
    assertThat(check.path("observedValue").asDouble()).isEqualTo(12.5);
    assertThat(check.path("observedUnit").asText()).isEqualTo("ms");
  }

  @Test
  void outputWithQuotesAndControlCharactersStaysValidJson() {
    Monitoring monitoring =
        start(TestHttp.monitoring("escape-test").config("health.details", "always"));
    String nasty = "he said \"no\"\\ \n\t\u0001 \u2028 ünïcödé";
    monitoring.get(HealthRegistry.class).register("odd", () -> CheckResult.fail(nasty));

    JsonNode body = json(get(monitoring, "/health").body());

    assertThat(body.path("checks").path("odd").path(0).path("output").asText()).isEqualTo(nasty);
  }

  @Test
  void healthMetricsAreScrapedFromMetricsEndpoint() {
    Monitoring monitoring = start(TestHttp.monitoring("metrics-test"));
    monitoring.get(HealthRegistry.class).register("db", CheckResult::pass);
    monitoring
        .get(HealthRegistry.class)
        .register("llm-provider", () -> CheckResult.fail("refused"), CheckOptions.nonCritical());
    monitoring.get(HealthRegistry.class).register("disk", () -> CheckResult.warn("80% full"));
    HealthReport report = monitoring.get(HealthRegistry.class).check();

    String scrape = TestHttp.scrape(monitoring);

    // a failing non-critical check is warn for /health (the service stays up) ...
    assertThat(report.checks().get("llm-provider").status()).isEqualTo(CheckResult.Status.WARN);
    assertThat(scrape)
        // ... and 0 for alert rules, told apart by the critical label
        .contains("health_check_status{check=\"llm-provider\",critical=\"false\"} 0.0")
        .contains("health_check_status{check=\"disk\",critical=\"true\"} 0.5")
        .contains("health_check_status{check=\"db\",critical=\"true\"} 1.0")
        .contains("health_check_abandoned_runs{check=\"db\"} 0.0")
        .contains("health_check_duration_seconds_count{check=\"db\",status=\"pass\"} 1");
  }

  @Test
  void badDetailsSettingFailsStartNamingKeyAndValue() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> start(TestHttp.monitoring("bad-test").config("health.details", "sometimes")))
        .hasMessageContaining("sometimes")
        .hasMessageContaining("never, authorized, always");
  }
}
