package com.aicompanion.monitoring.langchain4j.internal;

import com.aicompanion.monitoring.LlmCall;
import com.aicompanion.monitoring.LlmMetrics;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.listener.EmbeddingModelErrorContext;
import dev.langchain4j.model.embedding.listener.EmbeddingModelListener;
import dev.langchain4j.model.embedding.listener.EmbeddingModelRequestContext;
import dev.langchain4j.model.embedding.listener.EmbeddingModelResponseContext;
import dev.langchain4j.model.embedding.response.EmbeddingResponse;
import dev.langchain4j.model.output.TokenUsage;

/**
 * Records each embedding call (LangChain4j's {@code EmbeddingModelListener}, since 1.11) as one
 * {@link LlmCall} with operation {@code embeddings}, ended with {@link LlmCall#finishInput}: an
 * embedding has input tokens only. A call LangChain4j never ends for the listener (an {@code Error}
 * from the model) is ended by {@link OpenCalls} after the maximum age.
 *
 * <pre>{@code
 * embeddingModel.addListener(new MonitoringEmbeddingModelListener(
 *     monitor.llm(), new OpenCalls(Duration.ofHours(1), System::nanoTime)));
 * }</pre>
 */
public final class MonitoringEmbeddingModelListener implements EmbeddingModelListener {
  static final String CALL = MonitoringEmbeddingModelListener.class.getName() + ".call";

  private final LlmMetrics llm;
  private final OpenCalls open;

  public MonitoringEmbeddingModelListener(LlmMetrics llm, OpenCalls open) {
    this.llm = llm;
    this.open = open;
  }

  @Override
  public void onRequest(EmbeddingModelRequestContext context) {
    try {
      EmbeddingModel model = context.embeddingModel();
      String modelName = model == null ? null : model.modelName();
      LlmCall call =
          llm.start(GenAiNames.provider(context.modelProvider()), modelName, "embeddings");
      open.opened(call);
      context.attributes().put(CALL, call);
    } catch (RuntimeException e) {
      ListenerErrors.failed("onRequest", e);
    }
  }

  @Override
  public void onResponse(EmbeddingModelResponseContext context) {
    if (!(context.attributes().get(CALL) instanceof LlmCall call)) {
      return;
    }
    try {
      EmbeddingResponse response = context.embeddingResponse();
      TokenUsage usage = response == null ? null : response.tokenUsage();
      Integer in = usage == null ? null : usage.inputTokenCount();
      if (in == null) {
        call.finish();
      } else {
        // an embedding has no output tokens: no output sample rather than a false 0
        call.finishInput(in);
      }
    } catch (RuntimeException e) {
      ListenerErrors.failed("onResponse", e);
      MonitoringChatModelListener.finishWithoutUsage(call);
    } finally {
      open.ended(call);
    }
  }

  @Override
  public void onError(EmbeddingModelErrorContext context) {
    if (!(context.attributes().get(CALL) instanceof LlmCall call)) {
      return;
    }
    try {
      call.fail(GenAiNames.errorType(context.error()));
    } catch (RuntimeException e) {
      ListenerErrors.failed("onError", e);
    } finally {
      open.ended(call);
    }
  }
}
