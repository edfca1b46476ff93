package com.aicompanion.monitoring.langchain4j;

import static com.aicompanion.monitoring.test.MetricsAssert.assertThat;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.LlmPrices;
import com.aicompanion.monitoring.Monitor;
import com.aicompanion.monitoring.test.CapturedSpans;
import com.aicompanion.monitoring.test.SpansAssert;
import com.aicompanion.monitoring.tracing.Tracing;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * LangChain4j's own OpenAI client (chat, streaming chat, embeddings) against an OpenAI-compatible
 * server on loopback, with the monitoring listeners installed: the metrics of {@code monitor.llm()}
 * and GenAI spans, for answers, HTTP errors and a cancelled stream.
 */
class LangChain4jMonitoringTest {
  private static final String[] CHAT = {
    "gen_ai_operation_name",
    "chat",
    "gen_ai_provider_name",
    "openai",
    "gen_ai_request_model",
    FakeOpenAi.MODEL
  };
  private static final String[] FLIGHT = {
    "gen_ai_provider_name", "openai", "gen_ai_request_model", FakeOpenAi.MODEL
  };

  private FakeOpenAi server;
  private PrometheusMeterRegistry registry;
  private Monitor monitor;
  private CapturedSpans spans;

  @BeforeEach
  void setUp() throws Exception {
    server = new FakeOpenAi();
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    monitor = Monitor.create(registry, 1000, LlmPrices.defaults());
  }

  @AfterEach
  void tearDown() {
    if (spans != null) {
      spans.close();
    }
    server.close();
    registry.close();
  }

  private void captureSpans(boolean content) {
    spans = CapturedSpans.install(Tracing.builder("lc4j-test").captureContent(content));
    monitor.llm().observer(spans.tracing().llmObserver());
  }

  private ChatModel chatModel() {
    return OpenAiChatModel.builder()
        .baseUrl(server.baseUrl())
        .apiKey("test-key")
        .modelName(FakeOpenAi.MODEL)
        .maxRetries(0)
        .listeners(List.of(LangChain4jMonitoring.listener(monitor)))
        .build();
  }

  private StreamingChatModel streamingModel() {
    return LangChain4jMonitoring.streaming(
        OpenAiStreamingChatModel.builder()
            .baseUrl(server.baseUrl())
            .apiKey("test-key")
            .modelName(FakeOpenAi.MODEL)
            .listeners(List.of(LangChain4jMonitoring.listener(monitor)))
            .build());
  }

  @Test
  void chatCallRecordsDurationTokensCostAndASpan() {
    captureSpans(false);

    String answer = chatModel().chat("Hello?");

    assertThat(answer).isEqualTo("Hello there");
    assertThat(monitor)
        .histogram("gen_ai_client_operation_duration_seconds")
        .withLabels(CHAT)
        .hasCount(1);
    assertThat(monitor)
        .histogram("gen_ai_client_token_usage")
        .withLabels(CHAT)
        .withLabels("gen_ai_token_type", "input")
        .hasSum(FakeOpenAi.PROMPT_TOKENS);
    assertThat(monitor)
        .histogram("gen_ai_client_token_usage")
        .withLabels(CHAT)
        .withLabels("gen_ai_token_type", "output")
        .hasSum(FakeOpenAi.COMPLETION_TOKENS);
    // the default price table: gpt-4o-mini at $0.15 in, $0.60 out per million tokens
    assertThat(monitor)
        .counter("llm_cost_usd_total")
        .withLabels(FLIGHT)
        .value()
        .isCloseTo(
            (FakeOpenAi.PROMPT_TOKENS * 0.15 + FakeOpenAi.COMPLETION_TOKENS * 0.60) / 1e6,
            within(1e-12));
    assertThat(monitor).gauge("llm_requests_in_flight").withLabels(FLIGHT).hasValue(0);
    assertThat(monitor).hasNoRefusals();

    SpansAssert.assertThat(spans)
        .span("chat " + FakeOpenAi.MODEL)
        .hasKind(SpanKind.CLIENT)
        .hasAttribute(stringKey("gen_ai.operation.name"), "chat")
        .hasAttribute(stringKey("gen_ai.provider.name"), "openai")
        .hasAttribute(stringKey("gen_ai.request.model"), FakeOpenAi.MODEL)
        .hasAttribute(longKey("gen_ai.usage.input_tokens"), (long) FakeOpenAi.PROMPT_TOKENS)
        .hasAttribute(longKey("gen_ai.usage.output_tokens"), (long) FakeOpenAi.COMPLETION_TOKENS)
        .hasEnded();
    SpanData span = spans.named("chat " + FakeOpenAi.MODEL).get(0);
    assertThat(span.getAttributes().get(stringKey("gen_ai.input.messages")))
        .as("prompt capture is off by default")
        .isNull();
  }

