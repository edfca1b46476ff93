package com.aicompanion.monitoring.langchain4j;

import com.aicompanion.monitoring.Monitor;
import com.aicompanion.monitoring.langchain4j.internal.FirstChunkStreamingChatModel;
import com.aicompanion.monitoring.langchain4j.internal.MonitoringChatModelListener;
import com.aicompanion.monitoring.langchain4j.internal.MonitoringEmbeddingModelListener;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.embedding.listener.EmbeddingModelListener;
import java.util.Objects;

/**
 * LangChain4j models recorded like {@code monitor.llm()} calls, with one line per model: the same
 * metrics ({@code gen_ai_client_operation_duration_seconds}, {@code gen_ai_client_token_usage},
 * {@code gen_ai_client_time_to_first_chunk_seconds}, {@code llm_requests_in_flight}, {@code
 * llm_cost_usd_total}, {@code error_type} on failures), and with monitoring-tracing a GenAI client
 * span per call with the semantic-convention attributes.
 *
 * <pre>{@code
 * ChatModel chat = OpenAiChatModel.builder().apiKey(key).modelName("gpt-4o")
 *     .listeners(List.of(LangChain4jMonitoring.listener(monitor)))
 *     .build();
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
 * <p>The listeners never throw into LangChain4j: a failure of their own is logged once and the call
 * goes on unrecorded.
 */
public final class LangChain4jMonitoring {
  /** The {@code error_type} of a stream cancelled through its {@code StreamingHandle}. */
  public static final String CANCELLED = "cancelled";

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
    return new MonitoringChatModelListener(Objects.requireNonNull(monitor, "monitor").llm());
  }

  /**
   * A listener for a LangChain4j {@code EmbeddingModel} (the builder's {@code listeners(..)}, or
   * {@code model.addListener(..)}): each call is recorded with operation {@code embeddings} and its
   * input tokens (an embedding has no output tokens; their histogram gets a 0).
   *
   * @throws NullPointerException when {@code monitor} is null
   */
  public static EmbeddingModelListener embeddingListener(Monitor monitor) {
    return new MonitoringEmbeddingModelListener(Objects.requireNonNull(monitor, "monitor").llm());
  }

  /**
   * {@code model} (which must have {@link #listener} among its listeners) with the two things a
   * listener cannot see: the first streamed chunk ({@code
   * gen_ai_client_time_to_first_chunk_seconds} and a {@code gen_ai.first_chunk} span event) and a
   * stream cancelled with {@code context.streamingHandle().cancel()} (the call ends as failed with
   * {@code error_type} {@value #CANCELLED} and leaves {@code llm_requests_in_flight}; without this
   * wrapper LangChain4j reports a cancelled stream to no listener, so the call would stay in
   * flight). Everything else is passed to {@code model} unchanged.
   *
   * @throws NullPointerException when {@code model} is null
   */
  public static StreamingChatModel streaming(StreamingChatModel model) {
    return new FirstChunkStreamingChatModel(Objects.requireNonNull(model, "model"));
  }
}
