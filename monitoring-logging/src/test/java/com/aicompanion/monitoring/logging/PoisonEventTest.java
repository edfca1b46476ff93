package com.aicompanion.monitoring.logging;

import static net.logstash.logback.argument.StructuredArguments.kv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import com.aicompanion.monitoring.testsupport.opensearch.OpenSearchExtension;
import com.aicompanion.monitoring.testsupport.opensearch.OpenSearchNode;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.logstash.logback.argument.StructuredArgument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Poison events through real Logback appenders: an argument whose getter throws an Error, one that
 * overflows the stack, a value a user mask overflows the stack on, an exception whose parts cannot
 * be read. The appender threads (Logback's AsyncAppender worker, and with {@link JsonLogging} the
 * console queue and the Elasticsearch shipper) keep running: every later line is written, and
 * shipped to a real OpenSearch node.
 */
@ExtendWith(OpenSearchExtension.class)
class PoisonEventTest {
  private static final String ACCOUNT = "ACCT-" + "1-".repeat(50_000);
  private JsonLogging logging;

  @AfterEach
  void close() {
    if (logging != null) {
      logging.close();
    }
  }

  private static StructuredArgument overflowing() {
    return new EncodingFailureTest.Argument(
        generator -> {
          generator.writeFieldName("deep");
          throw new StackOverflowError();
        });
  }

  /** Logs every kind of poison on {@code log}; returns how many events that was. */
  private static int poison(org.slf4j.Logger log) {
    log.info("poison {}", kv("bean", new EncodingFailureTest.Poison()));
    log.info("poison {}", overflowing());
    log.info("poison " + ACCOUNT, kv("acct", ACCOUNT), kv("nested", Map.of("acct", ACCOUNT)));
    return 3;
  }

  @Test
  void aLogbackXmlMaskThatWouldOverflowTheStackIsALogbackErrorNamingTheFixNotAnException() {
    LoggerContext context = new LoggerContext();
    context.start();
    EcsJsonEncoder encoder = new EcsJsonEncoder();
    encoder.setContext(context);
    encoder.setServiceName("poison-xml");
    encoder.addMask("ACCT-(?:\\d|-)+");

    encoder.start();

    assertThat(encoder.isStarted()).isFalse();
    assertThat(context.getStatusManager().getCopyOfStatusList())
        .anySatisfy(
            status -> {
              assertThat(status.getLevel()).isEqualTo(ch.qos.logback.core.status.Status.ERROR);
              assertThat(status.getMessage()).contains("ACCT-(?:\\d|-)+").contains("[\\d-]+");
            });
    context.stop();
  }

  @Test
  void afterPoisonEventsTheAsyncAppendersWorkerWritesEveryLaterLine() {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    context.start();
    LineSink sink = new LineSink();
    EcsJsonEncoder encoder = new EcsJsonEncoder();
    encoder.setContext(context);
    encoder.setServiceName("poison-async");
    encoder.addMask(EncodingFailureTest.USER_MASK);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> console = new OutputStreamAppender<>();
    console.setContext(context);
    console.setEncoder(encoder);
    console.setOutputStream(sink);
    console.start();
    AsyncAppender async = new AsyncAppender();
    async.setContext(context);
    async.setDiscardingThreshold(0);
    async.addAppender(console);
    async.start();
    Logger log = context.getLogger("com.example.Poison");
    log.setAdditive(false);
    log.setLevel(Level.INFO);
    log.addAppender(async);
    try {
      int poisoned = poison(log);
      log.callAppenders(unreadableException());
      for (int i = 0; i < 100; i++) {
        log.info("after {}", i);
      }

      await().atMost(Duration.ofSeconds(30)).until(() -> sink.lines().size() == poisoned + 1 + 100);
      List<JsonNode> lines = sink.json();
      assertThat(lines).allSatisfy(line -> assertThat(DocumentShape.problems(line)).isEmpty());
      assertThat(lines.get(lines.size() - 1).path("message").asText()).isEqualTo("after 99");
      assertThat(lines.get(0).path("bean").asText()).startsWith("[unavailable: ");
      assertThat(lines.get(1).path("deep").asText())
          .isEqualTo("[unavailable: java.lang.StackOverflowError]");
      assertThat(sink.text()).doesNotContain("ACCT-1-1-1-1");
      assertThat(encoder.encodingErrors()).isGreaterThanOrEqualTo(3);
      assertThat(async.isStarted()).isTrue();
    } finally {
      async.stop();
      context.stop();
    }
  }

  @Test
  void afterPoisonEventsTheConsoleAndTheShipperGoOn(OpenSearchNode node) {
    LineSink sink = new LineSink();
    logging =
        JsonLogging.builder("poison-svc")
            .output(sink)
            .elasticsearch(node.uri())
            .config("elasticsearch.flush.interval", "100ms")
            .meterRegistry(new SimpleMeterRegistry())
            .mask(EncodingFailureTest.USER_MASK)
            .install();
    org.slf4j.Logger log = LoggerFactory.getLogger("com.example.Poison");
    int poisoned = poison(log);
    ((Logger) log).callAppenders(unreadableException());
    for (int i = 0; i < 100; i++) {
      log.info("after {}", i);
    }
    // install() logs one INFO line, and the first encoding failure one WARN describing it, in
    // the application's log: both are shipped too
    await().atMost(Duration.ofSeconds(30)).until(() -> sink.text().contains("\"after 99\""));
    assertThat(sink.lines())
        .filteredOn(line -> line.contains("could not be encoded as given"))
        .hasSize(1)
        .allSatisfy(line -> assertThat(line).contains("\"log.level\":\"WARN\""));
    int logged = 1 + poisoned + 1 + 100 + 1;

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                logging.shippedEvents() + logging.failedEvents() + logging.droppedEvents()
                    == logged);
    await().atMost(Duration.ofSeconds(30)).until(() -> sink.text().contains("\"after 99\""));
    assertThat(logging.droppedEvents()).isZero();
    assertThat(logging.failedEvents()).isZero();
    String ds = logging.dataStream();
    node.request("POST", "/" + ds + "/_refresh", null);
    JsonNode hits =
        json(node.request("GET", "/" + ds + "/_search?q=message:after&size=200", null).body())
            .path("hits");
    assertThat(hits.path("total").path("value").asInt()).isEqualTo(100);
    assertThat(node.request("GET", "/" + ds + "/_search?size=500", null).body())
        .doesNotContain("ACCT-1-1-1-1");
  }

  /** An event whose exception cannot be read, as another appender or a remote could hand over. */
  private static LoggingEvent unreadableException() {
    LoggingEvent event =
        new LoggingEvent() {
          @Override
          public IThrowableProxy getThrowableProxy() {
            return new EncodingFailureTest.UnreadableThrowable();
          }
        };
    event.setLoggerName("com.example.Poison");
    event.setLevel(Level.ERROR);
    event.setMessage("unreadable exception");
    event.setThreadName(Thread.currentThread().getName());
    event.setTimeStamp(System.currentTimeMillis());
    event.setMDCPropertyMap(Map.of());
    return event;
  }

  private static JsonNode json(String body) {
    try {
      return LineSink.JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
