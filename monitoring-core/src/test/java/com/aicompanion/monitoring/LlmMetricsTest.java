package com.aicompanion.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GenAI metrics with a mock clock, read back from the Prometheus exposition. */
class LlmMetricsTest {
  private static final String SERIES =
      "gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"openai\",gen_ai_request_model=\"gpt-4o\"";

  private final MockClock clock = new MockClock();
  private PrometheusMeterRegistry registry;
  private Monitor monitor;

  @BeforeEach
  void setUp() {
    registry =
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), clock);
    monitor = Monitor.create(registry, 1000, LlmPrices.defaults().with("acme", "bolt", 1.0, 4.0));
  }

  @AfterEach
  void tearDown() {
    registry.close();
  }

  @Test
  void finishedCallRecordsDurationFirstChunkTokensAndCost() {
    LlmCall call = monitor.llm().start("openai", "gpt-4o", "chat");
    clock.add(300, TimeUnit.MILLISECONDS);
    call.firstChunk();
    clock.add(900, TimeUnit.MILLISECONDS);
    call.firstChunk();
    call.finish(1_000, 500);

    String body = registry.scrape();
    assertThat(
            Exposition.require(
                body,
                "gen_ai_client_operation_duration_seconds_sum{error_type=\"\"," + SERIES + "}"))
        .isEqualTo(1.2, within(1e-9));
    assertThat(
            Exposition.require(
                body,
                "gen_ai_client_operation_duration_seconds_bucket{error_type=\"\","
                    + SERIES
                    + ",le=\"1.28\"}"))
        .isEqualTo(1.0);
    assertThat(
            Exposition.require(
                body,
                "gen_ai_client_operation_duration_seconds_bucket{error_type=\"\","
                    + SERIES
                    + ",le=\"0.64\"}"))
        .isZero();
    assertThat(
            Exposition.require(
                body, "gen_ai_client_time_to_first_chunk_seconds_count{" + SERIES + "}"))
        .isEqualTo(1.0);
    assertThat(
            Exposition.require(
                body, "gen_ai_client_time_to_first_chunk_seconds_sum{" + SERIES + "}"))
        .isEqualTo(0.3, within(1e-9));
    assertThat(
            Exposition.require(
                body, "gen_ai_client_token_usage_sum{" + SERIES + ",gen_ai_token_type=\"input\"}"))
        .isEqualTo(1000.0);
    assertThat(
            Exposition.require(
                body, "gen_ai_client_token_usage_sum{" + SERIES + ",gen_ai_token_type=\"output\"}"))
        .isEqualTo(500.0);
    // gpt-4o: 2.50 in, 10.00 out per million tokens
    assertThat(
            Exposition.require(
                body,
                "llm_cost_usd_total{gen_ai_provider_name=\"openai\",gen_ai_request_model=\"gpt-4o\"}"))
        .isEqualTo(0.0075, within(1e-12));
  }

  @Test
  void bucketBoundariesFollowTheGenAiConventions() {
    monitor.llm().start("openai", "gpt-4o", "chat").finish(1, 1);
    String body = registry.scrape();
    assertThat(les(body, "gen_ai_client_operation_duration_seconds_bucket{error_type=\"\","))
        .containsExactly(
            "0.01", "0.02", "0.04", "0.08", "0.16", "0.32", "0.64", "1.28", "2.56", "5.12", "10.24",
            "20.48", "40.96", "81.92", "+Inf");
    assertThat(
            les(
                body,
                "gen_ai_client_token_usage_bucket{" + SERIES + ",gen_ai_token_type=\"input\""))
        .containsExactly(
            "1.0",
            "4.0",
            "16.0",
            "64.0",
            "256.0",
            "1024.0",
            "4096.0",
            "16384.0",
            "65536.0",
            "262144.0",
            "1048576.0",
            "4194304.0",
            "1.6777216E7",
            "6.7108864E7",
            "+Inf");
  }

  @Test
  void failedCallCarriesErrorTypeAndLeavesFlight() {
    LlmCall ok = monitor.llm().start("openai", "gpt-4o", "chat");
    LlmCall failing = monitor.llm().start("openai", "gpt-4o", "chat");
    assertThat(
            Exposition.require(
                registry.scrape(),
                "llm_requests_in_flight{gen_ai_provider_name=\"openai\",gen_ai_request_model=\"gpt-4o\"}"))
        .isEqualTo(2.0);
    clock.add(Duration.ofSeconds(30));
    failing.fail("timeout");
    failing.finish(10, 10);
    ok.finish(10, 10);

    String body = registry.scrape();
    assertThat(
            Exposition.require(
                body,
                "gen_ai_client_operation_duration_seconds_count{error_type=\"timeout\","
                    + SERIES
                    + "}"))
        .isEqualTo(1.0);
    assertThat(
            Exposition.require(
                body,
                "gen_ai_client_operation_duration_seconds_count{error_type=\"\"," + SERIES + "}"))
        .isEqualTo(1.0);
    assertThat(
            Exposition.require(
                body,
                "gen_ai_client_token_usage_count{" + SERIES + ",gen_ai_token_type=\"input\"}"))
        .isEqualTo(1.0);
    assertThat(
            Exposition.require(
                body,
                "llm_requests_in_flight{gen_ai_provider_name=\"openai\",gen_ai_request_model=\"gpt-4o\"}"))
        .isZero();
  }

  @Test
  void modelsArePricedByExactNameOrVersionedName() {
    monitor.llm().start("openai", "gpt-4o-2024-08-06", "chat").finish(1_000_000, 0);
    monitor.llm().start("acme", "bolt", "chat").finish(1_000_000, 1_000_000);
    monitor.llm().start("acme", "bolt-turbo", "chat").finish(1_000_000, 1_000_000);

    String body = registry.scrape();
    assertThat(
            Exposition.require(
                body,
                "llm_cost_usd_total{gen_ai_provider_name=\"openai\",gen_ai_request_model=\"gpt-4o-2024-08-06\"}"))
        .isEqualTo(2.5, within(1e-9));
    assertThat(
            Exposition.require(
                body,
                "llm_cost_usd_total{gen_ai_provider_name=\"acme\",gen_ai_request_model=\"bolt\"}"))
        .isEqualTo(5.0, within(1e-9));
    assertThat(
            Exposition.require(
                body,
                "llm_cost_usd_total{gen_ai_provider_name=\"acme\",gen_ai_request_model=\"bolt-turbo\"}"))
        .isZero();
  }

  @Test
  void unpricedModelIsWarnedOnceAndNotCosted() {
    try (LogCapture log = LogCapture.of("com.aicompanion.monitoring.Monitor")) {
      monitor.llm().start("local", "llama-3", "chat").finish(10, 10);
      monitor.llm().start("local", "llama-3", "chat").finish(10, 10);
      assertThat(log.warnings())
          .containsExactly(
              "No price for LLM model local/llama-3, so llm_cost_usd_total does not count it: add it with"
                  + " Monitoring.builder(...).llmPrice(...) or MONITORING_LLM_PRICES_FILE. This warning is logged once.");
    }
  }

  @Test
  void observerSeesTheWholeCallAndItsFailuresNeverReachTheApplication() {
    List<String> seen = new ArrayList<>();
    monitor
        .llm()
        .observer(
            (provider, model, operation) -> {
              seen.add("start " + provider + "/" + model + "/" + operation);
              return new LlmCallObserver.Handle() {
                @Override
                public void onFirstChunk() {
                  seen.add("first chunk");
                }

                @Override
                public void onFinish(long in, long out) {
                  seen.add("finish " + in + "/" + out);
                  throw new IllegalStateException("observer bug");
                }
              };
            });
    LlmCall call = monitor.llm().start("openai", "gpt-4o", "chat");
    call.firstChunk();
    call.finish(3, 4);

    assertThat(seen).containsExactly("start openai/gpt-4o/chat", "first chunk", "finish 3/4");
    assertThat(
            Exposition.require(
                registry.scrape(),
                "gen_ai_client_operation_duration_seconds_count{error_type=\"\"," + SERIES + "}"))
        .isEqualTo(1.0);
  }

  private static List<String> les(String body, String prefix) {
    return body.lines()
        .filter(l -> l.startsWith(prefix))
        .map(l -> l.replaceAll(".*le=\"([^\"]+)\".*", "$1"))
        .toList();
  }
}
