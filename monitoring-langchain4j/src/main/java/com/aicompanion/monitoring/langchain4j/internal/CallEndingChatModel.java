package com.aicompanion.monitoring.langchain4j.internal;

import com.aicompanion.monitoring.LlmCall;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.List;
import java.util.Set;

/**
 * A {@link ChatModel} that passes every call to the model it wraps, with a {@link CallSlot} in the
 * listener attributes, and ends the call the monitoring listener opened as failed when anything is
 * thrown, an {@code Error} included: LangChain4j calls the listeners' {@code onError} for an {@code
 * Exception} only, so without this a call failing with e.g. {@code NoClassDefFoundError} would stay
 * in flight. A call the listener already ended is left as it is.
 *
 * <pre>{@code
 * ChatModel model = new CallEndingChatModel(openAiChatModel);
 * }</pre>
 */
public final class CallEndingChatModel implements ChatModel {
  private final ChatModel delegate;

  public CallEndingChatModel(ChatModel delegate) {
    this.delegate = delegate;
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    return chat(request, ChatRequestOptions.EMPTY);
  }

  @Override
  public ChatResponse chat(ChatRequest request, ChatRequestOptions options) {
    CallSlot slot = new CallSlot();
    ChatRequestOptions withSlot;
    try {
      withSlot = CallSlot.addTo(options, slot);
    } catch (RuntimeException e) {
      ListenerErrors.failed("the chat wrapper", e);
      return delegate.chat(request, options);
    }
    try {
      return delegate.chat(request, withSlot);
    } catch (Throwable t) {
      failOpenCall(slot, t);
      throw t;
    }
  }

  /** Ends the call in {@code slot}, if the listener opened one and nothing ended it yet. */
  static void failOpenCall(CallSlot slot, Throwable thrown) {
    try {
      LlmCall call = slot.call();
      if (call != null && !call.ended()) {
        call.fail(GenAiNames.errorType(thrown));
      }
    } catch (RuntimeException e) {
      ListenerErrors.failed("the chat wrapper", e);
    }
  }

  @Override
  public ChatResponse doChat(ChatRequest request) {
    return delegate.doChat(request);
  }

  @Override
  public ChatRequestParameters defaultRequestParameters() {
    return delegate.defaultRequestParameters();
  }

  @Override
  public List<ChatModelListener> listeners() {
    return delegate.listeners();
  }

  @Override
  public ModelProvider provider() {
    return delegate.provider();
  }

  @Override
  public Set<Capability> supportedCapabilities() {
    return delegate.supportedCapabilities();
  }

  @Override
  public String toString() {
    return "CallEndingChatModel[" + delegate + "]";
  }
}
