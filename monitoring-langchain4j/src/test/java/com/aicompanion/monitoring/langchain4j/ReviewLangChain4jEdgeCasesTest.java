package com.aicompanion.monitoring.langchain4j;

import static com.aicompanion.monitoring.test.MetricsAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.LlmPrices;
import com.aicompanion.monitoring.Monitor;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Review of issue 14: LangChain4j inputs the other tests did not use. */
class ReviewLangChain4jEdgeCasesTest {
  private FakeOpenAi server;
  private PrometheusMeterRegistry registry;
  private Monitor monitor;

  @BeforeEach
  void setUp() throws Exception {
    server = new FakeOpenAi();
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    monitor = Monitor.create(registry, 1000, LlmPrices.defaults());
  }

  @AfterEach
  void tearDown() {
    server.close();
    registry.close();
  }

  /** A provider other than OpenAI whose client fails with an Error (a missing class). */
  static final class BrokenAnthropic implements ChatModel {
    private final List<ChatModelListener> listeners;

    BrokenAnthropic(List<ChatModelListener> listeners) {
      this.listeners = listeners;
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
      throw new NoClassDefFoundError("com/fasterxml/jackson/databind/ObjectMapper");
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
      return ChatRequestParameters.builder().modelName("claude-sonnet-4").build();
    }

    @Override
    public List<ChatModelListener> listeners() {
      return listeners;
    }

    @Override
    public ModelProvider provider() {
      return ModelProvider.ANTHROPIC;
    }
  }

  @Test
  void aChatCallThatFailsWithAnErrorLeavesFlightAndIsAFailedCall() {
    ChatModel model =
        LangChain4jMonitoring.chat(
            new BrokenAnthropic(List.of(LangChain4jMonitoring.listener(monitor))));

    assertThatThrownBy(() -> model.chat("Hello?")).isInstanceOf(NoClassDefFoundError.class);

    // LangChain4j's ChatModel.chat calls the listeners' onError for an Exception only: an Error
    // ends neither onResponse nor onError; the chat(..) wrapper ends the call the listener opened.
    // (The listener alone ends it as "abandoned" after the maximum call age:
    // CallsLangChain4jDoesNotEndTest.)
    assertThat(monitor)
        .gauge("llm_requests_in_flight")
        .withLabels("gen_ai_provider_name", "anthropic", "gen_ai_request_model", "claude-sonnet-4")
        .hasValue(0);
    assertThat(monitor)
        .histogram("gen_ai_client_operation_duration_seconds")
        .withLabels(
            "gen_ai_provider_name", "anthropic", "error_type", "java.lang.NoClassDefFoundError")
        .hasCount(1);
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
  void aStreamingHandlerThatThrowsStillEndsTheCall() {
    CompletableFuture<Object> done = new CompletableFuture<>();
    streamingModel()
        .chat(
            "Hello?",
            new StreamingChatResponseHandler() {
              @Override
              public void onPartialResponse(String partial) {
                throw new IllegalStateException("handler bug");
              }

              @Override
              public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
              }

              @Override
              public void onError(Throwable error) {
                done.complete(error);
              }
            });
    done.orTimeout(10, TimeUnit.SECONDS).join();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(monitor)
                    .gauge("llm_requests_in_flight")
                    .withLabels(
                        "gen_ai_provider_name", "openai", "gen_ai_request_model", FakeOpenAi.MODEL)
                    .hasValue(0));
    assertThat(monitor)
        .histogram("gen_ai_client_time_to_first_chunk_seconds")
        .withLabels("gen_ai_request_model", FakeOpenAi.MODEL)
        .hasCount(1);
  }

  @Test
  void concurrentStreamsEachRecordOneCallAndOneFirstChunk() {
    StreamingChatModel model = streamingModel();
    List<CompletableFuture<ChatResponse>> all = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      CompletableFuture<ChatResponse> f = new CompletableFuture<>();
      all.add(f);
      model.chat(
          "Hello " + i,
          new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {}

            @Override
            public void onCompleteResponse(ChatResponse response) {
              f.complete(response);
            }

            @Override
            public void onError(Throwable error) {
              f.completeExceptionally(error);
            }
          });
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .orTimeout(20, TimeUnit.SECONDS)
        .join();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(monitor)
                    .histogram("gen_ai_client_operation_duration_seconds")
                    .withLabels("gen_ai_request_model", FakeOpenAi.MODEL)
                    .hasCount(8));
    assertThat(monitor)
        .histogram("gen_ai_client_time_to_first_chunk_seconds")
        .withLabels("gen_ai_request_model", FakeOpenAi.MODEL)
        .hasCount(8);
    assertThat(monitor)
        .gauge("llm_requests_in_flight")
        .withLabels("gen_ai_provider_name", "openai", "gen_ai_request_model", FakeOpenAi.MODEL)
        .hasValue(0);
  }
}
