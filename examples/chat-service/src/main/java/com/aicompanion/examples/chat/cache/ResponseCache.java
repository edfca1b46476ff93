package com.aicompanion.examples.chat.cache;

import java.util.Optional;

/** Answers to questions already asked, so that a repeated question costs no LLM call. */
public interface ResponseCache extends AutoCloseable {
  Optional<String> get(String key);

  void put(String key, String answer);

  /** The cache's name in the {@code cache} label. */
  String name();

  @Override
  void close();
}
