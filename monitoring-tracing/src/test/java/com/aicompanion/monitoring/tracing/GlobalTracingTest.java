package com.aicompanion.monitoring.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.Monitoring;
import com.aicompanion.monitoring.MonitoringException;
import com.aicompanion.monitoring.testsupport.otlp.OtlpHttpReceiver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The global tracing follows the one ownership rule: an install claims it, its close releases it,
 * and a later install in the same JVM becomes the global again, without any reset.
 */
class GlobalTracingTest {
  private static Tracing install(String service, OtlpHttpReceiver receiver) {
    return Tracing.builder(service)
        .otlpEndpoint(receiver.url())
        .protocol("http/protobuf")
        .meterRegistry(new SimpleMeterRegistry())
        .shutdownHook(false)
        .install();
  }

  @Test
  void twoInstallsOneAfterTheOtherBothExportAndTheGlobalFollowsTheCurrentOne() throws Exception {
    Tracer kept;
    try (OtlpHttpReceiver first = OtlpHttpReceiver.start();
        OtlpHttpReceiver second = OtlpHttpReceiver.start()) {
      try (Tracing tracing = install("first-install", first)) {
        // an instrumentation library keeps the tracer it got once, e.g. in a static field (a
        // GlobalOpenTelemetry.get() before the first install would fix the no-op as the global)
        kept = GlobalOpenTelemetry.getTracer("kept-by-a-library");
        Spans.inSpan("first-spans", () -> {});
        GlobalOpenTelemetry.getTracer("app").spanBuilder("first-global").startSpan().end();
        kept.spanBuilder("first-kept").startSpan().end();
        assertThat(tracing.flush(Duration.ofSeconds(10))).isTrue();
      }
      Span afterClose = GlobalOpenTelemetry.getTracer("app").spanBuilder("none").startSpan();
      assertThat(afterClose.isRecording()).as("the global is the no-op between installs").isFalse();
      afterClose.end();

      try (Tracing tracing = install("second-install", second)) {
        Spans.inSpan("second-spans", () -> {});
        GlobalOpenTelemetry.getTracer("app").spanBuilder("second-global").startSpan().end();
        kept.spanBuilder("second-kept").startSpan().end();
        assertThat(tracing.flush(Duration.ofSeconds(10))).isTrue();
      }

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(first.spans.all())
                      .extracting(r -> r.span().getName())
                      .containsExactlyInAnyOrder("first-spans", "first-global", "first-kept"));
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(second.spans.all())
                      .extracting(r -> r.span().getName())
                      .containsExactlyInAnyOrder("second-spans", "second-global", "second-kept"));
      assertThat(second.spans.named("second-global").orElseThrow().resourceAttributes())
          .containsEntry("service.name", "second-install");
    }
  }

  @Test
  void aSecondInstallWhileTheFirstIsOpenFailsNamingTheOwnerAndTheWayOut() throws Exception {
    try (OtlpHttpReceiver receiver = OtlpHttpReceiver.start();
        Tracing owner = install("owner-service", receiver)) {
      assertThatThrownBy(() -> install("late-service", receiver))
          .isInstanceOf(MonitoringException.class)
          .hasMessageContaining("Tracing for late-service cannot become the global tracing")
          .hasMessageContaining("Tracing for owner-service holds it")
          .hasMessageContaining("registerGlobal(false)");
      Spans.inSpan("still-the-owner", () -> {});
      assertThat(owner.flush(Duration.ofSeconds(10))).isTrue();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> receiver.spans.named("still-the-owner").isPresent());
    }
  }

  @Test
  void registerGlobalFalseRunsBesideTheOwnerWithoutBecomingTheGlobal() throws Exception {
    try (OtlpHttpReceiver ownerReceiver = OtlpHttpReceiver.start();
        OtlpHttpReceiver besideReceiver = OtlpHttpReceiver.start();
        Tracing owner = install("owner", ownerReceiver);
        Tracing beside =
            Tracing.builder("beside")
                .otlpEndpoint(besideReceiver.url())
                .protocol("http/protobuf")
                .meterRegistry(new SimpleMeterRegistry())
                .shutdownHook(false)
                .registerGlobal(false)
                .install()) {
      Spans.inSpan("through-spans", () -> {});
      beside.tracer().spanBuilder("through-beside").startSpan().end();
      assertThat(owner.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(beside.flush(Duration.ofSeconds(10))).isTrue();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> ownerReceiver.spans.named("through-spans").isPresent());
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> besideReceiver.spans.named("through-beside").isPresent());
      assertThat(besideReceiver.spans.named("through-spans")).isEmpty();
    }
  }

  @Test
  void monitoringWithRegisterGlobalFalseLeavesEveryGlobalFree() throws Exception {
    try (OtlpHttpReceiver receiver = OtlpHttpReceiver.start();
        Monitoring monitoring =
            Monitoring.builder("isolated")
                .metricsHost("127.0.0.1")
                .metricsPort(0)
                .jvmMetrics(false)
                .shutdownHook(false)
                .registerGlobal(false)
                .config("tracing.otlp.endpoint", receiver.url().toString())
                .config("tracing.otlp.protocol", "http/protobuf")
                .start()) {
      assertThat(monitoring.get(Tracing.class)).isNotNull();
      assertThat(TracingInstaller.CURRENT.current()).isNull();
      assertThatThrownBy(Monitoring::global).isInstanceOf(IllegalStateException.class);
      // free, so a Tracing of its own can still become the global
      try (Tracing own = install("own", receiver)) {
        assertThat(TracingInstaller.CURRENT.current()).isSameAs(own);
      }
    }
  }
}
