package com.aicompanion.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An LLM call cannot leak: try-with-resources, the closure form, double ends. */
@SuppressWarnings(
    "try") // resources unnamed in their block, and explicit close() inside, on purpose
class LlmCallLifecycleTest {
  private static final String SERIES =
      "gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"openai\",gen_ai_request_model=\"gpt-4o\"";
  private static final String IN_FLIGHT =
      "llm_requests_in_flight{gen_ai_provider_name=\"openai\",gen_ai_request_model=\"gpt-4o\"}";

  private final MockClock clock = new MockClock();
  private PrometheusMeterRegistry registry;
  private Monitor monitor;

  @BeforeEach
  void setUp() {
    registry =
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), clock);
    monitor = Monitor.create(registry, 1000, LlmPrices.defaults());
  }

  @AfterEach
  void tearDown() {
    registry.close();
  }

  private double value(String series) {
    return Exposition.require(registry.scrape(), series);
  }

  private static String duration(String suffix, String errorType) {
    return "gen_ai_client_operation_duration_seconds_"
        + suffix
        + "{error_type=\""
        + errorType
        + "\","
        + SERIES
        + "}";
  }

  @Test
  void exceptionBeforeFinishInTryWithResourcesRecordsAFailedCallAndLeavesFlight() {
    assertThatThrownBy(
            () -> {
              try (LlmCall call = monitor.llm().start("openai", "gpt-4o", "chat")) {
                assertThat(value(IN_FLIGHT)).isEqualTo(1.0);
                clock.add(250, TimeUnit.MILLISECONDS);
                throw new IllegalStateException("provider answered garbage");
              }
            })
        .isInstanceOf(IllegalStateException.class);

    assertThat(value(IN_FLIGHT)).isZero();
    assertThat(value(duration("count", LlmCall.CLOSED_WITHOUT_END))).isEqualTo(1.0);
    assertThat(value(duration("sum", "_OTHER"))).isEqualTo(0.25, within(1e-9));
    assertThat(value("gen_ai_client_token_usage_count{" + SERIES + ",gen_ai_token_type=\"input\"}"))
        .isZero();
  }

  @Test
  void finishThenCloseIsANoOpAndDoubleCloseCountsOnce() {
    try (LlmCall call = monitor.llm().start("openai", "gpt-4o", "chat")) {
      clock.add(100, TimeUnit.MILLISECONDS);
      call.finish(10, 20);
      call.close();
    }
    LlmCall closedTwice = monitor.llm().start("openai", "gpt-4o", "chat");
    closedTwice.close();
    closedTwice.close();
    closedTwice.finish(1, 1);

    assertThat(value(duration("count", ""))).isEqualTo(1.0);
    assertThat(value(duration("count", "_OTHER"))).isEqualTo(1.0);
    assertThat(value("gen_ai_client_token_usage_sum{" + SERIES + ",gen_ai_token_type=\"output\"}"))
        .isEqualTo(20.0);
    assertThat(value(IN_FLIGHT)).isZero();
  }

  @Test
  void closureFormReturnsTheResultAndRecordsTheReportedUsage() {
    String answer =
        monitor
            .llm()
            .call(
                "openai",
                "gpt-4o",
                "chat",
                call -> {
                  assertThat(value(IN_FLIGHT)).isEqualTo(1.0);
                  clock.add(40, TimeUnit.MILLISECONDS);
                  call.firstChunk();
                  clock.add(60, TimeUnit.MILLISECONDS);
                  call.finish(7, 9);
                  return "hello";
                });

    assertThat(answer).isEqualTo("hello");
    assertThat(value(duration("sum", ""))).isEqualTo(0.1, within(1e-9));
    assertThat(value("gen_ai_client_time_to_first_chunk_seconds_sum{" + SERIES + "}"))
        .isEqualTo(0.04, within(1e-9));
    assertThat(value("gen_ai_client_token_usage_sum{" + SERIES + ",gen_ai_token_type=\"input\"}"))
        .isEqualTo(7.0);
    assertThat(value(IN_FLIGHT)).isZero();
  }

  @Test
  void closureThatReportsNoUsageIsASuccessWithoutTokens() {
    monitor.llm().call("openai", "gpt-4o", "chat", call -> 42);

    assertThat(value(duration("count", ""))).isEqualTo(1.0);
    assertThat(value("gen_ai_client_token_usage_count{" + SERIES + ",gen_ai_token_type=\"input\"}"))
        .isZero();
    assertThat(value(IN_FLIGHT)).isZero();
  }

  @Test
  void checkedExceptionFromTheClosureFailsTheCallWithItsClassNameAndIsRethrownUnchanged() {
    IOException thrown = new IOException("connection reset");
    assertThatThrownBy(
            () ->
                monitor
                    .llm()
                    .call(
                        "openai",
                        "gpt-4o",
                        "chat",
                        call -> {
                          clock.add(1, TimeUnit.SECONDS);
                          throw thrown;
                        }))
        .isSameAs(thrown);

    assertThat(value(duration("count", "java.io.IOException"))).isEqualTo(1.0);
    assertThat(value(duration("sum", "java.io.IOException"))).isEqualTo(1.0, within(1e-9));
    assertThat(value(IN_FLIGHT)).isZero();
  }

  @Test
  void runtimeExceptionAndErrorFromTheClosureAreRethrownUnchanged() {
    IllegalArgumentException bad = new IllegalArgumentException("bad prompt");
    assertThatThrownBy(
            () ->
                monitor
                    .llm()
                    .call(
                        "openai",
                        "gpt-4o",
                        "chat",
                        call -> {
                          throw bad;
                        }))
        .isSameAs(bad);
    StackOverflowError error = new StackOverflowError();
    assertThatThrownBy(
            () ->
                monitor
                    .llm()
                    .call(
                        "openai",
                        "gpt-4o",
                        "chat",
                        call -> {
                          throw error;
                        }))
        .isSameAs(error);

    assertThat(value(duration("count", "java.lang.IllegalArgumentException"))).isEqualTo(1.0);
    assertThat(value(duration("count", "java.lang.StackOverflowError"))).isEqualTo(1.0);
    assertThat(value(IN_FLIGHT)).isZero();
  }

  @Test
  void failureTheClosureNamesItselfWinsOverItsException() {
    assertThatThrownBy(
            () ->
                monitor
                    .llm()
                    .call(
                        "openai",
                        "gpt-4o",
                        "chat",
                        call -> {
                          call.fail("rate_limited");
                          throw new IllegalStateException("429");
                        }))
        .isInstanceOf(IllegalStateException.class);

    assertThat(value(duration("count", "rate_limited"))).isEqualTo(1.0);
    assertThat(registry.scrape()).doesNotContain("error_type=\"java.lang.IllegalStateException\"");
  }

  @Test
  void observerSpanIsCurrentDuringTheClosureAndEndsOnce() {
    List<String> seen = new ArrayList<>();
    monitor
        .llm()
        .observer(
            (provider, model, operation) ->
                new LlmCallObserver.Handle() {
                  @Override
                  public void onFinishWithoutUsage() {
                    seen.add("finish without usage");
                  }

                  @Override
                  public void onFail(String errorType) {
                    seen.add("fail " + errorType);
                  }

                  @Override
                  public AutoCloseable makeCurrent() {
                    seen.add("current");
                    return () -> seen.add("not current");
                  }
                });
    monitor.llm().call("openai", "gpt-4o", "chat", call -> seen.add("work"));
    monitor.llm().start("openai", "gpt-4o", "chat").close();

    assertThat(seen)
        .containsExactly("current", "work", "finish without usage", "not current", "fail _OTHER");
  }
}
