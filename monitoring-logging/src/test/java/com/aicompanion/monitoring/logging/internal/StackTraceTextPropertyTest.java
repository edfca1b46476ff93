package com.aicompanion.monitoring.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.pattern.ExtendedThrowableProxyConverter;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import com.aicompanion.monitoring.testsupport.SecretCorpus;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link StackTraceText} (messages masked before Logback formats the trace, frames checked per
 * element) gives exactly what masking Logback's whole text gives, or steps aside (null): for
 * exceptions with causes and suppressed exceptions, corpus secrets and separators in their
 * messages, secret-sounding class names, and frames that only look like frames.
 */
class StackTraceTextPropertyTest {
  private static final SecretMasker MASKER = SecretMasker.defaults(false, List.of());
  private static final List<String> SECRETS =
      SecretCorpus.cases().stream()
          .filter(c -> c.key() == null)
          .map(SecretCorpus.Case::text)
          .limit(300)
          .toList();
  private static final LoggerContext CONTEXT = new LoggerContext();

  @Property(tries = 500)
  void theFastPathWritesWhatTheWholeTextPassWrites(@ForAll("throwables") Throwable thrown) {
    StackTraceText traces = started(MASKER);
    ThrowableProxy proxy = new ThrowableProxy(thrown);

    String fast = traces.format(proxy);

    if (fast != null) {
      assertThat(fast).isEqualTo(wholeText(MASKER, proxy));
    }
    Statistics.collect(fast != null);
    // the comparison means something only when the fast path is taken often enough
    Statistics.coverage(coverage -> coverage.check(true).percentage(p -> p >= 20));
  }

  @Example
  void plainFramesTakeTheFastPathAndMessagesOfCausesAndSuppressedAreMasked() {
    IllegalStateException top =
        new IllegalStateException(
            "call failed with password=hunter2hunter2",
            new java.io.IOException("Authorization: Bearer abcdefghijklmnop1234"));
    top.addSuppressed(new IllegalArgumentException("token=tok_abcdef123456"));
    ThrowableProxy proxy = new ThrowableProxy(top);

    String fast = started(MASKER).format(proxy);

    assertThat(fast).isNotNull().isEqualTo(wholeText(MASKER, proxy));
    assertThat(fast)
        .doesNotContain("hunter2hunter2", "abcdefghijklmnop1234", "tok_abcdef123456")
        .contains(
            "Caused by: java.io.IOException", "Suppressed: java.lang.IllegalArgumentException")
        .contains("\tat " + getClass().getName());
  }

  @Example
  void aSecretSoundingClassNameMasksItsMessageAsTheWholeTextPassDoes() {
    ThrowableProxy proxy = new ThrowableProxy(new InvalidTokenException("abc123def456"));

    String fast = started(MASKER).format(proxy);

    assertThat(fast).isNotNull().isEqualTo(wholeText(MASKER, proxy)).doesNotContain("abc123def456");
  }

  @Example
  void aFrameThatOnlyLooksLikeAFrameIsMaskedAsText() {
    IllegalStateException thrown = new IllegalStateException("failed");
    thrown.setStackTrace(
        new StackTraceElement[] {
          new StackTraceElement("com.example.Billing", "charge", "Billing.java", 12),
          new StackTraceElement("com.example.Billing", "charge", "password=hunter2hunter2", 13)
        });
    ThrowableProxy proxy = new ThrowableProxy(thrown);

    assertThat(started(MASKER).format(proxy)).isNull();
    assertThat(wholeText(MASKER, proxy))
        .contains("\tat com.example.Billing.charge(Billing.java:12)")
        .doesNotContain("hunter2hunter2");
  }

  @Example
  void aFrameLikeLineInAMessageIsMaskedAsText() {
    ThrowableProxy proxy =
        new ThrowableProxy(
            new IllegalStateException(
                "failed\n\tat com.example.Billing.charge(api_key=ak-1234567890abcdef:1)"));

    String fast = started(MASKER).format(proxy);

    assertThat(fast).isNotNull().isEqualTo(wholeText(MASKER, proxy));
    assertThat(fast).doesNotContain("ak-1234567890abcdef");
  }

  @Example
  void aPolicyWithUserPatternsMasksTheWholeText() {
    SecretMasker custom = SecretMasker.defaults(false, List.of(Pattern.compile("Billing")));
    ThrowableProxy proxy = new ThrowableProxy(new IllegalStateException("failed"));

    assertThat(started(custom).format(proxy)).isNull();
  }

  @Provide
  Arbitrary<Throwable> throwables() {
    Arbitrary<String> messages =
        Arbitraries.oneOf(
            Arbitraries.of(SECRETS),
            Arbitraries.strings().withChars("ab:= \n\t./()-\"").ofMaxLength(20),
            Arbitraries.of(
                (String) null, "", "password", "password=", "key: v", "x\n\tat a.B.c(B.java:1)"));
    Arbitrary<StackTraceElement> frames =
        Arbitraries.of(
            new StackTraceElement("com.example.Chat", "answer", "Chat.java", 42),
            new StackTraceElement("com.example.Chat", "<init>", "Chat.java", 7),
            new StackTraceElement("com.example.Chat", "answer", null, -1),
            new StackTraceElement("com.example.Chat", "answer", "password=hunter2", 3),
            new StackTraceElement("com.example.Chat", "answer", "Chat.java", -2),
            new StackTraceElement("com.example.Chat", "an swer", "Chat.java", 1));
    return Combinators.combine(
            Arbitraries.integers().between(0, 4),
            messages,
            messages.list().ofMaxSize(3),
            frames.list().ofMaxSize(4),
            Arbitraries.integers().between(0, 2))
        .as(
            (kind, message, causes, stack, suppressed) -> {
              // built from the innermost cause out
              Throwable cause = null;
              for (int i = causes.size() - 1; i >= 0; i--) {
                cause = exception(kind + 1 + i, causes.get(i), cause);
              }
              Throwable top = exception(kind, message, cause);
              for (int i = 0; i < suppressed; i++) {
                top.addSuppressed(exception(kind + 2, message, null));
              }
              if (!stack.isEmpty()) {
                top.setStackTrace(stack.toArray(new StackTraceElement[0]));
              }
              return top;
            });
  }

  private static Throwable exception(int kind, String message, Throwable cause) {
    return switch (kind % 5) {
      case 0 -> new IllegalStateException(message, cause);
      case 1 -> new InvalidTokenException(message, cause);
      case 2 -> new PasswordException(message, cause);
      case 3 ->
          new RuntimeException(message, cause) {
            @Override
            public String toString() {
              return "custom " + getMessage();
            }
          };
      default -> new java.io.UncheckedIOException(message, new java.io.IOException(message, cause));
    };
  }

  private static StackTraceText started(SecretMasker masker) {
    StackTraceText traces = new StackTraceText(masker);
    traces.start(CONTEXT);
    return traces;
  }

  private static String wholeText(SecretMasker masker, ThrowableProxy proxy) {
    ExtendedThrowableProxyConverter converter = new ExtendedThrowableProxyConverter();
    converter.setContext(CONTEXT);
    converter.start();
    LoggingEvent event = new LoggingEvent();
    event.setLevel(Level.ERROR);
    event.setMessage("m");
    event.setThrowableProxy(proxy);
    return masker.mask(converter.convert(event));
  }

  static final class InvalidTokenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidTokenException(String message) {
      super(message);
    }

    InvalidTokenException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  static final class PasswordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PasswordException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
