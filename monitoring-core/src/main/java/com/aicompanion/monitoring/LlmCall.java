package com.aicompanion.monitoring;

import com.aicompanion.monitoring.internal.RecordingErrors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One LLM call in progress, from {@link LlmMetrics#start}. End it exactly once with {@link #finish}
 * or {@link #fail}; later ends are ignored. Thread-safe: a streaming callback may call {@link
 * #firstChunk} on another thread.
 *
 * <pre>{@code
 * LlmCall call = monitor.llm().start("openai", "gpt-4o", "chat");
 * call.firstChunk();                  // when the first streamed chunk arrives
 * call.finish(inputTokens, outputTokens);
 * }</pre>
 */
public final class LlmCall {
  private final LlmMetrics metrics;
  private final String provider;
  private final String model;
  private final String operation;
  private final LlmMetrics.CallMeters meters;
  private final LlmCallObserver.Handle handle;
  private final long startNanos;
  private final AtomicBoolean firstChunkSeen = new AtomicBoolean();
  private final AtomicBoolean ended = new AtomicBoolean();

  LlmCall(
      LlmMetrics metrics,
      String provider,
      String model,
      String operation,
      LlmMetrics.CallMeters meters,
      LlmCallObserver.Handle handle,
      long startNanos) {
    this.metrics = metrics;
    this.provider = provider;
    this.model = model;
    this.operation = operation;
    this.meters = meters;
    this.handle = handle;
    this.startNanos = startNanos;
    meters.model.inFlight.incrementAndGet();
  }

  /** Records the time to the first chunk of a streamed answer; only the first call counts. */
  public void firstChunk() {
    if (!ended.get() && firstChunkSeen.compareAndSet(false, true)) {
      meters.firstChunk.record(metrics.now() - startNanos, TimeUnit.NANOSECONDS);
      guard(handle::onFirstChunk);
    }
  }

  /**
   * Passes the prompt to the observer (the tracing module captures it, masked and truncated, only
   * when prompt capture is enabled). Metrics never see it.
   */
  public void prompt(String prompt) {
    guard(() -> handle.onPrompt(prompt));
  }

  /** Passes the completion to the observer; see {@link #prompt}. */
  public void completion(String completion) {
    guard(() -> handle.onCompletion(completion));
  }

  /**
   * Ends the call successfully: records its duration, token usage and cost.
   *
   * @param inputTokens tokens in the prompt, {@code >= 0}
   * @param outputTokens tokens in the answer, {@code >= 0}; a negative count is refused (counted in
   *     {@code monitoring_metric_errors_total{reason="invalid_value"}}, no tokens and no cost
   *     recorded for the call) while its duration is still recorded
   */
  public void finish(long inputTokens, long outputTokens) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    meters.duration.record(metrics.now() - startNanos, TimeUnit.NANOSECONDS);
    boolean valid = inputTokens >= 0 && outputTokens >= 0;
    long in = valid ? inputTokens : 0;
    long out = valid ? outputTokens : 0;
    if (valid) {
      meters.inputTokens.record(in);
      meters.outputTokens.record(out);
    } else {
      metrics.invalidTokens(provider, model, inputTokens, outputTokens);
    }
    LlmPrices.Price price = meters.model.price;
    if (price == null) {
      metrics.unknownPrice(provider, model);
    } else if (valid) {
      meters.model.cost.increment(price.cost(in, out));
    }
    meters.model.inFlight.decrementAndGet();
    guard(() -> handle.onFinish(in, out));
  }

  /**
   * Ends the call as failed: records its duration with {@code error_type}, e.g. {@code timeout},
   * {@code rate_limited}, {@code 500} or an exception's class name.
   */
  public void fail(@Nullable String errorType) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    String type = errorType == null || errorType.isBlank() ? "_OTHER" : errorType;
    metrics.recordFailure(provider, model, operation, type, metrics.now() - startNanos);
    meters.model.inFlight.decrementAndGet();
    guard(() -> handle.onFail(type));
  }

  /**
   * Makes the call's trace context current (when tracing is installed) until the result is closed.
   */
  public AutoCloseable makeCurrent() {
    try {
      return handle.makeCurrent();
    } catch (RuntimeException e) {
      return () -> {};
    }
  }

  private static void guard(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      // an observer must never break the application's call; the metrics are already recorded
      RecordingErrors.observerFailed(e);
    }
  }
}
