package com.aicompanion.monitoring.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.aicompanion.monitoring.Monitoring;
import com.aicompanion.monitoring.otlp.internal.OtlpMetricsModule;
import com.aicompanion.monitoring.testsupport.otlp.OtlpHttpReceiver;
import com.aicompanion.monitoring.testsupport.otlp.ReceivedMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/** Review of issue 14: OTLP push inputs the other tests did not use. */
class ReviewOtlpEdgeCasesTest {
  private static Monitoring start(String export, String endpoint) {
    return Monitoring.builder("batch-job")
        .metricsHost("127.0.0.1")
        .metricsPort(0)
        .shutdownHook(false)
        .registerGlobal(false)
        .config("tracing.enabled", "false")
        .config("metrics.export", export)
        .config("metrics.otlp.endpoint", endpoint)
        .config("metrics.otlp.step", "1s")
        .start();
  }

  @Test
  void aGaugeAndACounterCreatedAfterStartArrive() throws Exception {
    try (OtlpHttpReceiver receiver = OtlpHttpReceiver.start();
        Monitoring monitoring = start("both", receiver.url() + "/v1/metrics")) {
      AtomicInteger depth = new AtomicInteger(17);
      monitoring.monitor().setGauge("late_queue_depth", depth.get(), Map.of("queue", "q"));
      for (int i = 0; i < 50; i++) {
        monitoring.monitor().incrementCounter("late_events_total", Map.of("k", "v" + i));
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(receiver.metrics.all().stream().map(ReceivedMetrics.Received::name))
                      .contains("late_queue_depth", "late_events"));
      assertThat(
              receiver
                  .metrics
                  .latest("late_events")
                  .orElseThrow()
                  .metric()
                  .getSum()
                  .getDataPointsCount())
          .isEqualTo(50);
    }
  }

  /**
   * The OTEL_EXPORTER_OTLP_ENDPOINT habit, a base URL only: the rule appends /v1/metrics to an
   * empty or "/" path (as OpenTelemetry's exporters do for the generic endpoint), the pushes arrive
   * and the module's start line names the URL and that the path was appended. (Before the rule,
   * Micrometer posted to "/" and every push failed.)
   */
  @ParameterizedTest
  @ValueSource(strings = {"", "/"})
  void anEndpointWithoutItsPathGetsTheMetricsPathAndItsPushesArrive(String path) throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(OtlpMetricsModule.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try (OtlpHttpReceiver receiver = OtlpHttpReceiver.start();
        Monitoring monitoring = start("otlp", receiver.url() + path)) {
      monitoring.monitor().incrementCounter("base_url_events_total", Map.of("k", "v"));
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(receiver.metrics.all().stream().map(ReceivedMetrics.Received::name))
                      .contains("base_url_events"));
      assertThat(lines.list)
          .map(ILoggingEvent::getFormattedMessage)
          .anySatisfy(
              line ->
                  assertThat(line)
                      .startsWith("OTLP metrics push to " + receiver.url() + "/v1/metrics (")
                      .contains(
                          "/v1/metrics appended to metrics.otlp.endpoint "
                              + receiver.url()
                              + path));
    } finally {
      logger.detachAppender(lines);
    }
  }

  /** Any other path is the receiver's own (a proxy prefix, a vendor path) and is kept. */
  @Test
  void anEndpointWithAnotherPathIsUsedAsWritten() throws Exception {
    try (OtlpHttpReceiver receiver = OtlpHttpReceiver.start();
        Monitoring monitoring = start("otlp", receiver.url() + "/otlp")) {
      monitoring.monitor().incrementCounter("prefixed_events_total", Map.of("k", "v"));
      // the test receiver answers at /v1/metrics only: a push to /otlp as written is refused
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  monitoring
                          .monitor()
                          .registry()
                          .find("monitoring.metrics.push.failures")
                          .counter()
                          .count()
                      >= 1);
      assertThat(receiver.metrics.all()).isEmpty();
    }
  }
}
