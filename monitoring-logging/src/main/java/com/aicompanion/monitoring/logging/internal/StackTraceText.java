package com.aicompanion.monitoring.logging.internal;

import ch.qos.logback.classic.pattern.ExtendedThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.Context;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * An exception's stack trace in Logback's extended format, masked without a pass over its text when
 * it is made only of what the masking pass would leave alone: the exception messages (and those of
 * causes and suppressed exceptions) are masked before Logback formats the trace, each in its own
 * line's context ({@code pkg.TokenException: value}, as the whole-text pass sees it), and every
 * frame line must be one {@link com.aicompanion.monitoring.SecretMasking#leavesStackFrame} passes
 * (a verdict kept per {@link StackTraceElement}, bounded).
 *
 * <pre>{@code
 * String text = traces.format(proxy);   // null: mask the converter's text as a whole instead
 * }</pre>
 *
 * <p>Anything else (a frame line that only looks like a frame, packaging data, a user pattern in
 * the policy, a class name the masking would change, a nesting deeper than {@value #MAX_DEPTH}) is
 * answered null, and the caller masks the whole text as before. The result is the whole-text pass's
 * result (checked against it by {@code StackTraceTextPropertyTest}).
 */
final class StackTraceText {
  static final int MAX_DEPTH = 64;
  static final int MAX_FRAMES_KEPT = 4096;

  private final SecretMasker masker;
  private final boolean enabled;
  private final Formatter formatter = new Formatter();
  private final ConcurrentHashMap<StackTraceElement, Boolean> frames = new ConcurrentHashMap<>();

  StackTraceText(SecretMasker masker) {
    this.masker = masker;
    this.enabled = masker.policy().patterns().isEmpty();
  }

  void start(Context context) {
    formatter.setContext(context);
    formatter.start();
  }

  void stop() {
    formatter.stop();
  }

  /** The masked stack trace of {@code proxy}, or null when it must be masked as a whole. */
  @Nullable String format(IThrowableProxy proxy) {
    if (!enabled || !formatter.isStarted()) {
      return null;
    }
    Masked masked = masked(proxy, 0);
    return masked == null ? null : formatter.format(masked);
  }

  private @Nullable Masked masked(IThrowableProxy proxy, int depth) {
    if (depth > MAX_DEPTH || !plainFrames(proxy.getStackTraceElementProxyArray())) {
      return null;
    }
    String className = proxy.getClassName();
    String message = proxy.getMessage();
    String maskedMessage = null;
    if (message != null) {
      // the first line as Logback writes it: a rule may read the class name as the key
      String head = className + ": ";
      String line = head + message;
      String maskedLine = masker.mask(line);
      if (maskedLine == line) {
        maskedMessage = message;
      } else if (maskedLine.startsWith(head)) {
        maskedMessage = maskedLine.substring(head.length());
      } else {
        return null;
      }
    }
    String overriding = proxy.getOverridingMessage();
    String maskedOverriding = overriding == null ? null : masker.mask(overriding);
    IThrowableProxy cause = proxy.getCause();
    Masked maskedCause = null;
    if (cause != null) {
      maskedCause = masked(cause, depth + 1);
      if (maskedCause == null) {
        return null;
      }
    }
    IThrowableProxy[] suppressed = proxy.getSuppressed();
    Masked[] maskedSuppressed = null;
    if (suppressed != null) {
      maskedSuppressed = new Masked[suppressed.length];
      for (int i = 0; i < suppressed.length; i++) {
        if (suppressed[i] == null
            || (maskedSuppressed[i] = masked(suppressed[i], depth + 1)) == null) {
          return null;
        }
      }
    }
    return new Masked(proxy, maskedMessage, maskedOverriding, maskedCause, maskedSuppressed);
  }

  /**
   * Whether every frame line is one the masking pass leaves alone (and none has packaging data).
   */
  private boolean plainFrames(StackTraceElementProxy @Nullable [] steps) {
    if (steps == null) {
      return true;
    }
    for (StackTraceElementProxy step : steps) {
      if (step == null || step.getClassPackagingData() != null) {
        return false;
      }
      StackTraceElement element = step.getStackTraceElement();
      Boolean plain = frames.get(element);
      if (plain == null) {
        plain = masker.policy().leavesStackFrame(step.getSTEAsString());
        if (frames.size() < MAX_FRAMES_KEPT) {
          frames.put(element, plain);
        }
      }
      if (!plain) {
        return false;
      }
    }
    return true;
  }

  /** Logback's extended format of a proxy without an event. */
  private static final class Formatter extends ExtendedThrowableProxyConverter {
    String format(IThrowableProxy proxy) {
      return throwableProxyToString(proxy);
    }
  }

  /** A proxy with its messages masked; frames, class names and counts are the original's. */
  private record Masked(
      IThrowableProxy original,
      @Nullable String message,
      @Nullable String overridingMessage,
      @Nullable Masked cause,
      Masked @Nullable [] suppressed)
      implements IThrowableProxy {
    @Override
    public @Nullable String getOverridingMessage() {
      return overridingMessage;
    }

    @Override
    public @Nullable String getMessage() {
      return message;
    }

    @Override
    public String getClassName() {
      return original.getClassName();
    }

    @Override
    public StackTraceElementProxy[] getStackTraceElementProxyArray() {
      return original.getStackTraceElementProxyArray();
    }

    @Override
    public int getCommonFrames() {
      return original.getCommonFrames();
    }

    @Override
    public @Nullable IThrowableProxy getCause() {
      return cause;
    }

    @Override
    public IThrowableProxy @Nullable [] getSuppressed() {
      return suppressed;
    }

    @Override
    public boolean isCyclic() {
      return original.isCyclic();
    }
  }
}
