package com.aicompanion.monitoring;

import com.aicompanion.monitoring.internal.RecordingErrors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One LLM call in progress, from {@link LlmMetrics#start}. End it with {@link #finish} or {@link
 * #fail}; the first end counts and later ends are ignored. Open it in try-with-resources so that it
 * cannot leak: {@link #close} ends a call that is still open as failed. Thread-safe: a streaming
 * callback may call {@link #firstChunk} on another thread.
 *
 * <pre>{@code
 * try (LlmCall call = monitor.llm().start("openai", "gpt-4o", "chat")) {
 *   Answer answer = client.chat(prompt, chunk -> call.firstChunk());
 *   call.finish(answer.inputTokens(), answer.outputTokens());
 *   return answer;
 * }   // an exception before finish(): the call is recorded as failed, error_type="_OTHER"
 * }</pre>
 *
 * <p>Or let {@link LlmMetrics#call} open and end it around a lambda.
 */
public final class LlmCall implements AutoCloseable {
  /**
   * The {@code error_type} of a call closed without {@link #finish} or {@link #fail}: {@value}, the
   * OpenTelemetry semantic conventions' value for an error whose kind the instrumentation does not
   * know (the cause, e.g. an exception passing through try-with-resources, is not visible to {@link
   * #close}).
   */
  public static final String CLOSED_WITHOUT_END = "_OTHER";

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
   * Ends a call that has input tokens only, such as an embedding: records its duration, the input
   * tokens and their cost; no output-token sample is recorded (a count of 0 would be a false value
   * in {@code gen_ai_client_token_usage{gen_ai_token_type="output"}}). The observer hears {@link
   * LlmCallObserver.Handle#onFinishInputOnly}.
   *
   * @param inputTokens tokens in the input, {@code >= 0}; a negative count is refused (counted in
   *     {@code monitoring_metric_errors_total{reason="invalid_value"}}, no tokens and no cost
   *     recorded for the call) while its duration is still recorded
   */
  public void finishInput(long inputTokens) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    meters.duration.record(metrics.now() - startNanos, TimeUnit.NANOSECONDS);
    boolean valid = inputTokens >= 0;
    long in = valid ? inputTokens : 0;
    if (valid) {
      meters.inputTokens.record(in);
    } else {
      metrics.invalidTokens(provider, model, inputTokens, 0);
    }
    LlmPrices.Price price = meters.model.price;
    if (price == null) {
      metrics.unknownPrice(provider, model);
    } else if (valid) {
      meters.model.cost.increment(price.cost(in, 0));
    }
    meters.model.inFlight.decrementAndGet();
    guard(() -> handle.onFinishInputOnly(in));
  }

  /**
   * Ends the call successfully when the provider reported no token usage: records its duration; no
   * tokens and no cost are recorded (a count of 0 would be a false value).
   */
  public void finish() {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    meters.duration.record(metrics.now() - startNanos, TimeUnit.NANOSECONDS);
    meters.model.inFlight.decrementAndGet();
    guard(handle::onFinishWithoutUsage);
  }

  /**
   * Ends the call as failed: records its duration with {@code error_type}, e.g. {@code timeout},
   * {@code rate_limited}, {@code 500} or an exception's class name; null or blank is recorded as
   * {@code _OTHER}.
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

  /** Whether the call has ended (finished, failed or closed). */
  public boolean ended() {
    return ended.get();
  }

  /**
   * Ends the call as failed with {@code error_type} {@value #CLOSED_WITHOUT_END} if it is still
   * open; nothing after {@link #finish} or {@link #fail}. Idempotent; never throws.
   */
  @Override
  public void close() {
    fail(CLOSED_WITHOUT_END);
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
