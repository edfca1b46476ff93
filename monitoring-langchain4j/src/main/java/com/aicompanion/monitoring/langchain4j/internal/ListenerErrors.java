package com.aicompanion.monitoring.langchain4j.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A listener's own failure: logged once, never thrown into LangChain4j. */
final class ListenerErrors {
  private static final Logger LOG =
      LoggerFactory.getLogger("com.aicompanion.monitoring.langchain4j");
  private static final AtomicBoolean LOGGED = new AtomicBoolean();

  private ListenerErrors() {}

  static void failed(String what, RuntimeException e) {
    if (LOGGED.compareAndSet(false, true)) {
      LOG.warn(
          "The LangChain4j monitoring listener failed in {}; that call is recorded incompletely"
              + " (without token usage) or not at all. Logged once.",
          what,
          e);
    }
  }
}
