package com.aicompanion.monitoring.logging;

import static net.logstash.logback.argument.StructuredArguments.kv;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Review of issue 13 item 2 through SLF4J and real Logback: secrets in places the corpus tests do
 * not use (a cause, a suppressed exception, split arguments, field names).
 */
class LogMaskingEdgeCasesTest {
  private static final Logger LOG = LoggerFactory.getLogger("com.example.chat.MaskingReview");
  private static final String GHP = "ghp_0123456789abcdefghijABCDEFGHIJ012345";

  private final LineSink sink = new LineSink();
  private JsonLogging logging;

  @AfterEach
  void close() {
    if (logging != null) {
      logging.close();
    }
    MDC.clear();
  }

  private List<String> linesOf(Runnable logs) {
    logging = JsonLogging.builder("mask-edge-svc").output(sink).install();
    logs.run();
    logging.close();
    return sink.lines().stream().filter(l -> l.contains("\"edge ")).toList();
  }

  @Test
  void secretsInACauseASuppressedExceptionAndSplitArgumentsAreMasked() {
    List<String> lines =
        linesOf(
            () -> {
              RuntimeException top =
                  new RuntimeException(
                      "edge top", new IllegalStateException("password=Hunter2pw " + GHP));
              top.addSuppressed(new IllegalArgumentException("api_key=abc123def456ghi789"));
              LOG.error("edge cause", top);
              LOG.error("edge null message", new RuntimeException(null, new Exception(GHP)));
              LOG.info("edge split {}={}", "password", "Hunter2pw");
              LOG.info("edge split {} {}", "Authorization: Bearer", "abcdefgh12345678");
              LOG.info(
                  "edge toString {}",
                  new Object() {
                    @Override
                    public String toString() {
                      return "Creds{password=Hunter2pw}";
                    }
                  });
              LOG.info("edge map", kv("req", Map.of("nested", Map.of("password", "Hunter2pw"))));
            });
    assertThat(lines).hasSize(6);
    assertThat(String.join("\n", lines))
        .contains("Caused by: java.lang.IllegalStateException: password=****")
        .contains("Suppressed: java.lang.IllegalArgumentException: api_key=****")
        .doesNotContain("Hunter2pw", GHP, "abc123def456ghi789", "abcdefgh12345678");
  }

  @Test
  void ordinaryWordsInAMessageStayAsTheyAre() {
    List<String> lines =
        linesOf(() -> LOG.info("edge passwordless login enabled; token count 42; sha 3b18e512"));
    assertThat(lines)
        .singleElement()
        .asString()
        .contains("passwordless login enabled; token count 42");
  }

  /** An exception whose class name says what its message holds. */
  static final class InvalidTokenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidTokenException(String message) {
      super(message);
    }
  }

  @Test
  void aMessageHiddenInTheStackTraceIsHiddenInErrorMessageToo() {
    List<String> lines =
        linesOf(() -> LOG.error("edge token", new InvalidTokenException("q7Zr2mXk91Lp")));
    assertThat(lines).singleElement().asString().doesNotContain("q7Zr2mXk91Lp");
  }
}
