package com.aicompanion.monitoring.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.aicompanion.monitoring.testsupport.otlp.OtlpHttpReceiver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The collector (an in-test OTLP/HTTP receiver on loopback, standing in for Jaeger) goes down: the
 * application keeps its latency, lost spans are counted, one WARN is logged; it comes back: new
 * spans arrive.
 */
class CollectorOutageTest {
  @Test
  @SuppressWarnings("try") // the Tracing is closed by try-with-resources, used through Spans
  void collectorDownKeepsLatencyCountsLostSpansThenRecovers() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Logger log = (Logger) LoggerFactory.getLogger("com.aicompanion.monitoring.tracing");
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    log.addAppender(logged);
    try (OtlpHttpReceiver receiver = OtlpHttpReceiver.start();
        Tracing tracing =
            Tracing.builder("outage")
                .otlpEndpoint(receiver.url())
                .protocol("http/protobuf")
                .meterRegistry(registry)
                .otelProperty("otel.bsp.schedule.delay", "20")
                .otelProperty("otel.bsp.max.export.batch.size", "16")
                .otelProperty("otel.bsp.max.queue.size", "64")
                .otelProperty("otel.exporter.otlp.timeout", "1000")
                .shutdownTimeout(Duration.ofSeconds(2))
                .install()) {
      Spans.inSpan("before-outage", () -> {});
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> receiver.spans.named("before-outage").isPresent());

      receiver.stop();
      int spans = 2_000;
      long slowest = 0;
      long start = System.nanoTime();
      for (int i = 0; i < spans; i++) {
        long t0 = System.nanoTime();
        Spans.inSpan("during-outage", () -> {});
        slowest = Math.max(slowest, System.nanoTime() - t0);
      }
      long total = System.nanoTime() - start;
      // a dead collector must not slow the application: no span waits for the network
      assertThat(Duration.ofNanos(total)).isLessThan(Duration.ofSeconds(2));
      assertThat(Duration.ofNanos(slowest)).isLessThan(Duration.ofMillis(250));

      // every span ended during the outage is accounted for: dropped at the full queue, or failed
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> count(registry, "failed") >= 32 && lost(registry) >= 100);
      assertThat(registry.get("monitoring.spans").tag("outcome", "dropped").counter().count())
          .as("the bounded queue overflowed while exports failed")
          .isPositive();
      long warnings =
          logged.list.stream()
              .filter(e -> e.getLevel() == Level.WARN)
              .filter(e -> e.getFormattedMessage().startsWith("Span export to"))
              .count();
      assertThat(warnings).as("one WARN, then at most one a minute").isEqualTo(1);

      receiver.restart();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                Spans.inSpan("after-outage", () -> {});
                return receiver.spans.named("after-outage").isPresent();
              });
      assertThat(registry.get("monitoring.spans").tag("outcome", "exported").counter().count())
          .isGreaterThanOrEqualTo(2);
    } finally {
      log.detachAppender(logged);
    }
  }

  private static double lost(SimpleMeterRegistry registry) {
    return count(registry, "dropped") + count(registry, "failed");
  }

  private static double count(SimpleMeterRegistry registry, String outcome) {
    return registry.get("monitoring.spans").tag("outcome", outcome).counter().count();
  }
}
