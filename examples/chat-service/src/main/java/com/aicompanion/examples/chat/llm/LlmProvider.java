package com.aicompanion.examples.chat.llm;

import java.util.List;
import java.util.function.Consumer;

/** A chat-completion backend. Implementations are thread-safe. */
public interface LlmProvider {
  /** The provider's name for the {@code gen_ai_provider_name} label, e.g. {@code openai}. */
  String name();

  /** The model requested, e.g. {@code gpt-4o}. */
  String model();

  /**
   * Answers {@code messages}, passing each chunk of the answer to {@code onChunk} as it arrives.
   *
   * @throws LlmException when the provider fails; {@link LlmException#errorType()} names why
   */
  Completion complete(List<Message> messages, Consumer<String> onChunk) throws LlmException;

  /** One turn of a conversation: role {@code system}, {@code user} or {@code assistant}. */
  record Message(String role, String content) {}

  /** The whole answer and the tokens it used. */
  record Completion(String text, long inputTokens, long outputTokens) {}
}
