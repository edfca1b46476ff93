package com.aicompanion.monitoring.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.LlmCall;
import com.aicompanion.monitoring.Monitoring;
import com.aicompanion.monitoring.testsupport.otlp.OtlpHttpReceiver;
import com.aicompanion.monitoring.testsupport.otlp.ReceivedSpans;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Monitoring.start() finds the tracing module: the real /metrics endpoint shows exemplars with the
 * trace id of a span the test created, and LLM calls become GenAI spans at an in-test OTLP/HTTP
 * receiver on loopback (standing in for Jaeger).
 */
class MonitoringWithTracingTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static Monitoring start(OtlpHttpReceiver receiver, boolean capture) {
    return Monitoring.builder("chat-service")
        .metricsHost("127.0.0.1")
        .metricsPort(0)
        .jvmMetrics(false)
        .config("tracing.otlp.endpoint", receiver.url().toString())
        .config("tracing.otlp.protocol", "http/protobuf")
        .config("tracing.capture.content", Boolean.toString(capture))
        .config("tracing.capture.max.length", "60")
        .start();
  }

  @Test
  void openMetricsScrapeCarriesTheTraceIdOfTheTestSpanAsExemplar() throws Exception {
    try (OtlpHttpReceiver receiver = OtlpHttpReceiver.start();
        Monitoring monitoring = start(receiver, false)) {
      AtomicReference<String> traceId = new AtomicReference<>();
      Spans.inSpan(
          "POST /chat",
          () -> {
            traceId.set(Spans.traceId());
            monitoring.monitor().http().record("POST", "/chat", 200, Duration.ofMillis(42));
            LlmCall call = monitoring.monitor().llm().start("openai", "gpt-4o", "chat");
            call.finish(12, 34);
          });

      HttpResponse<String> scrape =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:" + monitoring.metricsAddress().getPort() + "/metrics"))
                  .header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8")
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(scrape.statusCode()).isEqualTo(200);
      String exemplar = "trace_id=\"" + traceId.get() + "\"";
      assertThat(scrape.body().lines())
          .anySatisfy(
              line ->
                  assertThat(line)
                      .startsWith("http_server_requests_seconds_bucket{")
                      .contains(exemplar))
          .anySatisfy(
              line ->
                  assertThat(line)
                      .startsWith("gen_ai_client_operation_duration_seconds_bucket{")
                      .contains(exemplar));
      assertThat(scrape.body()).contains("monitoring_spans_total{outcome=\"dropped\"}");
    }
  }

  @Test
  void llmCallsBecomeGenAiSpansWithMaskedTruncatedPromptsWhenCaptureIsOn() throws Exception {
    try (OtlpHttpReceiver receiver = OtlpHttpReceiver.start();
        Monitoring monitoring = start(receiver, true)) {
      Spans.inSpan(
          "POST /chat",
          () -> {
            LlmCall ok = monitoring.monitor().llm().start("openai", "gpt-4o", "chat");
            ok.prompt(
                "use key sk-abcdefghijklmnopqrstuvwx and password=hunter2 " + "x".repeat(200));
            ok.firstChunk();
            ok.completion("Hello!");
            ok.finish(12, 34);
            LlmCall bad = monitoring.monitor().llm().start("anthropic", "claude-sonnet-4", "chat");
            bad.fail("timeout");
          });
      assertThat(monitoring.get(Tracing.class).flush(Duration.ofSeconds(10))).isTrue();
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  receiver.spans.named("chat gpt-4o").isPresent()
                      && receiver.spans.named("chat claude-sonnet-4").isPresent()
                      && receiver.spans.named("POST /chat").isPresent());

      ReceivedSpans.Received parent = receiver.spans.named("POST /chat").orElseThrow();
      ReceivedSpans.Received ok = receiver.spans.named("chat gpt-4o").orElseThrow();
      assertThat(ok.parentSpanId()).isEqualTo(parent.spanId());
      assertThat(ok.span().getKind())
          .isEqualTo(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT);
      assertThat(ok.attributes())
          .containsEntry("gen_ai.operation.name", "chat")
          .containsEntry("gen_ai.provider.name", "openai")
          .containsEntry("gen_ai.request.model", "gpt-4o")
          .containsEntry("gen_ai.usage.input_tokens", "12")
          .containsEntry("gen_ai.usage.output_tokens", "34")
          .doesNotContainKey("error.type");
      String prompt = ok.attributes().get("gen_ai.input.messages");
      assertThat(prompt)
          .contains("use key ****")
          .contains("password=****")
          .contains("[truncated")
          .doesNotContain("abcdefghijklmnop")
          .doesNotContain("hunter2");
      assertThat(ok.attributes().get("gen_ai.output.messages")).contains("Hello!");
      assertThat(ok.span().getEventsList()).anyMatch(e -> e.getName().equals("gen_ai.first_chunk"));
      assertThat(ok.resourceAttributes()).containsEntry("service.name", "chat-service");

      ReceivedSpans.Received bad = receiver.spans.named("chat claude-sonnet-4").orElseThrow();
      assertThat(bad.attributes())
          .containsEntry("error.type", "timeout")
          .containsEntry("gen_ai.provider.name", "anthropic");
      assertThat(bad.span().getStatus().getCode())
          .isEqualTo(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR);
    }
  }

  @Test
  void promptsAreNotCapturedByDefault() throws Exception {
    try (OtlpHttpReceiver receiver = OtlpHttpReceiver.start();
        Monitoring monitoring =
            Monitoring.builder("chat-service")
                .metricsHost("127.0.0.1")
                .metricsPort(0)
                .jvmMetrics(false)
                .config("tracing.otlp.endpoint", receiver.url().toString())
                .config("tracing.otlp.protocol", "http/protobuf")
                .start()) {
      LlmCall call = monitoring.monitor().llm().start("openai", "gpt-4o-mini", "chat");
      call.prompt("private question");
      call.finish(1, 1);
      assertThat(monitoring.get(Tracing.class).flush(Duration.ofSeconds(10))).isTrue();
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> receiver.spans.named("chat gpt-4o-mini").isPresent());
      assertThat(receiver.spans.named("chat gpt-4o-mini").orElseThrow().attributes())
          .doesNotContainKey("gen_ai.input.messages");
    }
  }
}
