package com.aicompanion.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.testsupport.Promtool;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Statistic;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.noop.NoopMeter;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One Prometheus name space: a recording whose exposed names would clash with another meter's, or
 * that the exposition would rename, is refused before it reaches the registry, and /metrics keeps
 * answering 200 with the first meter intact. Read back through the real endpoint.
 */
class MetricNameSpaceTest {
  private Monitoring monitoring;
  private Monitor monitor;
  private LogCapture log;

  @BeforeEach
  void setUp() {
    log = LogCapture.of("com.aicompanion.monitoring.Monitor");
    monitoring = TestMonitoring.builder("names").jvmMetrics(false).start();
    monitor = monitoring.monitor();
  }

  @AfterEach
  void tearDown() {
    monitoring.close();
    log.close();
  }

  record Pair(String description, Consumer<Monitor> first, Consumer<Monitor> second) {
    @Override
    public String toString() {
      return description;
    }
  }

  static List<Arguments> clashingPairs() {
    Consumer<Monitor> summaryA = m -> m.recordCustomMetric("a", 1.0);
    Consumer<Monitor> gaugeAMax = m -> m.setGauge("a_max", 1);
    Consumer<Monitor> timerJob = m -> m.recordCustomMetric("job_duration", Duration.ofMillis(5));
    Consumer<Monitor> gaugeJobMax = m -> m.setGauge("job_duration_seconds_max", 1);
    Consumer<Monitor> counterQ = m -> m.incrementCounter("q");
    Consumer<Monitor> summaryQTotal = m -> m.recordCustomMetric("q_total_count", 1.0);
    Consumer<Monitor> summaryR = m -> m.recordCustomMetric("r", 2.0);
    Consumer<Monitor> gaugeRCount = m -> m.setGauge("r_count", 3);
    Consumer<Monitor> gaugeRSum = m -> m.setGauge("r_sum", 3);
    return List.of(
        Arguments.of("summary a, then gauge a_max", summaryA, gaugeAMax, "a_max"),
        Arguments.of("gauge a_max, then summary a", gaugeAMax, summaryA, "a_max"),
        Arguments.of(
            "timer job_duration, then gauge", timerJob, gaugeJobMax, "job_duration_seconds_max"),
        Arguments.of(
            "gauge, then timer job_duration", gaugeJobMax, timerJob, "job_duration_seconds_max"),
        Arguments.of("summary r, then gauge r_count", summaryR, gaugeRCount, "r_count"),
        Arguments.of("gauge r_sum, then summary r", gaugeRSum, summaryR, "r_sum"),
        Arguments.of(
            "counter q, then summary q_total_count (no clash)", counterQ, summaryQTotal, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clashingPairs")
  void theSecondOfTwoClashingMetricsIsRefusedAndEveryScrapeSucceeds(
      String description, Consumer<Monitor> first, Consumer<Monitor> second, String clash) {
    first.accept(monitor);
    String before = scrapeText();
    second.accept(monitor);
    second.accept(monitor);

    for (int i = 0; i < 3; i++) {
      HttpResponse<String> response = TestMonitoring.get(monitoring, "/metrics");
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
    String after = scrapeText();
    if (clash == null) {
      assertThat(errors(after, "name_conflict")).isZero();
      return;
    }
    // the first meter's samples are still there, and the clashing name is exposed once only
    for (String line : before.lines().filter(l -> !l.startsWith("#")).toList()) {
      String series = line.substring(0, line.lastIndexOf(' '));
      assertThat(after).contains(series);
    }
    assertThat(after.lines().filter(l -> l.startsWith(clash + " ")).count()).isEqualTo(1);
    assertThat(errors(after, "name_conflict")).isEqualTo(2.0);
    assertThat(log.warnings()).hasSize(1);
    assertThat(log.warnings().get(0)).contains("clashes with").contains("\"" + clash + "\"");
    assertThat(Promtool.checkMetrics(after).output()).doesNotContain("error");
  }

  @Test
  void aMeterRegisteredDirectlyOnTheRegistryThatClashesIsDeniedAndCounted() {
    monitor.recordCustomMetric("payload_size", 10.0);
    MeterRegistry registry = monitor.registry();
    Gauge direct = Gauge.builder("payload.size.max", () -> 7).register(registry);
    FunctionCounter ok = FunctionCounter.builder("payload.other", this, x -> 1).register(registry);

    String body = scrapeText();
    assertThat(body).contains("payload_size_max 10.0").doesNotContain("payload_size_max 7.0");
    assertThat(body).contains("payload_other_total 1.0");
    assertThat(errors(body, "name_conflict")).isEqualTo(1.0);
    assertThat(direct).isInstanceOf(NoopMeter.class);
    assertThat(ok.count()).isEqualTo(1.0);
    assertThat(log.warnings()).singleElement().asString().contains("payload_size_max");
  }

  @Test
  void theFacadeRefusesAMetricThatAMeterRegisteredDirectlyAlreadyExposes() {
    Timer.builder("render.time").register(monitor.registry()).record(3, TimeUnit.MILLISECONDS);
    monitor.setGauge("render_time_seconds_count", 4);

    String body = scrapeText();
    assertThat(body).contains("render_time_seconds_count 1");
    assertThat(errors(body, "name_conflict")).isEqualTo(1.0);
    assertThat(log.warnings())
        .singleElement()
        .asString()
        .contains("render_time_seconds_count")
        .contains("registered as \"render.time\"");
  }

  @Test
  void twoMicrometerNamesForOnePrometheusNameAreNotBothKept() {
    Counter dotted = Counter.builder("cache.loads").register(monitor.registry());
    dotted.increment(2);
    monitor.incrementCounter("cache_loads_total");

    String body = scrapeText();
    assertThat(Exposition.require(body, "cache_loads_total")).isEqualTo(2.0);
    assertThat(errors(body, "name_conflict")).isEqualTo(1.0);
  }

  static List<Arguments> rewrittenNames() {
    return List.of(
        Arguments.of(
            (Consumer<Monitor>) m -> m.incrementCounter("whatever_created_total"),
            "whatever_total",
            "\"whatever_created_total\" (a counter) would be exposed as \"whatever_total\""),
        Arguments.of(
            (Consumer<Monitor>) m -> m.setGauge("build_info", 1, Map.of("commit", "abc")),
            "build{",
            "\"build_info\" (a gauge) would be exposed as \"build\""),
        Arguments.of(
            (Consumer<Monitor>) m -> m.setGauge("queue_total", 3),
            "queue ",
            "\"queue_total\" (a gauge) would be exposed as \"queue\""),
        Arguments.of(
            (Consumer<Monitor>) m -> m.recordCustomMetric("latency_bucket", 3.0),
            "latency_count",
            "\"latency_bucket\" (a distribution summary) would be exposed as \"latency\""),
        Arguments.of(
            (Consumer<Monitor>) m -> m.incrementCounter("jobs_info"),
            "jobs_total",
            "\"jobs_info\" (a counter) would be exposed as \"jobs_total\""));
  }

  @ParameterizedTest
  @MethodSource("rewrittenNames")
  void aNameTheExpositionWouldRewriteIsRefusedNotRenamed(
      Consumer<Monitor> recording, String renamed, String message) {
    recording.accept(monitor);
    recording.accept(monitor);

    String body = scrapeText();
    assertThat(body).doesNotContain(renamed);
    assertThat(errors(body, "reserved_suffix")).isEqualTo(2.0);
    assertThat(log.warnings()).singleElement().asString().contains(message);
  }

  @Test
  void namesThatKeepTheirSuffixAreExposedAsGiven() {
    monitor.recordCustomMetric("job_duration_seconds", Duration.ofMillis(5));
    monitor.setGauge("disk_free_bytes", 3);
    monitor.incrementCounter("errors_total_count");

    String body = scrapeText();
    assertThat(body)
        .contains("job_duration_seconds_count 1")
        .contains("disk_free_bytes 3.0")
        .contains("errors_total_count_total 1.0");
    assertThat(log.warnings()).isEmpty();
  }

  @Test
  void aRegistryDenialIsDetectedAndCountedInsteadOfLosingRecordingsSilently() {
    monitor.registry().config().meterFilter(MeterFilter.denyNameStartsWith("denied"));
    monitor.incrementCounter("denied_events_total");
    monitor.setGauge("denied_depth", 3);
    monitor.incrementCounter("denied_events_total");

    String body = scrapeText();
    assertThat(body).doesNotContain("denied_events").doesNotContain("denied_depth");
    assertThat(errors(body, "registry_rejected")).isEqualTo(3.0);
    assertThat(log.warnings())
        .hasSize(2)
        .allSatisfy(w -> assertThat(w).contains("returned a no-op meter"));
  }

  @Test
  void invalidValuesAreRefusedWithOneRegimeAndNeverReachTheMeter() {
    monitor.incrementCounter("events_total", 2, Map.of());
    monitor.incrementCounter("events_total", Double.POSITIVE_INFINITY, Map.of());
    monitor.incrementCounter("events_total", Double.NaN, Map.of());
    monitor.incrementCounter("events_total", -1, Map.of());
    monitor.incrementCounter("events_total", Double.NEGATIVE_INFINITY, Map.of());
    monitor.recordCustomMetric("payload", 4.0);
    monitor.recordCustomMetric("payload", Double.NaN);
    monitor.recordCustomMetric("payload", -4.0);
    monitor.recordCustomMetric("payload", Double.POSITIVE_INFINITY);
    monitor.recordCustomMetric("wait", Duration.ofMillis(-1));
    monitor.recordCustomMetric("wait", Duration.ofSeconds(Long.MAX_VALUE));
    monitor.recordCustomMetric("wait", (Duration) null);
    monitor.http().record("GET", "/a", 200, Duration.ofMillis(-5));
    monitor.http().record("GET", "/a", 200, null);
    monitor.http().record("GET", "/a", 200, -5, TimeUnit.MILLISECONDS);
    monitor.http().record("GET", "/a", 200, Duration.ofSeconds(Long.MAX_VALUE));
    monitor.llm().start("openai", "gpt-4o", "chat").finish(-1, 10);
    monitor.setGauge("temperature", Double.NaN);
    monitor.setGauge("ceiling", Double.POSITIVE_INFINITY);

    String body = scrapeText();
    assertThat(Exposition.require(body, "events_total")).isEqualTo(2.0);
    assertThat(Exposition.require(body, "payload_count")).isEqualTo(1.0);
    assertThat(Exposition.require(body, "payload_sum")).isEqualTo(4.0);
    assertThat(body).doesNotContain("wait_seconds_count 1");
    assertThat(body).doesNotContain("http_server_requests_seconds_count{");
    assertThat(body)
        .containsPattern("(?m)^gen_ai_client_operation_duration_seconds_count\\{.*\\} 1$");
    assertThat(body).containsPattern("(?m)^gen_ai_client_token_usage_count\\{.*\\} 0$");
    assertThat(body).doesNotContainPattern("(?m)^gen_ai_client_token_usage_count\\{.*\\} [1-9]");
    assertThat(Exposition.require(body, "temperature")).isNaN();
    assertThat(Exposition.require(body, "ceiling")).isInfinite();
    assertThat(errors(body, "invalid_value")).isEqualTo(15.0);
  }

  @Test
  void labelsThatAHistogramOrSummaryReservesAreRefusedAndTheScrapeStays200() {
    MeterRegistry registry = monitor.registry();
    Timer.builder("h")
        .tag("le", "a")
        .publishPercentileHistogram()
        .register(registry)
        .record(Duration.ofMillis(5));
    DistributionSummary.builder("job")
        .tag("quantile", "z")
        .publishPercentiles(0.9)
        .register(registry);
    monitor.recordCustomMetric("job2", 3.0, Map.of("quantile", "p"));
    monitor.recordCustomMetric("wait", Duration.ofMillis(2), Map.of("le", "hi"));
    monitor.incrementCounter("reqs_total", Map.of("le", "1", "quantile", "x"));

    String body = scrapeText();
    assertThat(body).contains("reqs_total{le=\"1\",quantile=\"x\"} 1.0");
    assertThat(body).doesNotContain("h_seconds").doesNotContain("job2").doesNotContain("wait_");
    assertThat(errors(body, "invalid_labels")).isEqualTo(4.0);
    assertThat(log.warnings())
        .anySatisfy(w -> assertThat(w).contains("reserves for histogram buckets"));
  }

  @Test
  void aHistogramFilterAddedAfterStartCannotMixShapesInOneFamily() {
    monitor.recordCustomMetric("job", Duration.ofMillis(5), Map.of("k", "a"));
    monitor
        .registry()
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public DistributionStatisticConfig configure(
                  Meter.Id id, DistributionStatisticConfig config) {
                return id.getType() == Meter.Type.TIMER
                    ? DistributionStatisticConfig.builder()
                        .percentilesHistogram(true)
                        .build()
                        .merge(config)
                    : config;
              }
            });
    monitor.recordCustomMetric("job", Duration.ofMillis(5), Map.of("k", "b"));
    Timer.builder("job").tag("k", "c").register(monitor.registry()).record(Duration.ofMillis(1));

    String body = scrapeText();
    assertThat(body).contains("job_seconds_count{k=\"a\"} 1").doesNotContain("job_seconds_bucket");
    assertThat(errors(body, "name_conflict")).isPositive();
  }

  @Test
  void aCustomMeterClaimsTheNamesOfItsStatisticsWhateverTypeItDeclares() {
    Meter.builder(
            "cg",
            Meter.Type.GAUGE,
            List.of(
                new Measurement(() -> 2, Statistic.TOTAL),
                new Measurement(() -> 5, Statistic.VALUE)))
        .register(monitor.registry());
    monitor.incrementCounter("cg_sum", Map.of("statistic", "TOTAL"));
    monitor.setGauge("cg_value", 4, Map.of("statistic", "VALUE"));
    monitor.incrementCounter("cg_sum");

    String body = scrapeText();
    assertThat(body).contains("cg_sum_total{statistic=\"TOTAL\"} 2.0");
    assertThat(errors(body, "name_conflict")).isEqualTo(3.0);
  }

  @Test
  void boundMetersAndLargeValuesFollowTheSameValueRegime() {
    Counter bound = monitor.counter("bound_c", "k", "v");
    bound.increment(Double.POSITIVE_INFINITY);
    bound.increment(Double.NaN);
    bound.increment(-1);
    bound.increment(2);
    Timer boundTimer = monitor.timer("bound_t");
    boundTimer.record(Duration.ofSeconds(-5));
    boundTimer.record(Duration.ofMillis(3));
    monitor.incrementCounter("hc", Double.MAX_VALUE, Map.of());
    monitor.incrementCounter("hc", Double.MAX_VALUE, Map.of());
    monitor.recordCustomMetric("s1", Double.MAX_VALUE);
    monitor.recordCustomMetric("s1", Double.MAX_VALUE);
    monitor.recordCustomMetric("tt", Duration.ofNanos(Long.MAX_VALUE / 2 + 1));
    monitor.recordCustomMetric("tt", Duration.ofNanos(Long.MAX_VALUE / 2 + 1));
    monitor.http().record("GET", "/a", 200, Long.MAX_VALUE, TimeUnit.DAYS);
    monitor.http().record("GET", "/a", -1, Duration.ofMillis(3));
    monitor.http().record("GET", "/a", 99999, Duration.ofMillis(3));

    String body = scrapeText();
    assertThat(Exposition.require(body, "bound_c_total{k=\"v\"}")).isEqualTo(2.0);
    assertThat(Exposition.require(body, "bound_t_seconds_count")).isEqualTo(1.0);
    assertThat(Exposition.require(body, "hc_total")).isEqualTo(Double.MAX_VALUE);
    assertThat(Exposition.require(body, "s1_sum")).isEqualTo(Double.MAX_VALUE);
    assertThat(Exposition.require(body, "tt_seconds_count")).isEqualTo(1.0);
    assertThat(Exposition.require(body, "tt_seconds_sum")).isPositive();
    assertThat(body)
        .doesNotContain(" +Inf\n")
        .doesNotContain("status=\"-1\"")
        .doesNotContain("99999");
    assertThat(body).doesNotContainPattern("http_server_requests_seconds_count\\{.*\\} [1-9]");
    assertThat(errors(body, "invalid_value")).isEqualTo(10.0);
  }

  @Test
  void deniedStandardFamiliesCountEveryLostRecording() {
    monitor.registry().config().meterFilter(MeterFilter.denyNameStartsWith("http"));
    monitor.registry().config().meterFilter(MeterFilter.denyNameStartsWith("cache"));
    monitor.registry().config().meterFilter(MeterFilter.denyNameStartsWith("gen_ai"));
    monitor.http().record("GET", "/x", 200, Duration.ofMillis(1));
    monitor.http().record("GET", "/x", 200, Duration.ofMillis(1));
    monitor.cache("c").hit();
    monitor.llm().start("openai", "gpt-4o", "chat").finish(1, 1);

    assertThat(errors(scrapeText(), "registry_rejected")).isEqualTo(4.0);
  }

  @Test
  void recordingsAfterTheRegistryWasClearedRegisterAgain() {
    monitor.incrementCounter("fr");
    monitor.http().record("GET", "/x", 200, Duration.ofMillis(1));
    monitor.registry().clear();
    monitor.incrementCounter("fr");
    monitor.http().record("GET", "/x", 200, Duration.ofMillis(1));

    String body = scrapeText();
    assertThat(Exposition.require(body, "fr_total")).isEqualTo(1.0);
    assertThat(body).contains("http_server_requests_seconds_count{");
  }

  private String scrapeText() {
    return TestMonitoring.scrape(monitoring);
  }

  private static double errors(String body, String reason) {
    return Exposition.value(body, "monitoring_metric_errors_total{reason=\"" + reason + "\"}")
        .orElse(0.0);
  }
}
