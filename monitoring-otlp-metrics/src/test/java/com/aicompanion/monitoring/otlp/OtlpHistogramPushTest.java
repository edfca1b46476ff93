package com.aicompanion.monitoring.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.Monitoring;
import com.aicompanion.monitoring.testsupport.otlp.OtlpHttpReceiver;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Timers and distribution summaries arrive at a live OTLP/HTTP receiver as explicit-bucket
 * histograms with the boundaries that {@code /metrics} exposes as {@code le}, and the bucket
 * counts, count and sum of what was recorded.
 */
class OtlpHistogramPushTest {
  private static final Map<String, String> LOAD = Map.of("step", "load");

  private static Monitoring start(OtlpHttpReceiver receiver, String... config) {
    Monitoring.Builder builder =
        Monitoring.builder("batch-job")
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .shutdownHook(false)
            .registerGlobal(false)
            .config("metrics.export", "both")
            .config("metrics.otlp.endpoint", receiver.url() + "/v1/metrics")
            .config("metrics.otlp.step", "1s");
    for (int i = 0; i < config.length; i += 2) {
      builder.config(config[i], config[i + 1]);
    }
    return builder.start();
  }

  private static String scrape(Monitoring monitoring) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + monitoring.metricsAddress().getPort() + "/metrics");
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** The finite {@code le} boundaries of the first series of {@code family} in a scrape. */
  private static List<Double> scrapedBounds(String exposition, String family) {
    List<Double> bounds = new ArrayList<>();
    Matcher m =
        Pattern.compile("(?m)^" + family + "_bucket\\{[^}]*le=\"([^\"]+)\"").matcher(exposition);
    while (m.find() && !m.group(1).equals("+Inf")) {
      bounds.add(Double.parseDouble(m.group(1)));
    }
    return bounds;
  }

  private static HistogramDataPoint awaitPoint(
      OtlpHttpReceiver receiver, String name, Map<String, String> attributes, long count) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> receiver.metrics.latestHistogramPoint(name, attributes).orElse(null),
            p -> p != null && p.getCount() == count);
  }

  @Test
  void aTimerArrivesWithTheBucketCountsSumAndCountOfItsRecordings() throws Exception {
    try (OtlpHttpReceiver receiver = OtlpHttpReceiver.start();
        Monitoring monitoring = start(receiver)) {
      Timer timer =
          Timer.builder("batch.step.duration")
              .tags("step", "load")
              .serviceLevelObjectives(
                  Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1))
              .register(monitoring.monitor().registry());
      for (long ms : new long[] {50, 50, 200, 700, 3000}) {
        timer.record(Duration.ofMillis(ms));
      }

      HistogramDataPoint point = awaitPoint(receiver, "batch.step.duration", LOAD, 5);
      assertThat(point.getExplicitBoundsList()).containsExactly(0.1, 0.5, 1.0);
      assertThat(point.getBucketCountsList()).containsExactly(2L, 1L, 1L, 1L);
      assertThat(point.getSum()).isCloseTo(4.0, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(point.getExplicitBoundsList())
          .isEqualTo(scrapedBounds(scrape(monitoring), "batch_step_duration_seconds"));
      Metric metric = receiver.metrics.latest("batch.step.duration").orElseThrow().metric();
      assertThat(metric.getHistogram().getAggregationTemporality())
          .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
      assertThat(metric.getUnit()).isEqualTo("seconds");
      assertThat(receiver.metrics.latest("batch.step.duration.max")).isPresent();
    }
  }

  @Test
  void anLlmCallsDurationAndTokenHistogramsArriveWithTheBucketsOfMetrics() throws Exception {
    try (OtlpHttpReceiver receiver = OtlpHttpReceiver.start();
        Monitoring monitoring = start(receiver)) {
      monitoring.monitor().llm().start("openai", "gpt-4o", "chat").finish(10, 300);
      Map<String, String> call =
          Map.of("gen_ai.provider.name", "openai", "gen_ai.request.model", "gpt-4o");

      HistogramDataPoint duration =
          awaitPoint(receiver, "gen_ai.client.operation.duration", call, 1);
      String scraped = scrape(monitoring);
      assertThat(duration.getExplicitBoundsList())
          .hasSize(14)
          .isEqualTo(scrapedBounds(scraped, "gen_ai_client_operation_duration_seconds"));
      assertThat(duration.getBucketCountsList().stream().mapToLong(Long::longValue).sum())
          .isEqualTo(1);
      Matcher sum =
          Pattern.compile("(?m)^gen_ai_client_operation_duration_seconds_sum\\{[^}]*} (\\S+)")
              .matcher(scraped);
      assertThat(sum.find()).isTrue();
      assertThat(duration.getSum()).isEqualTo(Double.parseDouble(sum.group(1)));

      Map<String, String> input = new java.util.HashMap<>(call);
      input.put("gen_ai.token.type", "input");
      HistogramDataPoint tokens = awaitPoint(receiver, "gen_ai.client.token.usage", input, 1);
      assertThat(tokens.getExplicitBoundsList())
          .isEqualTo(scrapedBounds(scraped, "gen_ai_client_token_usage"));
      // 10 tokens: in (4, 16], the third bucket
      assertThat(tokens.getBucketCounts(2)).isEqualTo(1);
      assertThat(tokens.getSum()).isEqualTo(10.0);
      Map<String, String> output = new java.util.HashMap<>(call);
      output.put("gen_ai.token.type", "output");
      // 300 tokens: in (256, 1024], the sixth bucket
      assertThat(awaitPoint(receiver, "gen_ai.client.token.usage", output, 1).getBucketCounts(5))
          .isEqualTo(1);
    }
  }

  @Test
  void withDeltaTemporalityEachPushCarriesWhatWasRecordedSinceThePreviousOne() throws Exception {
    try (OtlpHttpReceiver receiver = OtlpHttpReceiver.start();
        Monitoring monitoring = start(receiver, "metrics.otlp.temporality", "delta")) {
      DistributionSummary rows =
          DistributionSummary.builder("batch.rows")
              .tags("step", "load")
              .baseUnit("rows")
              .serviceLevelObjectives(10, 100)
              .register(monitoring.monitor().registry());
      rows.record(5);
      rows.record(50);
      // the two may fall into two pushes: together they count 2
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  receiver.metrics.histogramPoints("batch.rows", LOAD).stream()
                      .mapToLong(HistogramDataPoint::getCount)
                      .sum(),
              total -> total == 2);
      int seen = receiver.metrics.histogramPoints("batch.rows", LOAD).size();
      rows.record(500);

      HistogramDataPoint later =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () -> {
                    List<HistogramDataPoint> points =
                        receiver.metrics.histogramPoints("batch.rows", LOAD);
                    return points.subList(seen, points.size()).stream()
                        .filter(p -> p.getCount() > 0)
                        .findFirst()
                        .orElse(null);
                  },
                  p -> p != null);
      assertThat(later.getBucketCountsList()).containsExactly(0L, 0L, 1L);
      assertThat(later.getCount()).isEqualTo(1);
      assertThat(later.getSum()).isEqualTo(500.0);
      Metric metric = receiver.metrics.latest("batch.rows").orElseThrow().metric();
      assertThat(metric.getHistogram().getAggregationTemporality())
          .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
      assertThat(metric.getUnit()).isEqualTo("rows");
    }
  }
}
