package com.aicompanion.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever the application does to its calls (finish, fail, close, in any order and any number of
 * times), every call lands in the duration histogram exactly once and leaves flight.
 */
class LlmCallEndsPropertyTest {
  enum End {
    FINISH,
    FINISH_WITHOUT_USAGE,
    FAIL,
    CLOSE
  }

  @Provide
  Arbitrary<List<List<End>>> calls() {
    return Arbitraries.of(End.class).list().ofMaxSize(4).list().ofMinSize(1).ofMaxSize(12);
  }

  @SuppressWarnings("try") // close() inside the try is the point: ends in any order
  @Property(tries = 200)
  void everyCallIsRecordedOnceAndLeavesFlightOnceClosed(@ForAll("calls") List<List<End>> calls) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try {
      Monitor monitor = Monitor.create(registry, 1000, LlmPrices.defaults());
      int successes = 0;
      for (List<End> ends : calls) {
        try (LlmCall call = monitor.llm().start("openai", "gpt-4o", "chat")) {
          for (End end : ends) {
            switch (end) {
              case FINISH -> call.finish(1, 2);
              case FINISH_WITHOUT_USAGE -> call.finish();
              case FAIL -> call.fail("timeout");
              case CLOSE -> call.close();
            }
          }
          if (!ends.isEmpty()
              && (ends.get(0) == End.FINISH || ends.get(0) == End.FINISH_WITHOUT_USAGE)) {
            successes++;
          }
        }
      }
      String body = registry.scrape();
      double total =
          body.lines()
              .filter(l -> l.startsWith("gen_ai_client_operation_duration_seconds_count{"))
              .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
              .sum();
      assertThat(total).isEqualTo(calls.size());
      double ok =
          body.lines()
              .filter(
                  l ->
                      l.startsWith(
                          "gen_ai_client_operation_duration_seconds_count{error_type=\"\""))
              .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
              .sum();
      assertThat(ok).isEqualTo(successes);
      assertThat(
              Exposition.require(
                  body,
                  "llm_requests_in_flight{gen_ai_provider_name=\"openai\",gen_ai_request_model=\"gpt-4o\"}"))
          .isZero();
    } finally {
      registry.close();
    }
  }
}
