package com.aicompanion.monitoring.langchain4j;

import com.aicompanion.monitoring.Monitor;
import com.aicompanion.monitoring.langchain4j.internal.CallEndingChatModel;
import com.aicompanion.monitoring.langchain4j.internal.FirstChunkStreamingChatModel;
import com.aicompanion.monitoring.langchain4j.internal.MonitoringChatModelListener;
import com.aicompanion.monitoring.langchain4j.internal.MonitoringEmbeddingModelListener;
import com.aicompanion.monitoring.langchain4j.internal.OpenCalls;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.embedding.listener.EmbeddingModelListener;
import java.time.Duration;
import java.util.Objects;

/**
 * LangChain4j models recorded like {@code monitor.llm()} calls, with one line per model: the same
 * metrics ({@code gen_ai_client_operation_duration_seconds}, {@code gen_ai_client_token_usage},
 * {@code gen_ai_client_time_to_first_chunk_seconds}, {@code llm_requests_in_flight}, {@code
 * llm_cost_usd_total}, {@code error_type} on failures), and with monitoring-tracing a GenAI client
 * span per call with the semantic-convention attributes.
 *
 * <pre>{@code
 * ChatModel chat = LangChain4jMonitoring.chat(                // + calls failing with an Error
 *     OpenAiChatModel.builder().apiKey(key).modelName("gpt-4o")
 *         .listeners(List.of(LangChain4jMonitoring.listener(monitor)))
 *         .build());
 *
 * StreamingChatModel streaming = LangChain4jMonitoring.streaming(
 *     OpenAiStreamingChatModel.builder().apiKey(key).modelName("gpt-4o")
 *         .listeners(List.of(LangChain4jMonitoring.listener(monitor)))
 *         .build());                         // + time to first chunk, cancelled streams
 *
 * EmbeddingModel embeddings = OpenAiEmbeddingModel.builder().apiKey(key)
 *     .modelName("text-embedding-3-small")
 *     .listeners(List.of(LangChain4jMonitoring.embeddingListener(monitor)))
 *     .build();
 * }</pre>
 *
 * <p>Labels: {@code gen_ai_provider_name} from the model's {@code ModelProvider} in the
 * conventions' spelling ({@code openai}, {@code anthropic}, {@code azure.ai.openai}, {@code
 * aws.bedrock}, {@code gcp.gemini}, ...; {@code unknown} when the model names none), {@code
 * gen_ai_request_model} the requested model, {@code gen_ai_operation_name} {@code chat} or {@code
 * embeddings}. A failed call carries {@code error_type}: the HTTP status code when the provider
 * answered with an error (e.g. {@code 429}, {@code 500}), else the exception's class name; a stream
 * cancelled through its {@code StreamingHandle} ends as {@value #CANCELLED}. Prompt and completion
 * text reach the span only when prompt capture is on ({@code MONITORING_TRACING_CAPTURE_CONTENT}),
 * masked like every other signal; metrics never see text.
 *
 * <p>No call a listener opened stays in {@code llm_requests_in_flight} for good. LangChain4j tells
 * listeners about an {@code Exception} only: {@link #chat} and {@link #streaming} end a call that
 * fails with anything else (an {@code Error}) at once; as a safety net, each listener ends the
 * calls of its own still open {@link #DEFAULT_MAX_CALL_AGE} after they started (checked when it
 * starts a call, at most once a minute) as failed with {@code error_type} {@value #ABANDONED}.
 *
 * <p>The listeners never throw into LangChain4j: a failure of their own is logged once and the call
 * is recorded without token usage, or not at all.
 */
public final class LangChain4jMonitoring {
  /** The {@code error_type} of a stream cancelled through its {@code StreamingHandle}. */
  public static final String CANCELLED = "cancelled";

  /**
   * The {@code error_type} of a call LangChain4j reported to the listener neither as answered nor
   * as failed within the maximum call age, e.g. a model that failed with an {@code Error} and was
   * not wrapped with {@link #chat}, or a stream that never ends. Its recorded duration is its age
   * when it was ended, a lower bound.
   */
  public static final String ABANDONED = "abandoned";

  /** How long a call may stay open before its listener ends it as {@value #ABANDONED}: 1 hour. */
  public static final Duration DEFAULT_MAX_CALL_AGE = Duration.ofHours(1);

  private LangChain4jMonitoring() {}