  @Test
  void promptCaptureWhenOnIsMasked() {
    captureSpans(true);
    String key = "sk-" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9T0u1V2w3X4";

    chatModel().chat("my key is " + key + ", what now?");

    SpanData span = spans.named("chat " + FakeOpenAi.MODEL).get(0);
    String input = span.getAttributes().get(stringKey("gen_ai.input.messages"));
    assertThat(input).contains("\"role\":\"user\"").contains("my key is").doesNotContain(key);
    assertThat(span.getAttributes().get(stringKey("gen_ai.output.messages")))
        .contains("Hello there");
  }

  @Test
  void httpErrorIsAFailedCallWithTheStatusAsErrorType() {
    captureSpans(false);
    server.failWith(429);

    assertThatThrownBy(() -> chatModel().chat("Hello?")).isInstanceOf(RateLimitException.class);

    assertThat(server.requests()).isEqualTo(1);
    assertThat(monitor)
        .histogram("gen_ai_client_operation_duration_seconds")
        .withLabels(CHAT)
        .withLabels("error_type", "429")
        .hasCount(1);
    assertThat(monitor).gauge("llm_requests_in_flight").withLabels(FLIGHT).hasValue(0);
    SpansAssert.assertThat(spans)
        .span("chat " + FakeOpenAi.MODEL)
        .hasStatusSatisfying(s -> s.hasCode(StatusCode.ERROR))
        .hasAttribute(stringKey("error.type"), "429");
  }

  @Test
  void serverErrorOnAStreamIsAFailedCall() {
    server.failWith(500);
    CompletableFuture<Throwable> failed = new CompletableFuture<>();

    streamingModel()
        .chat(
            "Hello?",
            new StreamingChatResponseHandler() {
              @Override
              public void onCompleteResponse(ChatResponse response) {
                failed.completeExceptionally(new AssertionError("completed: " + response));
              }

              @Override
              public void onError(Throwable error) {
                failed.complete(error);
              }
            });

    assertThat(failed.orTimeout(10, TimeUnit.SECONDS).join()).isNotNull();
    assertThat(monitor)
        .histogram("gen_ai_client_operation_duration_seconds")
        .withLabels(CHAT)
        .withLabels("error_type", "500")
        .hasCount(1);
    assertThat(monitor).gauge("llm_requests_in_flight").withLabels(FLIGHT).hasValue(0);
  }

  @Test
  void streamedAnswerRecordsTimeToFirstChunkTokensAndOneSpanEvent() {
    captureSpans(false);
    server.delayFirstChunk(60);
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    StringBuilder text = new StringBuilder();

    streamingModel()
        .chat(
            "Hello?",
            new StreamingChatResponseHandler() {
              @Override
              public void onPartialResponse(String partial) {
                text.append(partial);
              }

              @Override
              public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
              }

              @Override
              public void onError(Throwable error) {
                done.completeExceptionally(error);
              }
            });

