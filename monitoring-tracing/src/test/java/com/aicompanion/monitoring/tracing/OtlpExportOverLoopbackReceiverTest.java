package com.aicompanion.monitoring.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.testsupport.otlp.OtlpHttpReceiver;
import com.aicompanion.monitoring.testsupport.otlp.ReceivedSpans;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Spans exported with the real OTLP exporters to in-test receivers on 127.0.0.1 that decode the
 * real protobuf (Jaeger cannot run here), over gRPC and http/protobuf.
 */
class OtlpExportOverLoopbackReceiverTest {
  private Tracing tracing;

  @BeforeEach
  @AfterEach
  void resetGlobal() {
    if (tracing != null) {
      tracing.close();
      tracing = null;
    }
    System.clearProperty("otel.resource.attributes");
  }

  @Test
  void httpProtobufReceiverGetsResourceParentChildAndExceptionEvent() throws Exception {
    try (OtlpHttpReceiver receiver = OtlpHttpReceiver.start()) {
      System.setProperty("otel.resource.attributes", "team=chat");
      tracing = install(receiver.url(), "http/protobuf");
      assertThat(tracing.otlpEndpoint()).isEqualTo(receiver.url() + "/v1/traces");

      createParentChildAndFailure();

      assertTreeArrived(receiver.spans);
      ReceivedSpans.Received parent = receiver.spans.named("handle request").orElseThrow();
      // OTEL_* (here as otel.* system properties) still work under our defaults
      assertThat(parent.resourceAttributes()).containsEntry("team", "chat");
    }
  }

  @Test
  void grpcReceiverGetsResourceParentChildAndExceptionEvent() throws Exception {
    try (OtlpGrpcReceiver receiver = OtlpGrpcReceiver.start()) {
      tracing = install(receiver.url(), "grpc");
      assertThat(tracing.otlpProtocol()).isEqualTo("grpc");

      createParentChildAndFailure();

      assertTreeArrived(receiver.spans);
    }
  }

  @Test
  void exportedSpansAreCountedAsExported() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (OtlpGrpcReceiver receiver = OtlpGrpcReceiver.start()) {
      tracing =
          Tracing.builder("counted").otlpEndpoint(receiver.url()).meterRegistry(registry).install();
      for (int i = 0; i < 5; i++) {
        Spans.inSpan("counted-" + i, () -> {});
      }
      assertThat(tracing.flush(Duration.ofSeconds(10))).isTrue();
      await().atMost(Duration.ofSeconds(10)).until(() -> receiver.spans.all().size() == 5);
      // the receiver holds the spans before it answers; the count follows the answer
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  registry.get("monitoring.spans").tag("outcome", "exported").counter().count()
                      == 5.0);
      assertThat(registry.get("monitoring.spans").tag("outcome", "failed").counter().count())
          .isZero();
    }
  }

  private Tracing install(URI url, String protocol) {
    return Tracing.builder("chat-service")
        .otlpEndpoint(url)
        .protocol(protocol)
        .version("1.4.2")
        .environment("test")
        .meterRegistry(new SimpleMeterRegistry())
        .install();
  }

  private static void createParentChildAndFailure() {
    Spans.inSpan(
        "handle request",
        () -> {
          Spans.attribute("conversation.id", "c-42");
          Spans.inSpan("load history", () -> Spans.attribute("rows", 3L));
          assertThatThrownBy(
                  () ->
                      Spans.inSpan(
                          "call provider",
                          (Runnable)
                              () -> {
                                throw new IllegalStateException("provider answered 503");
                              }))
              .isInstanceOf(IllegalStateException.class)
              .hasMessage("provider answered 503");
        });
    // the global OpenTelemetry is ours
    assertThat(
            GlobalOpenTelemetry.get()
                .getTracer("x")
                .spanBuilder("y")
                .startSpan()
                .getSpanContext()
                .isValid())
        .isTrue();
  }

  private void assertTreeArrived(ReceivedSpans spans) {
    assertThat(tracing.flush(Duration.ofSeconds(10))).isTrue();
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> spans.all().stream().filter(r -> !r.span().getName().equals("y")).count() >= 3);
    ReceivedSpans.Received parent = spans.named("handle request").orElseThrow();
    ReceivedSpans.Received child = spans.named("load history").orElseThrow();
    ReceivedSpans.Received failed = spans.named("call provider").orElseThrow();

    assertThat(parent.resourceAttributes())
        .containsEntry("service.name", "chat-service")
        .containsEntry("service.version", "1.4.2")
        .containsEntry("deployment.environment.name", "test");
    assertThat(parent.parentSpanId()).isEmpty();
    assertThat(parent.attributes()).containsEntry("conversation.id", "c-42");
    assertThat(child.traceId()).isEqualTo(parent.traceId());
    assertThat(child.parentSpanId()).isEqualTo(parent.spanId());
    assertThat(child.attributes()).containsEntry("rows", "3");

    assertThat(failed.parentSpanId()).isEqualTo(parent.spanId());
    assertThat(failed.span().getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(failed.attributes())
        .containsEntry("error.type", IllegalStateException.class.getName());
    Span.Event exception =
        failed.span().getEventsList().stream()
            .filter(e -> e.getName().equals("exception"))
            .findFirst()
            .orElseThrow();
    assertThat(ReceivedSpans.attributes(exception.getAttributesList()))
        .containsEntry("exception.type", IllegalStateException.class.getName())
        .containsEntry("exception.message", "provider answered 503");
  }
}
