package com.aicompanion.monitoring.langchain4j.internal;

import com.aicompanion.monitoring.LlmCall;
import dev.langchain4j.model.chat.ChatRequestOptions;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Hands the call the listener opened to the streaming wrapper. LangChain4j copies the request
 * options' listener attributes into a new map per call, so the wrapper puts this holder in them and
 * the listener fills it in {@code onRequest}, on the caller's thread, before any chunk arrives.
 */
public final class CallSlot {
  /** The listener attribute under which the slot travels. */
  static final String KEY = CallSlot.class.getName();

  private volatile @Nullable LlmCall call;

  /** The slot among {@code attributes}, or null when the model is not wrapped. */
  static @Nullable CallSlot in(Map<Object, Object> attributes) {
    return attributes.get(KEY) instanceof CallSlot slot ? slot : null;
  }

  /** {@code options} with a new slot added to their listener attributes. */
  static ChatRequestOptions addTo(@Nullable ChatRequestOptions options, CallSlot slot) {
    Map<Object, Object> attributes = new HashMap<>();
    if (options != null && options.listenerAttributes() != null) {
      attributes.putAll(options.listenerAttributes());
    }
    attributes.put(KEY, slot);
    return ChatRequestOptions.builder().listenerAttributes(attributes).build();
  }

  void set(LlmCall call) {
    this.call = call;
  }

  @Nullable LlmCall call() {
    return call;
  }
}
