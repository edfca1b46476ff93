package com.aicompanion.monitoring.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicompanion.monitoring.MonitoringException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Configuration errors fail install() naming the key, the value and the fix; nothing is sent. */
class TracingConfigurationTest {
  @BeforeEach
  @AfterEach
  void clearProperties() {
    System.clearProperty("monitoring.tracing.sampling.ratio");
  }

  private static Tracing.Builder builder() {
    return Tracing.builder("config-test")
        .meterRegistry(new SimpleMeterRegistry())
        .registerGlobal(false);
  }

  @Test
  void grpcToTheHttpPortFailsAtInstallNamingBothSettingsAndTheFix() {
    assertThatThrownBy(
            () ->
                builder()
                    .otlpEndpoint(URI.create("http://127.0.0.1:4318"))
                    .protocol("grpc")
                    .install())
        .isInstanceOf(MonitoringException.class)
        .hasMessageContaining("otlpEndpoint(http://127.0.0.1:4318)")
        .hasMessageContaining("protocol(grpc)")
        .hasMessageContaining("OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf");
  }

  @Test
  void httpProtobufToTheGrpcPortFailsAtInstall() {
    assertThatThrownBy(
            () ->
                builder()
                    .otlpEndpoint(URI.create("http://127.0.0.1:4317"))
                    .protocol("http/protobuf")
                    .install())
        .isInstanceOf(MonitoringException.class)
        .hasMessageContaining("OTLP/gRPC port")
        .hasMessageContaining("use port 4318");
  }

  @Test
  void theHttpPortWithoutAProtocolChoosesHttpProtobuf() {
    try (Tracing tracing = builder().otlpEndpoint(URI.create("http://127.0.0.1:4318")).install()) {
      assertThat(tracing.otlpProtocol()).isEqualTo("http/protobuf");
      assertThat(tracing.otlpEndpoint()).isEqualTo("http://127.0.0.1:4318/v1/traces");
    }
  }

  @Test
  void noEndpointDefaultsToJaegerGrpcOnLocalhost() {
    try (Tracing tracing = builder().install()) {
      assertThat(tracing.otlpProtocol()).isEqualTo("grpc");
      assertThat(tracing.otlpEndpoint()).isEqualTo("http://localhost:4317");
    }
  }

  @Test
  void anUnsupportedProtocolFailsNamingTheChoices() {
    assertThatThrownBy(() -> builder().protocol("http/json").install())
        .isInstanceOf(MonitoringException.class)
        .hasMessageContaining("protocol(http/json)")
        .hasMessageContaining("grpc (port 4317) or http/protobuf (port 4318)");
  }

  @Test
  void aBadSamplingRatioInTheEnvironmentFailsNamingTheKey() {
    System.setProperty("monitoring.tracing.sampling.ratio", "2");
    assertThatThrownBy(() -> builder().install())
        .isInstanceOf(MonitoringException.class)
        .hasMessageContaining("monitoring.tracing.sampling.ratio=2")
        .hasMessageContaining("0.0 to 1.0");
  }

  @Test
  void samplingRatioZeroKeepsContextButSamplesNothing() {
    try (Tracing tracing =
        Tracing.builder("unsampled")
            .meterRegistry(new SimpleMeterRegistry())
            .samplingRatio(0.0)
            .install()) {
      AtomicBoolean sampled = new AtomicBoolean(true);
      String traceId =
          Spans.inSpan(
              "unsampled",
              () -> {
                sampled.set(io.opentelemetry.api.trace.Span.current().getSpanContext().isSampled());
                return Spans.traceId();
              });
      assertThat(traceId).hasSize(32);
      assertThat(tracing.otlpProtocol()).isEqualTo("grpc");
      assertThat(sampled).isFalse();
    }
  }
}
