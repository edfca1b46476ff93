package com.aicompanion.monitoring.langchain4j;

import static com.aicompanion.monitoring.test.MetricsAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicompanion.monitoring.LlmPrices;
import com.aicompanion.monitoring.Monitor;
import com.aicompanion.monitoring.langchain4j.internal.MonitoringChatModelListener;
import com.aicompanion.monitoring.langchain4j.internal.MonitoringEmbeddingModelListener;
import com.aicompanion.monitoring.langchain4j.internal.OpenCalls;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.listener.EmbeddingModelListener;
import dev.langchain4j.model.embedding.request.EmbeddingRequest;
import dev.langchain4j.model.embedding.response.EmbeddingResponse;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Calls LangChain4j 1.19 reports to no listener (a model failing with an {@code Error}, a streaming
 * {@code chat(..)} throwing on the caller's thread) leave {@code llm_requests_in_flight}: at once
 * through the wrappers, after the maximum call age through the listener alone.
 */
class CallsLangChain4jDoesNotEndTest {
  private static final String[] FLIGHT = {
    "gen_ai_provider_name", "anthropic", "gen_ai_request_model", "claude-sonnet-4"
  };

  private PrometheusMeterRegistry registry;
  private Monitor monitor;
  private final AtomicLong clock = new AtomicLong();

  @BeforeEach
  void setUp() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    monitor = Monitor.create(registry, 1000, LlmPrices.defaults());
  }

  @AfterEach
  void tearDown() {
    registry.close();
  }

  /** An Anthropic-labelled chat model that answers, or fails with an Error while told to. */
  static final class Anthropic implements ChatModel {
    private final List<ChatModelListener> listeners;
    final AtomicBoolean broken = new AtomicBoolean();

    Anthropic(ChatModelListener listener) {
      this.listeners = List.of(listener);
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
      if (broken.get()) {
        throw new NoClassDefFoundError("com/fasterxml/jackson/databind/ObjectMapper");
      }
      return ChatResponse.builder().aiMessage(AiMessage.from("Hi.")).build();
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

  private ChatModelListener listenerOnTheTestClock(Duration maxAge) {
    return new MonitoringChatModelListener(monitor.llm(), new OpenCalls(maxAge, clock::get));
  }

  private void advance(Duration d) {
    clock.addAndGet(d.toNanos());
  }

  @Test
  void theListenerAloneEndsACallFailedWithAnErrorAsAbandonedOnlyAfterTheMaximumAge() {
    Anthropic model = new Anthropic(listenerOnTheTestClock(Duration.ofHours(1)));
    model.broken.set(true);
    assertThatThrownBy(() -> model.chat("Hello?")).isInstanceOf(NoClassDefFoundError.class);
    model.broken.set(false);
    assertThat(monitor).gauge("llm_requests_in_flight").withLabels(FLIGHT).hasValue(1);

    advance(Duration.ofMinutes(59)); // a sweep runs, but the call may still be a long one
    model.chat("Still there?");
    assertThat(monitor).gauge("llm_requests_in_flight").withLabels(FLIGHT).hasValue(1);

    advance(Duration.ofMinutes(2));
    model.chat("And now?");
    assertThat(monitor).gauge("llm_requests_in_flight").withLabels(FLIGHT).hasValue(0);
    assertThat(monitor)
        .histogram("gen_ai_client_operation_duration_seconds")
        .withLabels(FLIGHT)
        .withLabels("error_type", LangChain4jMonitoring.ABANDONED)
        .hasCount(1);
    assertThat(monitor)
        .histogram("gen_ai_client_operation_duration_seconds")
        .withLabels(FLIGHT)
        .withLabels("error_type", "")
        .hasCount(2);
  }

  @Test
  void aCallTheWrapperEndedIsNotAbandonedLater() {
    Anthropic model = new Anthropic(listenerOnTheTestClock(Duration.ofHours(1)));
    ChatModel wrapped = LangChain4jMonitoring.chat(model);
    model.broken.set(true);
    assertThatThrownBy(() -> wrapped.chat("Hello?")).isInstanceOf(NoClassDefFoundError.class);
    model.broken.set(false);

    advance(Duration.ofHours(2));
    wrapped.chat("And now?");

    assertThat(monitor).gauge("llm_requests_in_flight").withLabels(FLIGHT).hasValue(0);
    assertThat(monitor)
        .histogram("gen_ai_client_operation_duration_seconds")
        .withLabels(FLIGHT)
        .withLabels("error_type", "java.lang.NoClassDefFoundError")
        .hasCount(1);
    assertThat(monitor)
        .histogram("gen_ai_client_operation_duration_seconds")
        .hasNoSeriesWith("error_type", LangChain4jMonitoring.ABANDONED);
  }

  @Test
  void aStreamingChatThatThrowsOnTheCallersThreadLeavesFlight() {
    StreamingChatModel broken =
        new StreamingChatModel() {
          @Override
          public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
            throw new IllegalStateException("no connection pool");
          }

          @Override
          public ChatRequestParameters defaultRequestParameters() {
            return ChatRequestParameters.builder().modelName("claude-sonnet-4").build();
          }

          @Override
          public List<ChatModelListener> listeners() {
            return List.of(LangChain4jMonitoring.listener(monitor));
          }

          @Override
          public ModelProvider provider() {
            return ModelProvider.ANTHROPIC;
          }
        };
    StreamingChatModel model = LangChain4jMonitoring.streaming(broken);

    StreamingChatResponseHandler ignored =
        new StreamingChatResponseHandler() {
          @Override
          public void onCompleteResponse(ChatResponse response) {}

          @Override
          public void onError(Throwable error) {}
        };
    assertThatThrownBy(() -> model.chat("Hello?", ignored))
        .isInstanceOf(IllegalStateException.class);

    assertThat(monitor).gauge("llm_requests_in_flight").withLabels(FLIGHT).hasValue(0);
    assertThat(monitor)
        .histogram("gen_ai_client_operation_duration_seconds")
        .withLabels(FLIGHT)
        .withLabels("error_type", "java.lang.IllegalStateException")
        .hasCount(1);
  }

  @Test
  void anEmbeddingFailedWithAnErrorIsAbandonedAfterTheMaximumAge() {
    EmbeddingModelListener listener =
        new MonitoringEmbeddingModelListener(
            monitor.llm(), new OpenCalls(Duration.ofMinutes(10), clock::get));
    AtomicBoolean broken = new AtomicBoolean(true);
    EmbeddingModel model =
        new EmbeddingModel() {
          @Override
          public EmbeddingResponse doEmbed(EmbeddingRequest request) {
            if (broken.get()) {
              throw new StackOverflowError();
            }
            return EmbeddingResponse.builder()
                .embeddings(List.of(Embedding.from(new float[] {0.1f})))
                .build();
          }

          @Override
          public ModelProvider provider() {
            return ModelProvider.ANTHROPIC;
          }

          @Override
          public String modelName() {
            return "claude-sonnet-4";
          }
        }.addListener(listener);

    assertThatThrownBy(() -> model.embed("hello")).isInstanceOf(StackOverflowError.class);
    broken.set(false);
    assertThat(monitor).gauge("llm_requests_in_flight").withLabels(FLIGHT).hasValue(1);

    advance(Duration.ofMinutes(11));
    model.embed("hello");

    assertThat(monitor).gauge("llm_requests_in_flight").withLabels(FLIGHT).hasValue(0);
    assertThat(monitor)
        .histogram("gen_ai_client_operation_duration_seconds")
        .withLabels(FLIGHT)
        .withLabels("gen_ai_operation_name", "embeddings")
        .withLabels("error_type", LangChain4jMonitoring.ABANDONED)
        .hasCount(1);
  }

  @Test
  void aMaximumCallAgeThatIsNotPositiveIsRefusedNamingValueAndFix() {
    assertThatThrownBy(() -> LangChain4jMonitoring.listener(monitor, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxCallAge is PT0S")
        .hasMessageContaining("must be positive")
        .hasMessageContaining("longest call");
    assertThatThrownBy(
            () -> LangChain4jMonitoring.embeddingListener(monitor, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-1S");
  }
}
