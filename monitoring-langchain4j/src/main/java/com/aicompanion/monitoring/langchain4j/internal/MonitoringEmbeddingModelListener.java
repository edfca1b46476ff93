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
 * {@link LlmCall} with operation {@code embeddings}.
 *
 * <pre>{@code
 * embeddingModel.addListener(new MonitoringEmbeddingModelListener(monitor.llm()));
 * }</pre>
 */
public final class MonitoringEmbeddingModelListener implements EmbeddingModelListener {
  static final String CALL = MonitoringEmbeddingModelListener.class.getName() + ".call";

  private final LlmMetrics llm;

  public MonitoringEmbeddingModelListener(LlmMetrics llm) {
    this.llm = llm;
  }

  @Override
  public void onRequest(EmbeddingModelRequestContext context) {
    try {
      EmbeddingModel model = context.embeddingModel();
      String modelName = model == null ? null : model.modelName();
      LlmCall call =
          llm.start(GenAiNames.provider(context.modelProvider()), modelName, "embeddings");
      context.attributes().put(CALL, call);
    } catch (RuntimeException e) {
      ListenerErrors.failed("onRequest", e);
    }
  }

  @Override
  public void onResponse(EmbeddingModelResponseContext context) {
    try {
      if (context.attributes().get(CALL) instanceof LlmCall call) {
        EmbeddingResponse response = context.embeddingResponse();
        TokenUsage usage = response == null ? null : response.tokenUsage();
        MonitoringChatModelListener.finish(call, usage);
      }
    } catch (RuntimeException e) {
      ListenerErrors.failed("onResponse", e);
    }
  }

  @Override
  public void onError(EmbeddingModelErrorContext context) {
    try {
      if (context.attributes().get(CALL) instanceof LlmCall call) {
        call.fail(GenAiNames.errorType(context.error()));
      }
    } catch (RuntimeException e) {
      ListenerErrors.failed("onError", e);
    }
  }
}
