package com.aicompanion.monitoring.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A collector outage (nothing listening on a loopback port) logs our one WARN and nothing through
 * the OpenTelemetry SDK's java.util.logging loggers, which would otherwise log every failed export
 * with a stack trace.
 */
class OutageLoggingTest {
  @Test
  void outageLogsOneWarnAndNoSdkRecords() throws IOException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    SdkRecords sdk = new SdkRecords();
    ch.qos.logback.classic.Logger ours =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("com.aicompanion.monitoring");
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    ours.addAppender(logged);
    sdk.attach();
    try (Tracing tracing =
        Tracing.builder("outage-log")
            .otlpEndpoint(URI.create("http://127.0.0.1:" + portNobodyListensOn()))
            .protocol("http/protobuf")
            .meterRegistry(registry)
            .otelProperty("otel.bsp.schedule.delay", "20")
            // fail each export at once instead of after seconds of retries
            .otelProperty("otel.java.exporter.otlp.retry.disabled", "true")
            .install()) {
      for (int failedExports = 1; failedExports <= 3; failedExports++) {
        Spans.inSpan("during-outage", () -> {});
        int expected = failedExports;
        await().atMost(Duration.ofSeconds(20)).until(() -> failed(registry) >= expected);
      }
      assertThat(tracing.otlpProtocol()).isEqualTo("http/protobuf");
    } finally {
      sdk.detach();
      ours.detachAppender(logged);
    }

    List<String> warnings =
        logged.list.stream()
            .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
            .map(ILoggingEvent::getFormattedMessage)
            .toList();
    assertThat(warnings)
        .as("one WARN for three failed exports; close() found nothing left to drop")
        .hasSize(1)
        .allMatch(m -> m.startsWith("Span export to http://127.0.0.1:"))
        .allMatch(m -> m.contains("java.net.ConnectException"));
    assertThat(sdk.records).as("java.util.logging records from the SDK").isEmpty();
  }

  @Test
  void collectorAnswering503IsWarnedWithItsStatus() throws IOException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    HttpServer rejecting =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    rejecting.createContext(
        "/v1/traces",
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(503, -1);
          }
        });
    rejecting.start();
    ch.qos.logback.classic.Logger ours =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("com.aicompanion.monitoring");
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    ours.addAppender(logged);
    try (Tracing tracing =
        Tracing.builder("rejected")
            .otlpEndpoint(URI.create("http://127.0.0.1:" + rejecting.getAddress().getPort()))
            .protocol("http/protobuf")
            .meterRegistry(registry)
            .otelProperty("otel.java.exporter.otlp.retry.disabled", "true")
            .install()) {
      Spans.inSpan("rejected", () -> {});
      assertThat(tracing.flush(Duration.ofSeconds(10))).isTrue();
      await().atMost(Duration.ofSeconds(20)).until(() -> failed(registry) >= 1);
    } finally {
      ours.detachAppender(logged);
      rejecting.stop(0);
    }
    assertThat(logged.list)
        .filteredOn(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage)
        .singleElement()
        .asString()
        .contains("the collector answered HTTP 503");
  }

  private static double failed(SimpleMeterRegistry registry) {
    return registry.get("monitoring.spans").tag("outcome", "failed").counter().count();
  }

  private static int portNobodyListensOn() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** A java.util.logging handler on the SDK's export loggers. */
  private static final class SdkRecords extends Handler {
    final List<String> records = new CopyOnWriteArrayList<>();
    private final List<Logger> loggers =
        List.of(
            Logger.getLogger("io.opentelemetry.exporter"),
            Logger.getLogger("io.opentelemetry.sdk.trace.export"));

    void attach() {
      setLevel(java.util.logging.Level.ALL);
      loggers.forEach(l -> l.addHandler(this));
    }

    void detach() {
      loggers.forEach(l -> l.removeHandler(this));
    }

    @Override
    public void publish(LogRecord record) {
      records.add(record.getLoggerName() + ": " + record.getMessage());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
