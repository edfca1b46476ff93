package com.aicompanion.monitoring.langchain4j.internal;

import com.aicompanion.monitoring.LlmCall;
import com.aicompanion.monitoring.LlmMetrics;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Opens an {@link LlmCall} in {@code onRequest} and ends it in {@code onResponse} or {@code
 * onError}; the call travels in the request's listener attributes, which LangChain4j hands to all
 * three callbacks of one call (they may run on different threads for a streaming model). Calls that
 * LangChain4j never ends for the listener (a model failing with an {@code Error}) are ended by
 * {@link CallEndingChatModel} when the model is wrapped, else by {@link OpenCalls} after the
 * maximum age.
 *
 * <pre>{@code
 * OpenAiChatModel.builder()...listeners(List.of(new MonitoringChatModelListener(
 *     monitor.llm(), new OpenCalls(Duration.ofHours(1), System::nanoTime))))
 * }</pre>
 */
public final class MonitoringChatModelListener implements ChatModelListener {
  static final String CALL = MonitoringChatModelListener.class.getName() + ".call";

  private final LlmMetrics llm;
  private final OpenCalls open;

  public MonitoringChatModelListener(LlmMetrics llm, OpenCalls open) {
    this.llm = llm;
    this.open = open;
  }

  @Override
  public void onRequest(ChatModelRequestContext context) {
    try {
      ChatRequest request = context.chatRequest();
      LlmCall call =
          llm.start(GenAiNames.provider(context.modelProvider()), modelName(request), "chat");
      open.opened(call);
      Map<Object, Object> attributes = context.attributes();
      attributes.put(CALL, call);
      CallSlot slot = CallSlot.in(attributes);
      if (slot != null) {
        slot.set(call);
      }
      String prompt = lastUserText(request);
      if (prompt != null) {
        call.prompt(prompt);
      }
    } catch (RuntimeException e) {
      ListenerErrors.failed("onRequest", e);
    }
  }

  @Override
  public void onResponse(ChatModelResponseContext context) {
    if (!(context.attributes().get(CALL) instanceof LlmCall call)) {
      return;
    }
    try {
      ChatResponse response = context.chatResponse();
      AiMessage message = response == null ? null : response.aiMessage();
      if (message != null && message.text() != null) {
        call.completion(message.text());
      }
      finish(call, response == null ? null : response.tokenUsage());
    } catch (RuntimeException e) {
      ListenerErrors.failed("onResponse", e);
      finishWithoutUsage(call);
    } finally {
      open.ended(call);
    }
  }

  @Override
  public void onError(ChatModelErrorContext context) {
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

  /** The call succeeded but reading its response failed: it still leaves flight, without usage. */
  static void finishWithoutUsage(LlmCall call) {
    try {
      call.finish();
    } catch (RuntimeException e) {
      // already logged once by the caller; the call ends at the latest as abandoned
    }
  }

  /** Ends {@code call} with the counts it has; none at all is a success without usage. */
  static void finish(LlmCall call, @Nullable TokenUsage usage) {
    Integer in = usage == null ? null : usage.inputTokenCount();
    Integer out = usage == null ? null : usage.outputTokenCount();
    if (in == null && out == null) {
      call.finish();
    } else {
      call.finish(in == null ? 0 : in, out == null ? 0 : out);
    }
  }

  private static @Nullable String modelName(@Nullable ChatRequest request) {
    return request == null || request.parameters() == null
        ? null
        : request.parameters().modelName();
  }

  /** The text of the last user message: what the GenAI span captures as the prompt. */
  private static @Nullable String lastUserText(@Nullable ChatRequest request) {
    List<ChatMessage> messages = request == null ? null : request.messages();
    if (messages == null) {
      return null;
    }
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i) instanceof UserMessage user && user.hasSingleText()) {
        return user.singleText();
      }
    }
    return null;
  }
}
