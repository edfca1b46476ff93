package com.aicompanion.examples.chat;

import com.aicompanion.examples.chat.cache.ResponseCache;
import com.aicompanion.examples.chat.llm.LlmException;
import com.aicompanion.examples.chat.llm.LlmProvider;
import com.aicompanion.examples.chat.llm.LlmProvider.Completion;
import com.aicompanion.examples.chat.llm.LlmProvider.Message;
import com.aicompanion.examples.chat.store.ConversationStore;
import com.aicompanion.monitoring.LlmPrices;
import com.aicompanion.monitoring.Monitor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chat turn: load the conversation, answer from the cache or the LLM (streaming), store the
 * exchange. With a monitor, the database steps are timed (their statements are spans, from
 * monitoring-jdbc) and the LLM call is one {@code monitor.llm().call(...)}, which opens its GenAI
 * span when tracing is installed; without one (monitoring off) the steps run bare.
 */
final class ChatService {
  private static final Logger LOG = LoggerFactory.getLogger(ChatService.class);
  private static final int HISTORY = 20;
  private static final String SYSTEM_PROMPT = "You are AI Companion, a kind and concise assistant.";

  /** The answer to one turn. */
  record Answer(String text, boolean cached, long inputTokens, long outputTokens) {}

  private final ConversationStore store;
  private final ResponseCache cache;
  private final LlmProvider llm;
  private final Monitor monitor;
  private final BudgetGuard budget;
  private final LlmPrices prices;
  private final Timer loadHistory;
  private final Timer saveExchange;
  private final Counter fromCache;
  private final Counter fromLlm;

  /** {@code monitor} and {@code budget} are null when monitoring is off. */
  ChatService(
      ConversationStore store,
      ResponseCache cache,
      LlmProvider llm,
      Monitor monitor,
      BudgetGuard budget,
      LlmPrices prices) {
    this.store = store;
    this.cache = cache;
    this.llm = llm;
    this.monitor = monitor;
    this.budget = budget;
    this.prices = prices;
    this.loadHistory =
        monitor == null ? null : monitor.timer("chat_db_query_duration", "query", "load_history");
    this.saveExchange =
        monitor == null ? null : monitor.timer("chat_db_query_duration", "query", "save_exchange");
    this.fromCache =
        monitor == null ? null : monitor.counter("chat_answers_total", "source", "cache");
    this.fromLlm = monitor == null ? null : monitor.counter("chat_answers_total", "source", "llm");
  }

  Answer chat(String conversationId, String message, Consumer<String> onChunk) throws Exception {
    List<Message> history = timed(loadHistory, () -> store.history(conversationId, HISTORY));
    String key = cacheKey(message);
    String cachedText = cache.get(key).orElse(null);
    Answer answer;
    if (cachedText != null) {
      onChunk.accept(cachedText);
      answer = new Answer(cachedText, true, 0, 0);
    } else {
      answer = askLlm(history, message, onChunk);
      cache.put(key, answer.text());
    }
    if (monitor != null) {
      (answer.cached() ? fromCache : fromLlm).increment();
    }
    timed(
        saveExchange,
        () -> {
          store.append(
              conversationId,
              new Message("user", message),
              new Message("assistant", answer.text()));
          return null;
        });
    LOG.info(
        "Answered conversation {} ({} tokens in, {} out, cached={})",
        conversationId,
        answer.inputTokens(),
        answer.outputTokens(),
        answer.cached());
    return answer;
  }

  List<Message> history(String conversationId) throws SQLException {
    return store.history(conversationId, 1000);
  }

  /**
   * Runs one database step of the turn timed in {@code chat_db_query_duration_seconds}; bare when
   * monitoring is off. No span of its own: monitoring-jdbc gives each statement a CLIENT span under
   * the request's SERVER span, and a step span above them would double the spans a request exports
   * without saying more.
   */
  private static <T> T timed(Timer timer, Callable<T> work) throws Exception {
    return timer == null ? work.call() : timer.recordCallable(work);
  }

  private Answer askLlm(List<Message> history, String message, Consumer<String> onChunk)
      throws LlmException {
    List<Message> prompt = new ArrayList<>(history.size() + 2);
    prompt.add(new Message("system", SYSTEM_PROMPT));
    prompt.addAll(history);
    prompt.add(new Message("user", message));
    Completion completion;
    try {
      completion = monitor == null ? llm.complete(prompt, onChunk) : measured(prompt, onChunk);
    } catch (LlmException e) {
      LOG.warn(
          "LLM call to {}/{} failed ({}): {}",
          llm.name(),
          llm.model(),
          e.errorType(),
          e.getMessage());
      throw e;
    } catch (RuntimeException e) {
      throw new LlmException(e.getClass().getSimpleName(), e.getMessage(), e);
    }
    if (budget != null) {
      prices
          .find(llm.name(), llm.model())
          .ifPresent(p -> budget.add(p.cost(completion.inputTokens(), completion.outputTokens())));
    }
    return new Answer(
        completion.text(), false, completion.inputTokens(), completion.outputTokens());
  }

  /** The LLM call as one {@code monitor.llm().call(...)}: metrics, GenAI span, cost. */
  private Completion measured(List<Message> prompt, Consumer<String> onChunk) throws LlmException {
    return monitor
        .llm()
        .call(
            llm.name(),
            llm.model(),
            "chat",
            call -> {
              call.prompt(prompt.get(prompt.size() - 1).content());
              try {
                Completion c =
                    llm.complete(
                        prompt,
                        chunk -> {
                          call.firstChunk();
                          onChunk.accept(chunk);
                        });
                call.completion(c.text());
                call.finish(c.inputTokens(), c.outputTokens());
                return c;
              } catch (LlmException e) {
                call.fail(e.errorType()); // rate_limited, timeout, 503: not the exception's class
                throw e;
              }
            });
  }

  private String cacheKey(String message) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(llm.model().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(message.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
