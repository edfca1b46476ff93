package com.aicompanion.monitoring.tracing.internal;

import com.aicompanion.monitoring.LlmCallObserver;
import com.aicompanion.monitoring.SecretMasking;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;

/**
 * Opens one GenAI client span, named {@code {operation} {model}}, for every LLM call that {@code
 * monitor.llm().start(...)} begins, with the OpenTelemetry GenAI attributes. Prompt and completion
 * text is recorded only when capture is on, masked by the one masking policy and then truncated, so
 * that a secret cut in half is never half shown.
 *
 * <pre>{@code
 * monitor.llm().observer(new GenAiObserver(tracer, true, config.masking(), 1000));
 * }</pre>
 */
public final class GenAiObserver implements LlmCallObserver {
  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> INPUT_MESSAGES =
      AttributeKey.stringKey("gen_ai.input.messages");
  static final AttributeKey<String> OUTPUT_MESSAGES =
      AttributeKey.stringKey("gen_ai.output.messages");

  private final Tracer tracer;
  private final boolean captureContent;
  private final SecretMasking masking;
  private final int maxLength;

  /**
   * @param maxLength the longest captured text kept, in characters; longer text is cut and marked
   */
  public GenAiObserver(
      Tracer tracer, boolean captureContent, SecretMasking masking, int maxLength) {
    if (maxLength < 1) {
      throw new IllegalArgumentException("maxLength " + maxLength + " must be at least 1");
    }
    this.tracer = tracer;
    this.captureContent = captureContent;
    this.masking = masking;
    this.maxLength = maxLength;
  }

  /** {@code text} masked, then cut to the longest length kept (masking first: no half secret). */
  String capture(String text) {
    String masked = masking.mask(text);
    if (masked.length() <= maxLength) {
      return masked;
    }
    return masked.substring(0, maxLength) + "...[truncated " + masked.length() + " chars]";
  }

  @Override
  public Handle onStart(String provider, String model, String operation) {
    Span span =
        tracer
            .spanBuilder(operation + " " + model)
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute(OPERATION, operation)
            .setAttribute(PROVIDER, provider)
            .setAttribute(MODEL, model)
            .startSpan();
    return new CallSpan(span);
  }

  /** The span of one call. */
  private final class CallSpan implements Handle {
    private final Span span;

    CallSpan(Span span) {
      this.span = span;
    }

    @Override
    public void onFirstChunk() {
      span.addEvent("gen_ai.first_chunk");
    }

    @Override
    public void onPrompt(String prompt) {
      if (captureContent && prompt != null) {
        span.setAttribute(INPUT_MESSAGES, message("user", capture(prompt)));
      }
    }

    @Override
    public void onCompletion(String completion) {
      if (captureContent && completion != null) {
        span.setAttribute(OUTPUT_MESSAGES, message("assistant", capture(completion)));
      }
    }

    @Override
    public void onFinish(long inputTokens, long outputTokens) {
      span.setAttribute(INPUT_TOKENS, inputTokens);
      span.setAttribute(OUTPUT_TOKENS, outputTokens);
      span.end();
    }

    @Override
    public void onFinishInputOnly(long inputTokens) {
      // an embedding: no output tokens, so no gen_ai.usage.output_tokens (0 would be false)
      span.setAttribute(INPUT_TOKENS, inputTokens);
      span.end();
    }

    @Override
    public void onFinishWithoutUsage() {
      span.end();
    }

    @Override
    public void onFail(String errorType) {
      span.setAttribute(ERROR_TYPE, errorType);
      span.setStatus(StatusCode.ERROR, errorType);
      span.end();
    }

    @Override
    public AutoCloseable makeCurrent() {
      return span.makeCurrent();
    }
  }

  /** One message in the GenAI conventions' JSON shape: role and a single text part. */
  static String message(String role, String text) {
    return "[{\"role\":\""
        + role
        + "\",\"parts\":[{\"type\":\"text\",\"content\":"
        + com.aicompanion.monitoring.JsonStrings.quote(text)
        + "}]}]";
  }
}