  /**
   * A listener for a LangChain4j {@code ChatModel} or {@code StreamingChatModel} (pass it to the
   * model builder's {@code listeners(..)}). For a streaming model, also wrap the model with {@link
   * #streaming} to record the time to the first chunk and cancelled streams: LangChain4j's listener
   * API has no per-chunk callback.
   *
   * @param monitor where the calls are recorded, e.g. {@code monitoring.monitor()}
   * @throws NullPointerException when {@code monitor} is null
   */
  public static ChatModelListener listener(Monitor monitor) {
    return listener(monitor, DEFAULT_MAX_CALL_AGE);
  }

  /**
   * {@link #listener(Monitor)} whose calls still open {@code maxCallAge} after they started are
   * ended as failed with {@code error_type} {@value #ABANDONED}; pick it above the longest call
   * (e.g. a long reasoning stream) the model can make.
   *
   * @param maxCallAge positive; default {@link #DEFAULT_MAX_CALL_AGE}
   * @throws IllegalArgumentException when {@code maxCallAge} is zero or negative
   * @throws NullPointerException when an argument is null
   */
  public static ChatModelListener listener(Monitor monitor, Duration maxCallAge) {
    return new MonitoringChatModelListener(
        Objects.requireNonNull(monitor, "monitor").llm(), openCalls(maxCallAge));
  }

  /**
   * A listener for a LangChain4j {@code EmbeddingModel} (the builder's {@code listeners(..)}, or
   * {@code model.addListener(..)}): each call is recorded with operation {@code embeddings} and its
   * input tokens and their cost (an embedding has no output tokens: the output-token histogram gets
   * no sample). A call that fails with an {@code Error} (LangChain4j tells listeners about an
   * {@code Exception} only) is ended as {@value #ABANDONED} after {@link #DEFAULT_MAX_CALL_AGE}.
   *
   * @throws NullPointerException when {@code monitor} is null
   */
  public static EmbeddingModelListener embeddingListener(Monitor monitor) {
    return embeddingListener(monitor, DEFAULT_MAX_CALL_AGE);
  }

  /**
   * {@link #embeddingListener(Monitor)} with its own maximum call age; see {@link
   * #listener(Monitor, Duration)}.
   *
   * @param maxCallAge positive; default {@link #DEFAULT_MAX_CALL_AGE}
   * @throws IllegalArgumentException when {@code maxCallAge} is zero or negative
   * @throws NullPointerException when an argument is null
   */
  public static EmbeddingModelListener embeddingListener(Monitor monitor, Duration maxCallAge) {
    return new MonitoringEmbeddingModelListener(
        Objects.requireNonNull(monitor, "monitor").llm(), openCalls(maxCallAge));
  }

  /**
   * {@code model} (which must have {@link #listener} among its listeners) with what the listener
   * cannot see: a call that fails with an {@code Error} (e.g. {@code NoClassDefFoundError}, {@code
   * OutOfMemoryError}), which LangChain4j reports to no listener, is ended at once as failed with
   * the error's class name as {@code error_type} and leaves {@code llm_requests_in_flight}. Without
   * the wrapper such a call stays in flight until its listener ends it as {@value #ABANDONED}.
   * Everything else is passed to {@code model} unchanged.
   *
   * @throws NullPointerException when {@code model} is null
   */
  public static ChatModel chat(ChatModel model) {
    return new CallEndingChatModel(Objects.requireNonNull(model, "model"));
  }

  /**
   * {@code model} (which must have {@link #listener} among its listeners) with the two things a
   * listener cannot see: the first streamed chunk ({@code
   * gen_ai_client_time_to_first_chunk_seconds} and a {@code gen_ai.first_chunk} span event) and a
   * stream cancelled with {@code context.streamingHandle().cancel()} (the call ends as failed with
   * {@code error_type} {@value #CANCELLED} and leaves {@code llm_requests_in_flight}; without this
   * wrapper LangChain4j reports a cancelled stream to no listener, so the call would stay in flight
   * until its listener ends it as {@value #ABANDONED}), and, like {@link #chat}, anything thrown by
   * {@code chat(..)} on the caller's thread. Everything else is passed to {@code model} unchanged.
   *
   * @throws NullPointerException when {@code model} is null
   */
  public static StreamingChatModel streaming(StreamingChatModel model) {
    return new FirstChunkStreamingChatModel(Objects.requireNonNull(model, "model"));
  }

  private static OpenCalls openCalls(Duration maxCallAge) {
    Objects.requireNonNull(maxCallAge, "maxCallAge");
    if (maxCallAge.isZero() || maxCallAge.isNegative()) {
      throw new IllegalArgumentException(
          "maxCallAge is "
              + maxCallAge
              + ": it must be positive; pass a duration above the longest call the model makes,"
              + " or use the default "
              + DEFAULT_MAX_CALL_AGE);
    }
    return new OpenCalls(maxCallAge, System::nanoTime);
  }
}
