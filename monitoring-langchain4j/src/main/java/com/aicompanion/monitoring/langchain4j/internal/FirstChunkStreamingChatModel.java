package com.aicompanion.monitoring.langchain4j.internal;

import com.aicompanion.monitoring.LlmCall;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import java.util.List;
import java.util.Set;

/**
 * A {@link StreamingChatModel} that passes every call to the model it wraps, with a {@link
 * CallSlot} in the listener attributes and a handler that reports the first chunk of any kind
 * (text, thinking, tool call) and a cancel through the {@code StreamingHandle} to the call the
 * monitoring listener opened. Anything thrown by the call itself on the caller's thread
 * (LangChain4j reports that to no listener) ends the call as failed too.
 *
 * <pre>{@code
 * StreamingChatModel model = new FirstChunkStreamingChatModel(openAiStreamingModel);
 * }</pre>
 */
public final class FirstChunkStreamingChatModel implements StreamingChatModel {
  private final StreamingChatModel delegate;

  public FirstChunkStreamingChatModel(StreamingChatModel delegate) {
    this.delegate = delegate;
  }

  @Override
  public void chat(ChatRequest request, StreamingChatResponseHandler handler) {
    chat(request, ChatRequestOptions.EMPTY, handler);
  }

  @Override
  public void chat(
      ChatRequest request, ChatRequestOptions options, StreamingChatResponseHandler handler) {
    CallSlot slot = new CallSlot();
    ChatRequestOptions withSlot;
    try {
      withSlot = CallSlot.addTo(options, slot);
    } catch (RuntimeException e) {
      ListenerErrors.failed("the streaming wrapper", e);
      delegate.chat(request, options, handler);
      return;
    }
    try {
      delegate.chat(request, withSlot, new Handler(handler, slot));
    } catch (Throwable t) {
      // LangChain4j's StreamingChatModel.chat tells no listener when doChat throws on this thread
      CallEndingChatModel.failOpenCall(slot, t);
      throw t;
    }
  }

  @Override
  public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
    delegate.doChat(request, handler);
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

  /** Reports chunks and cancels to the call in the slot, then passes everything on. */
  private static final class Handler implements StreamingChatResponseHandler {
    private final StreamingChatResponseHandler delegate;
    private final CallSlot slot;

    Handler(StreamingChatResponseHandler delegate, CallSlot slot) {
      this.delegate = delegate;
      this.slot = slot;
    }

    private void chunk() {
      try {
        LlmCall call = slot.call();
        if (call != null) {
          call.firstChunk();
        }
      } catch (RuntimeException e) {
        ListenerErrors.failed("the streaming wrapper", e);
      }
    }

    @Override
    public void onPartialResponse(String partialResponse) {
      chunk();
      delegate.onPartialResponse(partialResponse);
    }

    @Override
    public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
      chunk();
      StreamingHandle real = context == null ? null : context.streamingHandle();
      delegate.onPartialResponse(
          partialResponse,
          real == null ? context : new PartialResponseContext(new CancelReporting(real, slot)));
    }

    @Override
    public void onPartialThinking(PartialThinking partialThinking) {
      chunk();
      delegate.onPartialThinking(partialThinking);
    }

    @Override
    public void onPartialThinking(PartialThinking partialThinking, PartialThinkingContext context) {
      chunk();
      StreamingHandle real = context == null ? null : context.streamingHandle();
      delegate.onPartialThinking(
          partialThinking,
          real == null ? context : new PartialThinkingContext(new CancelReporting(real, slot)));
    }

    @Override
    public void onPartialToolCall(PartialToolCall partialToolCall) {
      chunk();
      delegate.onPartialToolCall(partialToolCall);
    }

    @Override
    public void onPartialToolCall(PartialToolCall partialToolCall, PartialToolCallContext context) {
      chunk();
      StreamingHandle real = context == null ? null : context.streamingHandle();
      delegate.onPartialToolCall(
          partialToolCall,
          real == null ? context : new PartialToolCallContext(new CancelReporting(real, slot)));
    }

    @Override
    public void onCompleteToolCall(CompleteToolCall completeToolCall) {
      chunk();
      delegate.onCompleteToolCall(completeToolCall);
    }

    @Override
    public void onUnmappedRawEvent(Object event) {
      delegate.onUnmappedRawEvent(event);
    }

    @Override
    public void onCompleteResponse(ChatResponse completeResponse) {
      delegate.onCompleteResponse(completeResponse);
    }

    @Override
    public void onError(Throwable error) {
      delegate.onError(error);
    }
  }

  /** Ends the call as cancelled before cancelling the stream. */
  private record CancelReporting(StreamingHandle real, CallSlot slot) implements StreamingHandle {
    @Override
    public void cancel() {
      try {
        LlmCall call = slot.call();
        if (call != null) {
          call.fail(com.aicompanion.monitoring.langchain4j.LangChain4jMonitoring.CANCELLED);
        }
      } catch (RuntimeException e) {
        ListenerErrors.failed("the streaming wrapper", e);
      }
      real.cancel();
    }

    @Override
    public boolean isCancelled() {
      return real.isCancelled();
    }
  }
}
