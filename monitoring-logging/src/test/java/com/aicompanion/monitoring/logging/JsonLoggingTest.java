package com.aicompanion.monitoring.logging;

import static net.logstash.logback.argument.StructuredArguments.kv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.MonitoringException;
import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** JsonLogging used alone, without Monitoring, writing to a captured stream instead of stdout. */
class JsonLoggingTest {
  private static final Logger LOG = LoggerFactory.getLogger("com.example.chat.ChatService");
  private static final List<String> ECS_FIELDS =
      List.of(
          "@timestamp",
          "log.level",
          "message",
          "ecs.version",
          "service.name",
          "service.version",
          "service.environment",
          "event.dataset",
          "log.logger",
          "process.thread.name",
          "host.hostname");

  private final LineSink sink = new LineSink();
  private JsonLogging logging;

  @AfterEach
  void close() {
    if (logging != null) {
      logging.close();
    }
    MDC.clear();
  }

  private JsonLogging install(JsonLogging.Builder builder) {
    logging = builder.output(sink).install();
    return logging;
  }

  @Test
  void everyLineIsJsonWithTheEcsFields() {
    install(JsonLogging.builder("chat-api").config("log.level", "DEBUG"));
    LOG.info("user {} connected", "u-1");
    LOG.debug("debug detail");
    LOG.error("model call failed", new IllegalStateException("upstream 503"));
    logging.close();

    List<JsonNode> docs = sink.json();
    assertThat(docs).hasSizeGreaterThanOrEqualTo(3);
    for (JsonNode doc : docs) {
      assertThat(ECS_FIELDS).allSatisfy(field -> assertThat(doc.has(field)).as(field).isTrue());
      assertThat(doc.get("@timestamp").asText())
          .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
      assertThat(doc.get("service.name").asText()).isEqualTo("chat-api");
      assertThat(doc.get("event.dataset").asText()).isEqualTo("chat-api.log");
      assertThat(doc.get("ecs.version").asText()).startsWith("8.");
    }
    JsonNode error =
        docs.stream()
            .filter(d -> d.get("log.level").asText().equals("ERROR"))
            .findFirst()
            .orElseThrow();
    assertThat(error.get("error.type").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(error.get("error.message").asText()).isEqualTo("upstream 503");
    assertThat(error.get("error.stack_trace").asText()).contains("JsonLoggingTest");
    assertThat(docs)
        .anySatisfy(d -> assertThat(d.get("message").asText()).isEqualTo("user u-1 connected"));
  }

  @Test
  void theBuilderNamesTheIdentityWhenUsedAlone() {
    install(
        JsonLogging.builder("chat-api")
            .config("environment", "prod-eu")
            .config("service.version", "4.2.0")
            .config("elasticsearch.url", "http://127.0.0.1:9")
            .config("elasticsearch.spool", "false"));
    LOG.info("identity");
    logging.close();

    JsonNode line =
        sink.json().stream()
            .filter(d -> d.get("message").asText().equals("identity"))
            .findFirst()
            .orElseThrow();
    assertThat(line.get("service.name").asText()).isEqualTo("chat-api");
    assertThat(line.get("service.environment").asText()).isEqualTo("prod-eu");
    assertThat(line.get("service.version").asText()).isEqualTo("4.2.0");
    assertThat(logging.dataStream()).isEqualTo("logs-chat-api-prod-eu");
  }

  @Test
  void mdcAndStructuredArgumentsBecomeTopLevelFields() {
    install(JsonLogging.builder("chat-api"));
    MDC.put("request.id", "r-42");
    LOG.info("answered", kv("tokens", 17));
    logging.close();

    JsonNode doc =
        sink.json().stream()
            .filter(d -> d.get("message").asText().equals("answered"))
            .findFirst()
            .orElseThrow();
    assertThat(doc.get("request.id").asText()).isEqualTo("r-42");
    assertThat(doc.get("tokens").asInt()).isEqualTo(17);
  }

  @Test
  void aLineLoggedInsideASpanCarriesItsTraceAndSpanIds() throws Exception {
    install(JsonLogging.builder("chat-api"));
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String spanId = "00f067aa0ba902b7";
    Span span =
        Span.wrap(
            SpanContext.create(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault()));
    Thread worker =
        new Thread(
            () -> {
              Scope scope = span.makeCurrent();
              try {
                LOG.info("inside the span");
              } finally {
                scope.close();
              }
              LOG.info("outside the span");
            },
            "span-thread");
    worker.start();
    worker.join();
    logging.close();

    List<JsonNode> docs = sink.json();
    JsonNode inside =
        docs.stream()
            .filter(d -> d.get("message").asText().equals("inside the span"))
            .findFirst()
            .orElseThrow();
    assertThat(inside.get("trace.id").asText()).isEqualTo(traceId);
    assertThat(inside.get("span.id").asText()).isEqualTo(spanId);
    assertThat(inside.get("process.thread.name").asText()).isEqualTo("span-thread");
    JsonNode outside =
        docs.stream()
            .filter(d -> d.get("message").asText().equals("outside the span"))
            .findFirst()
            .orElseThrow();
    assertThat(outside.has("trace.id")).isFalse();
  }

  @Test
  void textFormatIsForHumansAndStillMasked() {
    install(JsonLogging.builder("chat-api").format("text"));
    LOG.info("token=abcdef123456 for user");
    logging.close();

    assertThat(sink.text())
        .contains("INFO", "ChatService", "token=****")
        .doesNotContain("abcdef123456")
        .doesNotStartWith("{");
  }

  @Test
  void perLoggerLevelsApply() {
    install(JsonLogging.builder("chat-api").config("log.levels", "com.example.noisy=WARN"));
    LoggerFactory.getLogger("com.example.noisy.Poller").info("hidden");
    LoggerFactory.getLogger("com.example.noisy.Poller").warn("shown");
    logging.close();

    assertThat(sink.text()).contains("shown").doesNotContain("hidden");
    // close gives the logger back its own (inherited) level: nothing is left behind
    assertThat(
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("com.example.noisy"))
                .getLevel())
        .isNull();
  }

