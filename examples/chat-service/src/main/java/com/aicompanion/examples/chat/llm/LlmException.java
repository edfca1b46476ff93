package com.aicompanion.examples.chat.llm;

/** A failed LLM call, with the {@code error_type} to record (timeout, rate_limited, 500, ...). */
public final class LlmException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String errorType;

  public LlmException(String errorType, String message) {
    super(message);
    this.errorType = errorType;
  }

  public LlmException(String errorType, String message, Throwable cause) {
    super(message, cause);
    this.errorType = errorType;
  }

  public String errorType() {
    return errorType;
  }
}
