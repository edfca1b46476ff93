package com.aicompanion.monitoring.test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.aicompanion.monitoring.Monitor;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricsAssertTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Monitor monitor = Monitor.create(registry);

  @AfterEach
  void close() {
    registry.close();
  }

  @Test
  void counterIsFoundByItsExposedNameWithOrWithoutTotal() {
    monitor.incrementCounter("jobs_total", 3, Map.of("queue", "ingest"));
    monitor.incrementCounter("jobs", Map.of("queue", "other"));

    MetricsAssert.assertThat(monitor)
        .counter("jobs_total")
        .hasSeriesCount(2)
        .withLabels("queue", "ingest")
        .hasValue(3);
    MetricsAssert.assertThat(monitor).counter("jobs").withLabels("queue", "other").hasValue(1);
    MetricsAssert.assertThat(registry)
        .counter("jobs_total")
        .withLabels(Map.of("queue", "ingest"))
        .value()
        .isGreaterThan(2);
  }

  @Test
  void wrongCounterValueFailsNamingTheSeriesAndBothValues() {
    monitor.incrementCounter("jobs_total", 3, Map.of("queue", "ingest"));

    assertThatThrownBy(
            () ->
                MetricsAssert.assertThat(monitor)
                    .counter("jobs_total")
                    .withLabels("queue", "ingest")
                    .hasValue(2))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected jobs_total{queue=\"ingest\"} to be 2, but it is 3");
  }

  @Test
  void missingMetricFailsListingTheMetricsThatExist() {
    monitor.incrementCounter("jobs_total");
    monitor.setGauge("queue_depth", 4);

    assertThatThrownBy(() -> MetricsAssert.assertThat(monitor).counter("job_total"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected a counter named job_total, but there is no metric")
        .hasMessageContaining("  jobs_total (counter)")
        .hasMessageContaining("  queue_depth (gauge)");
  }

  @Test
  void metricOfAnotherTypeFailsNamingItsType() {
    monitor.setGauge("queue_depth", 4);

    assertThatThrownBy(() -> MetricsAssert.assertThat(monitor).counter("queue_depth"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected a counter named queue_depth, but queue_depth is a gauge");
  }

  @Test
  void labelsThatNoSeriesCarriesFailListingTheSeries() {
    monitor.incrementCounter("jobs_total", 3, Map.of("queue", "ingest"));

    assertThatThrownBy(
            () -> MetricsAssert.assertThat(monitor).counter("jobs_total").withLabels("queue", "x"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(
            "Expected counter jobs_total to have a series with {queue=\"x\"}, but it has:")
        .hasMessageContaining("  jobs_total{queue=\"ingest\"} 3");
  }

  @Test
  void valueOfSeveralSeriesFailsAskingForLabels() {
    monitor.incrementCounter("jobs_total", Map.of("queue", "a"));
    monitor.incrementCounter("jobs_total", Map.of("queue", "b"));

    assertThatThrownBy(() -> MetricsAssert.assertThat(monitor).counter("jobs_total").hasValue(1))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected one series of counter jobs_total, but 2 match")
        .hasMessageContaining("jobs_total{queue=\"a\"} 1")
        .hasMessageContaining("jobs_total{queue=\"b\"} 1");
    assertThatThrownBy(
            () -> MetricsAssert.assertThat(monitor).counter("jobs_total").hasSeriesCount(3))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected counter jobs_total to have 3 series, but it has 2");
  }

  @Test
  void absentLabelSetPassesAndPresentOneFails() {
    monitor.incrementCounter("jobs_total", Map.of("queue", "a"));

    MetricsAssert.assertThat(monitor).counter("jobs_total").hasNoSeriesWith("queue", "b");
    assertThatThrownBy(
            () ->
                MetricsAssert.assertThat(monitor)
                    .counter("jobs_total")
                    .hasNoSeriesWith("queue", "a"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(
            "Expected counter jobs_total to have no series with {queue=\"a\"}, but it has:")
        .hasMessageContaining("  jobs_total{queue=\"a\"} 1");
  }

  @Test
  void gaugeValueIsReadAsAScrapeWouldReadIt() {
    monitor.setGauge("queue_depth", 17, Map.of("queue", "ingest"));

    MetricsAssert.assertThat(monitor)
        .gauge("queue_depth")
        .withLabels("queue", "ingest")
        .hasValue(17);
    assertThatThrownBy(() -> MetricsAssert.assertThat(monitor).gauge("queue_depth").hasValue(16.5))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected queue_depth{queue=\"ingest\"} to be 16.5, but it is 17");
  }

  @Test
  void timerCountAndSumAreInSecondsAndTheNameMayOmitTheUnit() {
    monitor.recordCustomMetric("embedding_duration", Duration.ofMillis(250));
    monitor.recordCustomMetric("embedding_duration", Duration.ofMillis(500));

    MetricsAssert.assertThat(monitor).timer("embedding_duration_seconds").hasCount(2).hasSum(0.75);
    MetricsAssert.assertThat(monitor)
        .timer("embedding_duration")
        .sum()
        .isCloseTo(0.75, within(1e-9));
    assertThatThrownBy(
            () -> MetricsAssert.assertThat(monitor).timer("embedding_duration").hasCount(3))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected embedding_duration_seconds_count to be 3, but it is 2");
    assertThatThrownBy(
            () -> MetricsAssert.assertThat(monitor).timer("embedding_duration").hasSum(1))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected embedding_duration_seconds_sum to be 1, but it is 0.75");
  }

  @Test
  void histogramCountsAndCumulativeBucketsAreThoseOfTheExposition() {
    monitor.http().record("POST", "/chat", 200, Duration.ofMillis(840));
    monitor.http().record("POST", "/chat", 200, Duration.ofMillis(40));

    MetricsAssert.assertThat(monitor)
        .histogram("http_server_requests_seconds")
        .withLabels("method", "POST", "uri", "/chat", "status", "200")
        .hasCount(2)
        .hasBucketCount(0.05, 1)
        .hasBucketCount(1.0, 2);
    assertThatThrownBy(
            () ->
                MetricsAssert.assertThat(monitor)
                    .histogram("http_server_requests_seconds")
                    .hasBucketCount(0.05, 2))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(
            "Expected http_server_requests_seconds{error_type=\"\",method=\"POST\",outcome=\"SUCCESS\","
                + "status=\"200\",uri=\"/chat\"}_bucket{le=\"0.05\"} to be 2, but it is 1");
    assertThatThrownBy(
            () ->
                MetricsAssert.assertThat(monitor)
                    .histogram("http_server_requests_seconds")
                    .hasBucketCount(0.3, 1))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("to have a bucket le=\"0.3\", but its bounds are: 0.005, 0.01");
  }

  @Test
  void seriesWithoutLabelsAreSelectedAndTheirAbsenceFails() {
    monitor.setGauge("queue_depth", 3);
    monitor.setGauge("pool_size", 4, Map.of("pool", "main"));

    MetricsAssert.assertThat(monitor).gauge("queue_depth").withoutLabels().hasValue(3);
    assertThatThrownBy(() -> MetricsAssert.assertThat(monitor).gauge("pool_size").withoutLabels())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(
            "Expected gauge pool_size to have a series without labels, but it has:")
        .hasMessageContaining("  pool_size{pool=\"main\"} 4");
  }

  @Test
  void summaryHasNoBucketsToAssertOn() {
    monitor.recordCustomMetric("payload_size_bytes", 512.0);
    monitor.http().record("GET", "/", 200, Duration.ofMillis(1));

    MetricsAssert.assertThat(monitor).histogram("http_server_requests_seconds").hasBuckets();
    assertThatThrownBy(
            () -> MetricsAssert.assertThat(monitor).histogram("payload_size_bytes").hasBuckets())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected payload_size_bytes to have buckets, but it is a summary");

    MetricsAssert.assertThat(monitor).histogram("payload_size_bytes").hasCount(1).hasSum(512);
    assertThatThrownBy(
            () ->
                MetricsAssert.assertThat(monitor)
                    .histogram("payload_size_bytes")
                    .hasBucketCount(1000, 1))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected payload_size_bytes to have buckets, but it is a summary");
  }

  @Test
  void doesNotHavePassesForAnAbsentNameAndFailsForACounterByEitherName() {
    monitor.incrementCounter("jobs_total");

    MetricsAssert.assertThat(monitor).doesNotHave("debug_events_total");
    assertThatThrownBy(() -> MetricsAssert.assertThat(monitor).doesNotHave("jobs"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected no metric named jobs, but there is a counter with:")
        .hasMessageContaining("  jobs_total");
  }

  @Test
  void namesAreTheExposedOnesForListAssertions() {
    monitor.incrementCounter("jobs");
    monitor.setGauge("queue_depth", 1);

    MetricsAssert.assertThat(monitor)
        .names()
        .contains("jobs_total", "queue_depth")
        .noneMatch(n -> n.startsWith("queue_depth_"));
    assertThatThrownBy(() -> MetricsAssert.assertThat(monitor).names().doesNotContain("jobs_total"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the exposed metric names");
  }

  @Test
  void refusedRecordingsAreCountedByReason() {
    monitor.incrementCounter("jobs_total");
    MetricsAssert.assertThat(monitor).hasNoRefusals();
    MetricsAssert.assertThat(monitor).refusals("name_conflict").isZero();

    monitor.recordCustomMetric("payload_size", 10.0);
    Gauge.builder("payload.size.max", () -> 7).register(registry);
    monitor.incrementCounter("bad name!");

    MetricsAssert.assertThat(monitor).refusals("name_conflict").isEqualTo(1);
    MetricsAssert.assertThat(monitor).refusals("invalid_name").isEqualTo(1);
    assertThatThrownBy(() -> MetricsAssert.assertThat(monitor).hasNoRefusals())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected no refused recordings, but:")
        .hasMessageContaining("monitoring_metric_errors_total{reason=\"name_conflict\"} 1")
        .hasMessageContaining("monitoring_metric_errors_total{reason=\"invalid_name\"} 1");
    assertThatThrownBy(
            () -> MetricsAssert.assertThat(monitor).refusals("invalid_name").isEqualTo(2))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("monitoring_metric_errors_total{reason=\"invalid_name\"}");
  }

  @Test
  void unknownRefusalReasonIsRejectedSoThatATypoCannotPassAsZero() {
    assertThatThrownBy(() -> MetricsAssert.assertThat(monitor).refusals("name_clash"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("refusals(\"name_clash\"): not a reason of")
        .hasMessageContaining("name_conflict");
  }

  @Test
  void refusalReasonsAreThoseDocumentedInMetricsMd() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "metrics.md"));
    Matcher row =
        Pattern.compile("\\| `monitoring_metric_errors_total` \\| `reason` = (.*?) \\|")
            .matcher(doc);
    Assertions.assertThat(row.find()).as("the reason row of docs/metrics.md").isTrue();
    Set<String> documented =
        Arrays.stream(row.group(1).split(","))
            .map(s -> s.trim().replace("`", ""))
            .collect(Collectors.toSet());
    Assertions.assertThat(MetricsAssert.REFUSAL_REASONS).isEqualTo(documented);
  }

  @Test
  void aCompositeRegistryIsReadThroughItsPrometheusMember() {
    CompositeMeterRegistry composite = new CompositeMeterRegistry();
    composite.add(new SimpleMeterRegistry());
    composite.add(registry);
    composite.counter("orders").increment(2);

    MetricsAssert.assertThat(composite).counter("orders_total").hasValue(2);
  }

  @Test
  void aRegistryWithoutPrometheusIsRejectedWithTheFix() {
    assertThatThrownBy(() -> MetricsAssert.assertThat(new SimpleMeterRegistry()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only a PrometheusMeterRegistry knows")
        .hasMessageContaining("SimpleMeterRegistry");
  }

  @Test
  void theSnapshotIsTakenOnceSoLaterRecordingsNeedANewAssertThat() {
    monitor.incrementCounter("jobs_total");
    MetricsAssert before = MetricsAssert.assertThat(monitor);
    monitor.incrementCounter("jobs_total");

    before.counter("jobs_total").hasValue(1);
    MetricsAssert.assertThat(monitor).counter("jobs_total").hasValue(2);
  }
}
