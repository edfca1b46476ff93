package com.aicompanion.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The facade's recording rules, read back from the registry's Prometheus exposition. */
class MonitorRecordingTest {
  private PrometheusMeterRegistry registry;
  private Monitor monitor;
  private LogCapture log;

  @BeforeEach
  void setUp() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    monitor = Monitor.create(registry, 3, LlmPrices.defaults());
    log = LogCapture.of("com.aicompanion.monitoring.Monitor");
  }

  @AfterEach
  void tearDown() {
    log.close();
    registry.close();
  }

  static List<Arguments> invalidNames() {
    return List.of(
        Arguments.of("", "Metric name \"\" is invalid: a metric name must not be empty"),
        Arguments.of(
            "1abc",
            "Metric name \"1abc\" is invalid: names must match [a-zA-Z_][a-zA-Z0-9_]* (letters, digits and"
                + " underscores, not starting with a digit); use \"_1abc\""),
        Arguments.of(
            "my-metric",
            "Metric name \"my-metric\" is invalid: names must match [a-zA-Z_][a-zA-Z0-9_]* (letters, digits"
                + " and underscores, not starting with a digit); use \"my_metric\""),
        Arguments.of(null, "Metric name is null: pass a name such as \"requests_total\""));
  }

  @ParameterizedTest
  @MethodSource("invalidNames")
  void invalidNameIsRefusedOnceWithAWarningAndNeverThrows(String name, String message) {
    monitor.incrementCounter(name, Map.of("k", "v"));
    monitor.incrementCounter(name, Map.of("k", "v"));
    monitor.setGauge(name, 1);

    assertThat(log.warnings())
        .containsExactly("Ignoring recording: " + message + ". This warning is logged once.");
    assertThat(registry.scrape())
        .contains("monitoring_metric_errors_total{reason=\"invalid_name\"} 3.0");
  }

  @ParameterizedTest
  @MethodSource("invalidNames")
  void invalidNameThrowsFromBuilderTimeCalls(String name, String message) {
    assertThatThrownBy(() -> monitor.counter(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
    assertThatThrownBy(() -> monitor.timer(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void invalidLabelKeyIsRefusedWithTheRule() {
    monitor.incrementCounter("events_total", Map.of("bad-key", "x"));
    monitor.incrementCounter("events_total", Map.of("__reserved", "x"));

    assertThat(log.warnings())
        .containsExactly(
            "Ignoring recording: Label key \"bad-key\" of metric \"events_total\" is invalid: label keys must"
                + " match [a-zA-Z_][a-zA-Z0-9_]* and must not start with \"__\". This warning is logged once.",
            "Ignoring recording: Label key \"__reserved\" of metric \"events_total\" is invalid: label keys"
                + " must match [a-zA-Z_][a-zA-Z0-9_]* and must not start with \"__\". This warning is logged once.");
    assertThat(registry.scrape()).doesNotContain("events_total{");
    assertThatThrownBy(() -> monitor.counter("events_total", "bad-key", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Label key \"bad-key\" of metric \"events_total\" is invalid");
  }

  @Test
  void nullLabelValueIsRefusedNamingTheLabel() {
    Map<String, String> labels = new HashMap<>();
    labels.put("event_type", null);
    monitor.incrementCounter("custom_events_total", labels);

    assertThat(log.warnings())
        .containsExactly(
            "Ignoring recording: Label \"event_type\" of metric \"custom_events_total\" has a null value: pass"
                + " a non-null value such as \"unknown\". This warning is logged once.");
    assertThat(registry.scrape())
        .contains("monitoring_metric_errors_total{reason=\"invalid_labels\"} 1.0");
  }

  @Test
  void nameReusedWithAnotherTypeIsRefusedNamingBoth() {
    monitor.setGauge("queue_depth", 3);
    monitor.incrementCounter("queue_depth");
    monitor.incrementCounter("queue_depth_total");

    assertThat(log.warnings())
        .containsExactly(
            "Ignoring recording: Metric \"queue_depth\" is already registered as a gauge; cannot record it as a"
                + " counter: use a different name for the counter. This warning is logged once.",
            "Ignoring recording: Metric \"queue_depth_total\" is already registered as a gauge; cannot record"
                + " it as a counter: use a different name for the counter. This warning is logged once.");
    assertThat(Exposition.require(registry.scrape(), "queue_depth")).isEqualTo(3.0);
    assertThatThrownBy(() -> monitor.counter("queue_depth"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Metric \"queue_depth\" is already registered as a gauge; cannot record it as a counter: use a"
                + " different name for the counter");
  }

  @Test
  void labelKeysOfAMetricCannotChange() {
    monitor.incrementCounter("custom_events_total", Map.of("event_type", "a"));
    monitor.incrementCounter("custom_events_total", Map.of("kind", "b"));

    assertThat(log.warnings())
        .containsExactly(
            "Ignoring recording: Metric \"custom_events_total\" was first recorded with label keys [event_type]"
                + " and now with [kind]: a metric's label keys must not change; use the same keys or another"
                + " name. This warning is logged once.");
    assertThat(registry.scrape())
        .contains("custom_events_total{event_type=\"a\"} 1.0")
        .doesNotContain("kind=");
  }

  @Test
  void counterWithAndWithoutTotalIsOneCounter() {
    monitor.incrementCounter("jobs_total");
    monitor.incrementCounter("jobs");
    Counter bound = monitor.counter("jobs_total");
    bound.increment(2);

    String body = registry.scrape();
    assertThat(Exposition.require(body, "jobs_total")).isEqualTo(4.0);
    assertThat(Exposition.lines(body, "jobs_total")).isEqualTo(1);
  }

  @Test
  void negativeIncrementIsRefused() {
    monitor.incrementCounter("jobs_total", -1, Map.of());

    assertThat(log.warnings())
        .containsExactly(
            "Ignoring recording: Counter \"jobs_total\" was incremented by -1.0: a counter only goes up"
                + " by a finite amount; pass a finite amount >= 0. This warning is logged once.");
  }

  @Test
  void gaugeKeepsTheLastValueSet() {
    monitor.setGauge("queue_depth", 17, Map.of("queue", "ingest"));
    monitor.setGauge("queue_depth", 4, Map.of("queue", "ingest"));
    System.gc();

    assertThat(Exposition.require(registry.scrape(), "queue_depth{queue=\"ingest\"}"))
        .isEqualTo(4.0);
  }

  @Test
  void timeRecordsTheDurationAlsoWhenTheWorkThrows() {
    assertThat(monitor.time("embedding_duration", Map.of("model", "e5"), () -> "vector"))
        .isEqualTo("vector");
    assertThatThrownBy(
            () ->
                monitor.time(
                    "embedding_duration",
                    Map.of("model", "e5"),
                    () -> {
                      throw new IllegalStateException("model down");
                    }))
        .hasMessage("model down");

    assertThat(
            Exposition.require(registry.scrape(), "embedding_duration_seconds_count{model=\"e5\"}"))
        .isEqualTo(2.0);
  }

  @Test
  void labelSetsPastTheLimitFoldIntoOtherAndAreCounted() {
    for (int user = 0; user < 5; user++) {
      monitor.incrementCounter("logins_total", Map.of("user", "u" + user));
    }
    monitor.incrementCounter("logins_total", Map.of("user", "u4"));
    monitor.incrementCounter("logins_total", Map.of("user", "u0"));

    String body = registry.scrape();
    assertThat(Exposition.require(body, "logins_total{user=\"u0\"}")).isEqualTo(2.0);
    assertThat(Exposition.value(body, "logins_total{user=\"u3\"}")).isEmpty();
    assertThat(Exposition.require(body, "logins_total{user=\"OTHER\"}")).isEqualTo(3.0);
    assertThat(
            Exposition.require(
                body, "monitoring_cardinality_overflow_total{metric=\"logins_total\"}"))
        .isEqualTo(3.0);
  }

  @Test
  void httpRoutesPastTheLimitFoldIntoOther() {
    for (int i = 0; i < 5; i++) {
      monitor.http().record("GET", "/users/" + i, 200, Duration.ofMillis(1));
    }
    String body = registry.scrape();
    assertThat(body).contains("uri=\"OTHER\"");
    assertThat(
            Exposition.require(
                body, "monitoring_cardinality_overflow_total{metric=\"http_server_requests\"}"))
        .isEqualTo(2.0);
  }

  @Test
  void eightThreadsRecordingSharedSeriesGiveExactTotals() throws Exception {
    Monitor big = Monitor.create(registry);
    int threads = 8;
    int perThread = 100_000;
    List<Map<String, String>> series =
        List.of(Map.of("shard", "a"), Map.of("shard", "b"), Map.of("shard", "c"));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      done.add(
          pool.submit(
              () -> {
                go.await();
                for (int i = 0; i < perThread; i++) {
                  // a fresh map each time for one series, constants for the others: both paths race
                  Map<String, String> labels =
                      i % 3 == 0 ? new HashMap<>(series.get(0)) : series.get(i % 3);
                  big.incrementCounter("concurrent_events_total", labels);
                }
                return null;
              }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get(2, TimeUnit.MINUTES);
    }
    pool.shutdown();

    String body = registry.scrape();
    double a = Exposition.require(body, "concurrent_events_total{shard=\"a\"}");
    double b = Exposition.require(body, "concurrent_events_total{shard=\"b\"}");
    double c = Exposition.require(body, "concurrent_events_total{shard=\"c\"}");
    assertThat(a + b + c).isEqualTo((double) threads * perThread);
    assertThat(a).isEqualTo(threads * 33_334.0);
    assertThat(b).isEqualTo(threads * 33_333.0);
    assertThat(c).isEqualTo(threads * 33_333.0);
  }

  @Test
  void boundCounterNeedsKeyValuePairs() {
    assertThatThrownBy(() -> monitor.counter("messages_total", "channel"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Tags of metric \"messages_total\" must be key/value pairs, but 1 strings were given");
  }

  @Test
  void cachesUseMicrometerCacheNames() {
    CacheMetrics cache = monitor.cache("llm-responses");
    cache.hit();
    cache.hit();
    cache.miss();
    cache.put();
    cache.eviction();
    cache.size(42);

    String body = registry.scrape();
    assertThat(Exposition.require(body, "cache_gets_total{cache=\"llm-responses\",result=\"hit\"}"))
        .isEqualTo(2.0);
    assertThat(
            Exposition.require(body, "cache_gets_total{cache=\"llm-responses\",result=\"miss\"}"))
        .isEqualTo(1.0);
    assertThat(Exposition.require(body, "cache_puts_total{cache=\"llm-responses\"}"))
        .isEqualTo(1.0);
    assertThat(Exposition.require(body, "cache_evictions_total{cache=\"llm-responses\"}"))
        .isEqualTo(1.0);
    assertThat(Exposition.require(body, "cache_size{cache=\"llm-responses\"}")).isEqualTo(42.0);
    assertThat(monitor.cache("llm-responses")).isSameAs(cache);
    assertThatThrownBy(() -> monitor.cache(" ")).hasMessageContaining("cache name is blank");
  }

  @Test
  void anUnmatched404IsNotFoundWhileAMatchedRouteKeepsItsRouteAndOddMethodsAreUnknown() {
    // the monitor of this test holds 3 label sets per metric: a wider one here
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Monitor monitor = Monitor.create(registry);
    monitor.http().record("GET", null, 404, Duration.ofMillis(3));
    monitor.http().record("GET", "/users/{id}", 404, Duration.ofMillis(3));
    monitor.http().record("GET", " ", 301, Duration.ofMillis(3));
    monitor.http().record("GET", null, 200, Duration.ofMillis(3));
    monitor.http().record("BREW", "/coffee", 418, Duration.ofMillis(3));
    monitor.http().record("post", "/chat", 503, Duration.ofMillis(3));

    String body = registry.scrape();
    registry.close();
    assertThat(body)
        .contains(
            "http_server_requests_seconds_count{error_type=\"\",method=\"GET\",outcome=\"CLIENT_ERROR\",status=\"404\",uri=\"NOT_FOUND\"} 1")
        .contains(
            "http_server_requests_seconds_count{error_type=\"\",method=\"GET\",outcome=\"CLIENT_ERROR\",status=\"404\",uri=\"/users/{id}\"} 1")
        .contains(
            "http_server_requests_seconds_count{error_type=\"\",method=\"GET\",outcome=\"REDIRECTION\",status=\"301\",uri=\"REDIRECTION\"} 1")
        .contains(
            "http_server_requests_seconds_count{error_type=\"\",method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"UNKNOWN\"} 1")
        .contains(
            "http_server_requests_seconds_count{error_type=\"\",method=\"UNKNOWN\",outcome=\"CLIENT_ERROR\",status=\"418\",uri=\"/coffee\"} 1")
        .contains(
            "http_server_requests_seconds_count{error_type=\"\",method=\"POST\",outcome=\"SERVER_ERROR\",status=\"503\",uri=\"/chat\"} 1");
  }

  @Test
  void aFailedOrAbortedRequestCarriesItsErrorTypeAndNoResponseIsUnknown() {
    monitor
        .http()
        .record("GET", "/chat", 500, "java.lang.IllegalStateException", 3, TimeUnit.MILLISECONDS);
    monitor
        .http()
        .record(
            "GET",
            "/chat",
            HttpServerMetrics.NO_RESPONSE,
            "java.io.IOException",
            3,
            TimeUnit.MILLISECONDS);
    monitor.http().record("GET", "/chat", 42, null, 3, TimeUnit.MILLISECONDS);

    String body = registry.scrape();
    assertThat(body)
        .contains(
            "http_server_requests_seconds_count{error_type=\"java.lang.IllegalStateException\",method=\"GET\",outcome=\"SERVER_ERROR\",status=\"500\",uri=\"/chat\"} 1")
        .contains(
            "http_server_requests_seconds_count{error_type=\"java.io.IOException\",method=\"GET\",outcome=\"UNKNOWN\",status=\"UNKNOWN\",uri=\"/chat\"} 1")
        .doesNotContain("status=\"42\"");
    assertThat(body).contains("monitoring_metric_errors_total{reason=\"invalid_value\"} 1.0");
  }

  @Test
  void clientRequestsAreRecordedWithTheirHostAndNoResponseIsAnIoError() {
    monitor
        .httpClient()
        .record("GET", "/v1/models/{id}", "api.example.com", 200, null, 84, TimeUnit.MILLISECONDS);
    monitor
        .httpClient()
        .record(
            "POST",
            "/v1/chat",
            "api.example.com",
            HttpClientMetrics.NO_RESPONSE,
            "java.net.ConnectException",
            3,
            TimeUnit.MILLISECONDS);
    monitor.httpClient().record("GET", null, null, 404, "", 1, TimeUnit.MILLISECONDS);

    String body = registry.scrape();
    assertThat(body)
        .contains(
            "http_client_requests_seconds_count{client_name=\"api.example.com\",error_type=\"\",method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/v1/models/{id}\"} 1")
        .contains(
            "http_client_requests_seconds_count{client_name=\"api.example.com\",error_type=\"java.net.ConnectException\",method=\"POST\",outcome=\"UNKNOWN\",status=\"IO_ERROR\",uri=\"/v1/chat\"} 1")
        .contains(
            "http_client_requests_seconds_count{client_name=\"UNKNOWN\",error_type=\"\",method=\"GET\",outcome=\"CLIENT_ERROR\",status=\"404\",uri=\"UNKNOWN\"} 1");
  }
}