  @Test
  void badSettingsFailFastNamingKeyValueAndFix() {
    assertThatThrownBy(() -> install(JsonLogging.builder("chat-api").format("xml")))
        .isInstanceOf(MonitoringException.class)
        .hasMessage("format(\"xml\") is not one of json, text");
    assertThatThrownBy(() -> install(JsonLogging.builder("chat-api").level("LOUD")))
        .isInstanceOf(MonitoringException.class)
        .hasMessageContaining("LOUD")
        .hasMessageContaining("TRACE, DEBUG, INFO, WARN, ERROR");
    assertThatThrownBy(
            () -> install(JsonLogging.builder("chat-api").config("elasticsearch.url", "es:9200")))
        .isInstanceOf(MonitoringException.class)
        .hasMessageContaining("elasticsearch.url")
        .hasMessageContaining("http://localhost:9200");
  }

  @Test
  void durationsFollowCoresGrammar() {
    install(
        JsonLogging.builder("chat-api")
            .config("log.close.timeout", "PT5S")
            .config("elasticsearch.max.backoff", "1h"));
    LOG.info("configured");
    logging.close();
    assertThat(sink.text()).contains("configured");
    assertThatThrownBy(
            () -> install(JsonLogging.builder("chat-api").config("log.close.timeout", "-1s")))
        .isInstanceOf(MonitoringException.class)
        .hasMessage(
            "config(\"log.close.timeout\", \"-1s\") is not a duration: use e.g. 500ms, 10s, 5m,"
                + " 1h or PT10S (not negative)");
  }

  @Test
  void consoleQueueIsAsynchronousAndCloseFlushesIt() {
    install(JsonLogging.builder("chat-api"));
    for (int i = 0; i < 500; i++) {
      LOG.info("line {}", i);
    }
    logging.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> sink.text().contains("\"line 499\""));
    assertThat(sink.json().stream().filter(d -> d.get("message").asText().startsWith("line ")))
        .hasSize(500);
  }

  @Test
  void linesLoggedAfterCloseStillReachTheConsoleSynchronously() {
    install(JsonLogging.builder("chat-api"));
    LOG.info("before close");
    logging.close();

    LOG.info("after close, as a shutdown hook logs");

    // no waiting: written on the caller's thread
    assertThat(sink.json())
        .extracting(d -> d.get("message").asText())
        .containsSubsequence("before close", "after close, as a shutdown hook logs");
    assertThat(sink.json().get(sink.json().size() - 1).get("service.name").asText())
        .isEqualTo("chat-api");
  }
}
