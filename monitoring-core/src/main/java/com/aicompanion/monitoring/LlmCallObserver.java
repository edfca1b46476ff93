package com.aicompanion.monitoring;

/**
 * Follows every LLM call that {@link LlmMetrics#start} opens, beside the metrics. The tracing
 * module installs one that opens a GenAI span per call; set it with {@link
 * LlmMetrics#observer(LlmCallObserver)}. Implementations must not throw and must not block.
 */
public interface LlmCallObserver {
  /** Observes nothing. */
  LlmCallObserver NONE = (provider, model, operation) -> Handle.NONE;

  /** A call began; the handle receives the rest of it. */
  Handle onStart(String provider, String model, String operation);

  /** The rest of one call. */
  interface Handle {
    Handle NONE = new Handle() {};

    default void onFirstChunk() {}

    /** The prompt text, given only when the application passes it to {@link LlmCall#prompt}. */
    default void onPrompt(String prompt) {}

    /**
     * The completion text, given only when the application passes it to {@link LlmCall#completion}.
     */
    default void onCompletion(String completion) {}

    default void onFinish(long inputTokens, long outputTokens) {}

    /**
     * The call ended successfully with input tokens only ({@link LlmCall#finishInput}, e.g. an
     * embedding). The default passes {@code onFinish(inputTokens, 0)}; an observer that can leave
     * the output count out overrides it.
     */
    default void onFinishInputOnly(long inputTokens) {
      onFinish(inputTokens, 0);
    }

    /** The call ended successfully and the provider reported no token usage. */
    default void onFinishWithoutUsage() {}

    default void onFail(String errorType) {}

    /**
     * Makes the call's context (e.g. its span) current on this thread until the result is closed.
     */
    default AutoCloseable makeCurrent() {
      return () -> {};
    }
  }
}
