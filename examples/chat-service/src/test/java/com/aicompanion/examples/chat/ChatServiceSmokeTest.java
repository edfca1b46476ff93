package com.aicompanion.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.Monitoring;
import com.aicompanion.monitoring.test.MetricsAssert;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedded default (H2, Caffeine, simulated LLM) with every monitoring module, over real HTTP
 * on loopback: nothing but Java is needed.
 */
class ChatServiceSmokeTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Monitoring monitoring;
  private static ChatApplication app;

  @BeforeAll
  static void start() throws Exception {
    ChatSettings settings = ChatSettings.forTests(Map.of("CHAT_SIM_ERROR_RATE", "0"));
    monitoring =
        Monitoring.builder("ai-companion")
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .llmPrices(ChatApplication.prices(settings))
            .start();
    app = ChatApplication.start(monitoring, settings);
  }

  @AfterAll
  static void stop() {
    app.close();
    monitoring.close();
  }

  @Test
  void chatAnswersStreamsAndRemembers() throws Exception {
    HttpResponse<String> answer =
        post("{\"conversation_id\":\"smoke-1\",\"message\":\"Hello there\"}");
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body())
        .contains("\"conversation_id\":\"smoke-1\"", "\"cached\":false", "\"answer\":\"");

    HttpResponse<String> streamed =
        post("{\"conversation_id\":\"smoke-1\",\"message\":\"Hello there\",\"stream\":true}");
    assertThat(streamed.statusCode()).isEqualTo(200);
    assertThat(streamed.headers().firstValue("Content-Type"))
        .get()
        .asString()
        .startsWith("text/event-stream");
    assertThat(streamed.body()).startsWith("data: {\"delta\":").endsWith("data: [DONE]\n\n");

    HttpResponse<String> history = get(app.port(), "/conversations/smoke-1");
    assertThat(history.statusCode()).isEqualTo(200);
    assertThat(history.body())
        .contains("\"role\":\"user\"", "\"content\":\"Hello there\"", "\"role\":\"assistant\"");
    assertThat(get(app.port(), "/conversations/never-seen").statusCode()).isEqualTo(404);
    assertThat(post("{\"message\":\"no id\"}").statusCode()).isEqualTo(400);
  }

  @Test
  void metricsAndHealthShowTheWholeService() throws Exception {
    post("{\"conversation_id\":\"smoke-2\",\"message\":\"What should I cook tonight?\"}");
    post("{\"conversation_id\":\"smoke-3\",\"message\":\"What should I cook tonight?\"}");
    int metricsPort = monitoring.metricsAddress().getPort();
    HttpResponse<String> health = get(metricsPort, "/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"pass\"");
    // two identical questions: the second is answered from the cache
    await("chat traffic in the metrics")
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              MetricsAssert metrics = MetricsAssert.assertThat(monitoring);
              metrics
                  .gauge("app_info")
                  .withLabels("environment", "dev", "service", "ai-companion")
                  .hasValue(1);
              metrics
                  .histogram("http_server_requests_seconds")
                  .withLabels(
                      "method", "POST", "outcome", "SUCCESS", "status", "200", "uri", "/chat")
                  .count()
                  .isGreaterThanOrEqualTo(2);
              metrics
                  .histogram("gen_ai_client_operation_duration_seconds")
                  .withLabels(
                      "error_type",
                      "",
                      "gen_ai_operation_name",
                      "chat",
                      "gen_ai_provider_name",
                      "simulated");
              metrics.histogram("gen_ai_client_time_to_first_chunk_seconds");
              metrics.histogram("gen_ai_client_token_usage");
              metrics.counter("llm_cost_usd_total").withLabels("gen_ai_provider_name", "simulated");
              metrics
                  .counter("cache_gets_total")
                  .withLabels("cache", "llm-responses", "result", "hit")
                  .value()
                  .isGreaterThanOrEqualTo(1);
              metrics
                  .gauge("hikaricp_connections_active")
                  .withLabels("pool", "chat-db")
                  .value()
                  .isGreaterThanOrEqualTo(0);
              metrics
                  .counter("chat_answers_total")
                  .withLabels("source", "cache")
                  .value()
                  .isGreaterThanOrEqualTo(1);
              metrics.gauge("health_check_status");
              metrics.counter("logback_events_total");
              metrics.hasNoRefusals();
            });
  }

  private HttpResponse<String> post(String json) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/chat"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(int port, String path)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