    ChatResponse response = done.orTimeout(10, TimeUnit.SECONDS).join();
    assertThat(text).hasToString("Hello there");
    assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(FakeOpenAi.PROMPT_TOKENS);
    assertThat(monitor)
        .histogram("gen_ai_client_time_to_first_chunk_seconds")
        .withLabels(CHAT)
        .hasCount(1)
        .sum()
        .isGreaterThanOrEqualTo(0.06);
    assertThat(monitor)
        .histogram("gen_ai_client_operation_duration_seconds")
        .withLabels(CHAT)
        .hasCount(1)
        .hasNoSeriesWith("error_type", "cancelled");
    assertThat(monitor)
        .histogram("gen_ai_client_token_usage")
        .withLabels(CHAT)
        .withLabels("gen_ai_token_type", "output")
        .hasSum(FakeOpenAi.COMPLETION_TOKENS);
    assertThat(monitor).gauge("llm_requests_in_flight").withLabels(FLIGHT).hasValue(0);
    SpanData span = spans.named("chat " + FakeOpenAi.MODEL).get(0);
    assertThat(span.getEvents()).extracting(e -> e.getName()).containsExactly("gen_ai.first_chunk");
  }

  @Test
  void streamCancelledByTheClientEndsAsCancelledAndLeavesFlight() {
    captureSpans(false);
    server.holdAfterFirstChunk();
    CompletableFuture<String> firstChunk = new CompletableFuture<>();

    streamingModel()
        .chat(
            "Hello?",
            new StreamingChatResponseHandler() {
              @Override
              public void onPartialResponse(
                  PartialResponse partial, PartialResponseContext context) {
                firstChunk.complete(partial.text());
                context.streamingHandle().cancel();
              }

              @Override
              public void onCompleteResponse(ChatResponse response) {}

              @Override
              public void onError(Throwable error) {}
            });

    assertThat(firstChunk.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo("Hel");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(monitor)
                    .histogram("gen_ai_client_operation_duration_seconds")
                    .withLabels(CHAT)
                    .withLabels("error_type", LangChain4jMonitoring.CANCELLED)
                    .hasCount(1));
    assertThat(monitor).gauge("llm_requests_in_flight").withLabels(FLIGHT).hasValue(0);
    assertThat(monitor)
        .histogram("gen_ai_client_time_to_first_chunk_seconds")
        .withLabels(CHAT)
        .hasCount(1);
    SpansAssert.assertThat(spans)
        .span("chat " + FakeOpenAi.MODEL)
        .hasAttribute(stringKey("error.type"), "cancelled");
  }

  @Test
  void embeddingCallRecordsItsInputTokens() {
    captureSpans(false);
    EmbeddingModel model =
        OpenAiEmbeddingModel.builder()
            .baseUrl(server.baseUrl())
            .apiKey("test-key")
            .modelName("text-embedding-3-small")
            .maxRetries(0)
            .listeners(List.of(LangChain4jMonitoring.embeddingListener(monitor)))
            .build();

    assertThat(model.embed("hello").content().vector()).containsExactly(0.1f, 0.2f, 0.3f);

    String[] embeddings = {
      "gen_ai_operation_name", "embeddings",
      "gen_ai_provider_name", "openai",
      "gen_ai_request_model", "text-embedding-3-small"
    };
    assertThat(monitor)
        .histogram("gen_ai_client_operation_duration_seconds")
        .withLabels(embeddings)
        .hasCount(1);
    assertThat(monitor)
        .histogram("gen_ai_client_token_usage")
        .withLabels(embeddings)
        .withLabels("gen_ai_token_type", "input")
        .hasSum(FakeOpenAi.EMBEDDING_TOKENS);
    assertThat(monitor) // an embedding has no output tokens: no sample, not a false 0
        .histogram("gen_ai_client_token_usage")
        .withLabels(embeddings)
        .withLabels("gen_ai_token_type", "output")
        .hasCount(0);
    SpansAssert.assertThat(spans)
        .span("embeddings text-embedding-3-small")
        .hasAttribute(longKey("gen_ai.usage.input_tokens"), (long) FakeOpenAi.EMBEDDING_TOKENS)
        .satisfies(
            span ->
                org.assertj.core.api.Assertions.assertThat(
                        span.getAttributes().get(longKey("gen_ai.usage.output_tokens")))
                    .as("no output tokens on an embedding span")
                    .isNull());

    server.failWith(503);
    assertThatThrownBy(() -> model.embed("hello")).isInstanceOf(RuntimeException.class);
    assertThat(monitor)
        .histogram("gen_ai_client_operation_duration_seconds")
        .withLabels(embeddings)
        .withLabels("error_type", "503")
        .hasCount(1);
  }

  @Test
  void theListenerExposesExactlyTheSeriesOfADirectCall() {
    chatModel().chat("Hello?");
    PrometheusMeterRegistry direct = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try {
      Monitor.create(direct, 1000, LlmPrices.defaults())
          .llm()
          .call(
              "openai",
              FakeOpenAi.MODEL,
              "chat",
              call -> {
                call.firstChunk();
                call.finish(1, 1);
                return null;
              });
      // the streamed path adds first-chunk samples; names and labels are created at start
      assertThat(series(registry.scrape())).isEqualTo(series(direct.scrape()));
    } finally {
      direct.close();
    }
  }

  /** Every series name with its label names (values stripped). */
  private static TreeSet<String> series(String exposition) {
    TreeSet<String> names = new TreeSet<>();
    exposition
        .lines()
        .filter(l -> !l.startsWith("#") && !l.isBlank())
        .map(l -> l.substring(0, l.lastIndexOf(' ')).replaceAll("=\"[^\"]*\"", ""))
        .forEach(names::add);
    return names;
  }
}
