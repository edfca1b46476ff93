package com.aicompanion.examples.chat;

import com.aicompanion.examples.chat.cache.ResponseCache;
import com.aicompanion.examples.chat.llm.LlmException;
import com.aicompanion.examples.chat.llm.LlmProvider;
import com.aicompanion.examples.chat.llm.LlmProvider.Completion;
import com.aicompanion.examples.chat.llm.LlmProvider.Message;
import com.aicompanion.examples.chat.store.ConversationStore;
import com.aicompanion.monitoring.LlmCall;
import com.aicompanion.monitoring.LlmPrices;
import com.aicompanion.monitoring.Monitor;
import com.aicompanion.monitoring.tracing.Spans;
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
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chat turn: load the conversation, answer from the cache or the LLM (streaming), store the
 * exchange. Each step is a span; the LLM call is measured with {@code monitor.llm()}, which also
 * opens its GenAI span when tracing is installed.
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
    this.loadHistory = monitor.timer("chat_db_query_duration", "query", "load_history");
    this.saveExchange = monitor.timer("chat_db_query_duration", "query", "save_exchange");
    this.fromCache = monitor.counter("chat_answers_total", "source", "cache");
    this.fromLlm = monitor.counter("chat_answers_total", "source", "llm");
  }

  Answer chat(String conversationId, String message, Consumer<String> onChunk) throws Exception {
    List<Message> history =
        Spans.call(
            "db load_history",
            () -> loadHistory.recordCallable(() -> store.history(conversationId, HISTORY)));
    String key = cacheKey(message);
    String cachedText = Spans.inSpan("cache get", () -> cache.get(key).orElse(null));
    Answer answer;
    if (cachedText != null) {
      onChunk.accept(cachedText);
      fromCache.increment();
      answer = new Answer(cachedText, true, 0, 0);
    } else {
      answer = askLlm(history, message, onChunk);
      cache.put(key, answer.text());
      fromLlm.increment();
    }
    Spans.call(
        "db save_exchange",
        () -> {
          saveExchange.recordCallable(
              () -> {
                store.append(
                    conversationId,
                    new Message("user", message),
                    new Message("assistant", answer.text()));
                return null;
              });
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

  private Answer askLlm(List<Message> history, String message, Consumer<String> onChunk)
      throws LlmException {
    List<Message> prompt = new ArrayList<>(history.size() + 2);
    prompt.add(new Message("system", SYSTEM_PROMPT));
    prompt.addAll(history);
    prompt.add(new Message("user", message));
    LlmCall call = monitor.llm().start(llm.name(), llm.model(), "chat");
    call.prompt(message);
    AutoCloseable scope = call.makeCurrent(); // the GenAI span is the parent of the provider call
    try {
      Completion completion =
          llm.complete(
              prompt,
              chunk -> {
                call.firstChunk();
                onChunk.accept(chunk);
              });
      call.completion(completion.text());
      call.finish(completion.inputTokens(), completion.outputTokens());
      prices
          .find(llm.name(), llm.model())
          .ifPresent(p -> budget.add(p.cost(completion.inputTokens(), completion.outputTokens())));
      return new Answer(
          completion.text(), false, completion.inputTokens(), completion.outputTokens());
    } catch (LlmException e) {
      call.fail(e.errorType());
      LOG.warn(
          "LLM call to {}/{} failed ({}): {}",
          llm.name(),
          llm.model(),
          e.errorType(),
          e.getMessage());
      throw e;
    } catch (RuntimeException e) {
      call.fail(e.getClass().getSimpleName());
      throw new LlmException(e.getClass().getSimpleName(), e.getMessage(), e);
    } finally {
      try {
        scope.close();
      } catch (Exception e) {
        LOG.debug("closing the LLM span scope failed", e);
      }
    }
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
