package com.aicompanion.monitoring.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicompanion.monitoring.Monitoring;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * monitoring-logging as an application sees it when it has not added Sentry, the module's optional
 * dependency. Runs only in the surefire execution {@code without-sentry}, whose classpath lacks
 * {@code io.sentry:sentry} and {@code io.sentry:sentry-logback} and whose environment sets {@code
 * SENTRY_DSN}.
 */
class WithoutSentryTest {
  private static final Logger LOG = LoggerFactory.getLogger("com.example.chat.NoSentry");

  private final PrintStream originalOut = System.out;
  private JsonLogging logging;
  private Monitoring monitoring;

  @AfterEach
  void close() {
    if (monitoring != null) {
      monitoring.close();
    }
    if (logging != null) {
      logging.close();
    }
    System.setOut(originalOut);
  }

  @Test
  void thisJvmHasNoSentryOnTheClasspathAndSentryDsnSet() {
    assertThatThrownBy(() -> Class.forName("io.sentry.Sentry"))
        .isInstanceOf(ClassNotFoundException.class);
    assertThatThrownBy(() -> Class.forName("io.sentry.logback.SentryAppender"))
        .isInstanceOf(ClassNotFoundException.class);
    assertThat(System.getenv("SENTRY_DSN")).isNotBlank();
  }

  @Test
  void jsonLoggingInstallsAndWritesEcsLinesWithoutSentry() {
    LineSink sink = new LineSink();
    logging = JsonLogging.builder("no-sentry-svc").output(sink).install();
    LOG.error("payment failed", new IllegalStateException("upstream 503"));
    logging.close();

    assertThat(sink.json())
        .anySatisfy(
            doc -> {
              assertThat(doc.get("message").asText()).isEqualTo("payment failed");
              assertThat(doc.get("service.name").asText()).isEqualTo("no-sentry-svc");
              assertThat(doc.get("error.type").asText())
                  .isEqualTo("java.lang.IllegalStateException");
            });
  }

  @Test
  void monitoringStartRunsTheLoggingModuleAndWarnsOnceNamingTheSentryArtifact() throws Exception {
    LineSink stdout = new LineSink();
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    monitoring =
        Monitoring.builder("no-sentry-svc")
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .shutdownHook(false)
            .start();
    assertThat(monitoring.get(JsonLogging.class)).isNotNull();
    LOG.info("still logging");
    monitoring.close();
    monitoring = null;

    // before JsonLogging is installed Logback's default configuration prints plain text
    List<JsonNode> lines = new ArrayList<>();
    for (String line : stdout.lines()) {
      if (line.startsWith("{")) {
        lines.add(LineSink.JSON.readTree(line));
      }
    }
    assertThat(lines)
        .anySatisfy(doc -> assertThat(doc.get("message").asText()).isEqualTo("still logging"));
    List<JsonNode> sentryWarnings =
        lines.stream()
            .filter(doc -> doc.get("log.level").asText().equals("WARN"))
            .filter(doc -> doc.get("message").asText().contains("SENTRY_DSN"))
            .toList();
    assertThat(sentryWarnings)
        .singleElement()
        .satisfies(
            doc ->
                assertThat(doc.get("message").asText())
                    .contains("Sentry is not on the classpath")
                    .contains("io.sentry:sentry-logback"));
  }

  @Test
  void sentrySetupStaysOffWithoutSentryAndClosesQuietly() {
    logging = JsonLogging.builder("no-sentry-svc").output(new LineSink()).install();
    SentrySetup sentry = SentrySetup.initialize();

    assertThat(sentry.enabled()).isFalse();
    sentry.close();
  }
}
