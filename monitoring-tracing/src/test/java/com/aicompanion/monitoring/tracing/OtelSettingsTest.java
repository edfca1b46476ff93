package com.aicompanion.monitoring.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.aicompanion.monitoring.MonitoringException;
import com.aicompanion.monitoring.testsupport.otlp.OtlpHttpReceiver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code OTEL_*} settings go through the real OpenTelemetry autoconfigure: a bad one fails
 * install() naming the key as set ({@code -Dotel...} here; the environment variable form is shown
 * in {@link ChildJvmTracingTest}), the value, the rule and the fix; settings for signals the
 * library does not own never break it.
 */
class OtelSettingsTest {
  private static final List<String> KEYS =
      List.of(
          "otel.traces.sampler",
          "otel.traces.sampler.arg",
          "otel.traces.exporter",
          "otel.exporter.otlp.protocol",
          "otel.exporter.otlp.traces.protocol",
          "otel.exporter.otlp.timeout",
          "otel.exporter.otlp.endpoint",
          "otel.exporter.otlp.headers",
          "otel.exporter.otlp.compression",
          "otel.bsp.max.queue.size",
          "otel.bsp.max.export.batch.size",
          "otel.bsp.schedule.delay",
          "otel.metrics.exporter",
          "otel.logs.exporter",
          "monitoring.tracing.sampling.ratio");

  @AfterEach
  void clearProperties() {
    KEYS.forEach(System::clearProperty);
  }

  private static Tracing.Builder builder() {
    return Tracing.builder("otel-settings")
        .meterRegistry(new SimpleMeterRegistry())
        .shutdownHook(false)
        .registerGlobal(false);
  }

  private static void assertRefused(String key, String value, String... parts) {
    System.setProperty(key, value);
    assertThatThrownBy(() -> builder().install().close())
        .isInstanceOf(MonitoringException.class)
        .hasMessageContaining("-D" + key + "=" + value)
        .hasMessageContainingAll(parts);
  }

  @Test
  void aSamplerArgAboveOneIsNamedWithTheRuleAndTheFix() {
    assertRefused(
        "otel.traces.sampler.arg",
        "1.5",
        "is not a sampling ratio",
        "0.0 to 1.0",
        "MONITORING_TRACING_SAMPLING_RATIO");
  }

  @Test
  void aSamplerArgThatIsNotANumberIsNamed() {
    assertRefused("otel.traces.sampler.arg", "abc", "is not a sampling ratio", "e.g. 0.25");
  }

  @Test
  void aSamplerArgForTheRatioSamplerTheUserChoseIsChecked() {
    System.setProperty("otel.traces.sampler", "traceidratio");
    assertRefused("otel.traces.sampler.arg", "-0.1", "for the traceidratio sampler");
  }

  @Test
  void aMonitoringRatioOverridesABadOtelArgSoItIsNotUsedNorChecked() {
    System.setProperty("otel.traces.sampler.arg", "1.5");
    try (Tracing tracing = builder().samplingRatio(0.5).install()) {
      assertThat(tracing.otlpProtocol()).isEqualTo("grpc");
    }
  }

  @Test
  void anUnknownSamplerNameListsTheKnownOnes() {
    assertRefused(
        "otel.traces.sampler",
        "sometimes",
        "is not a sampler",
        "always_on",
        "parentbased_traceidratio");
  }

  @Test
  void aBadProtocolIsNamedAsSet() {
    assertRefused(
        "otel.exporter.otlp.protocol",
        "http/json",
        "grpc (port 4317) or http/protobuf (port 4318)");
  }

  @Test
  void aBadSignalSpecificProtocolIsNamedAsSet() {
    assertRefused("otel.exporter.otlp.traces.protocol", "udp", "is not an OTLP protocol");
  }

  @Test
  void aBadTimeoutIsNamedWithTheDurationGrammar() {
    assertRefused(
        "otel.exporter.otlp.timeout", "10 seconds", "is not an OpenTelemetry duration", "ms, s");
  }

  @Test
  void aBadEndpointUrlIsNamed() {
    assertRefused(
        "otel.exporter.otlp.endpoint",
        "collector:4317",
        "is not an http(s) URL",
        "http://collector:4317");
  }

  @Test
  void badHeadersAreNamedWithoutShowingTheirValue() {
    System.setProperty("otel.exporter.otlp.headers", "api-key-s3cret");
    assertThatThrownBy(() -> builder().install().close())
        .isInstanceOf(MonitoringException.class)
        .hasMessageContaining("-Dotel.exporter.otlp.headers (value not shown)")
        .hasMessageContaining("name=value pairs")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void aBadCompressionIsNamed() {
    assertRefused("otel.exporter.otlp.compression", "zip", "use gzip or none");
  }

  @Test
  void aBadQueueSizeIsNamed() {
    assertRefused("otel.bsp.max.queue.size", "0", "is not a positive whole number");
  }

  @Test
  void aBatchLargerThanTheQueueIsNamedWithBothSettings() {
    System.setProperty("otel.bsp.max.queue.size", "100");
    assertRefused(
        "otel.bsp.max.export.batch.size",
        "500",
        "larger than the span queue (-Dotel.bsp.max.queue.size=100)");
  }

  @Test
  void aBadScheduleDelayIsNamed() {
    assertRefused("otel.bsp.schedule.delay", "soon", "is not an OpenTelemetry duration");
  }

  @Test
  void anErrorOnlyAutoconfigureFindsIsMappedToTheKeyAsSet() {
    assertRefused(
        "otel.traces.exporter", "zipkin", "was refused by OpenTelemetry", "opentelemetry.io");
  }

  @Test
  void anyMetricsOrLogsExporterSettingIsIgnoredWithOneInfoLine() throws Exception {
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Tracing.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    logger.addAppender(logged);
    try {
      for (String value : List.of("prometheus", "otlp", "console", "logging", "nonsense")) {
        System.setProperty("otel.metrics.exporter", value);
        System.setProperty("otel.logs.exporter", value);
        try (OtlpHttpReceiver receiver = OtlpHttpReceiver.start();
            Tracing tracing =
                builder().otlpEndpoint(receiver.url()).protocol("http/protobuf").install()) {
          tracing.tracer().spanBuilder("with-" + value).startSpan().end();
          assertThat(tracing.flush(Duration.ofSeconds(10))).isTrue();
          await()
              .atMost(Duration.ofSeconds(10))
              .until(() -> receiver.spans.named("with-" + value).isPresent());
        }
      }
    } finally {
      logger.detachAppender(logged);
    }
    assertThat(logged.list)
        .map(ILoggingEvent::getFormattedMessage)
        .filteredOn(m -> m.contains("ignored by monitoring's OpenTelemetry SDK"))
        .hasSize(5)
        .first()
        .asString()
        .contains("-Dotel.metrics.exporter=prometheus and -Dotel.logs.exporter=prometheus")
        .contains("exports traces only");
  }
}
