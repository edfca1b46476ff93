package com.aicompanion.monitoring.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.LlmCallObserver;
import com.aicompanion.monitoring.Monitoring;
import com.aicompanion.monitoring.MonitoringConfig;
import com.aicompanion.monitoring.testsupport.SecretCorpus;
import com.aicompanion.monitoring.testsupport.otlp.OtlpHttpReceiver;
import com.aicompanion.monitoring.testsupport.otlp.ReceivedSpans;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The secret corpus on spans, exported with the real OTLP http/protobuf exporter to a receiver on
 * 127.0.0.1 that decodes the protobuf (Jaeger cannot run here): the exception event of a SERVER
 * span ({@code exception.message}, {@code exception.stacktrace}), attribute values, span names,
 * status descriptions and captured prompts and completions; attributes whose key is secret become
 * {@code "****"} whatever their type. One policy: the configuration's, shared with logging.
 */
class SpanMaskingOverOtlpTest {
  private static final AttributeKey<Long> CASE = AttributeKey.longKey("case.id");

  private Tracing tracing;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void close() {
    if (tracing != null) {
      tracing.close();
      tracing = null;
    }
  }

  private Tracing install(OtlpHttpReceiver receiver, MonitoringConfig config, SpanProcessor extra) {
    Tracing.Builder builder =
        Tracing.builder("span-mask-svc")
            .otlpEndpoint(receiver.url())
            .protocol("http/protobuf")
            .meterRegistry(registry)
            .captureContent(true)
            .captureMaxLength(100_000)
            .shutdownHook(false)
            .otelProperty("otel.bsp.schedule.delay", "100");
    if (config != null) {
      builder.config(config);
    }
    if (extra != null) {
      builder.spanProcessor(extra);
    }
    tracing = builder.install();
    return tracing;
  }

  private static MonitoringConfig withOptIns() {
    return MonitoringConfig.fromEnvironment("span-mask-svc")
        .withBuilderValues(
            Map.of("mask.patterns", SecretCorpus.USER_PATTERN, "mask.emails", "true"), Map.of());
  }

  @Test
  void noSecretOfTheCorpusReachesTheCollectorOnAnyPartOfASpan() throws Exception {
    List<SecretCorpus.Case> cases = new ArrayList<>(SecretCorpus.cases());
    cases.addAll(SecretCorpus.optIn());
    List<SpanData> seenByExtraProcessor = new CopyOnWriteArrayList<>();
    try (OtlpHttpReceiver receiver = OtlpHttpReceiver.start()) {
      install(receiver, withOptIns(), collecting(seenByExtraProcessor));
      LlmCallObserver llm = tracing.llmObserver();
      for (int i = 0; i < cases.size(); i++) {
        String text = cases.get(i).text();
        long id = i;
        // the SERVER span of a request whose handler fails: the exception event
        try {
          Spans.inServerSpan(
              "POST /chat",
              Map.of(),
              () -> {
                Span.current().setAttribute(CASE, id);
                Spans.attribute("request.body", text);
                Span.current()
                    .setAttribute(AttributeKey.stringArrayKey("request.lines"), List.of("a", text));
                throw new IllegalStateException("upstream said " + text);
              });
        } catch (IllegalStateException expected) {
          // recorded on the span, rethrown to the caller
        }
        // the text in the span name, an event and the status description
        Span named = tracing.tracer().spanBuilder("GET " + text).setAttribute(CASE, id).startSpan();
        named.addEvent("retry " + text);
        named.setStatus(StatusCode.ERROR, text);
        named.end();
        // a captured prompt and completion
        LlmCallObserver.Handle call = llm.onStart("openai", "gpt-4o", "chat");
        AutoCloseable scope = call.makeCurrent();
        Span.current().setAttribute(CASE, id);
        scope.close();
        call.onPrompt(text);
        call.onCompletion("as you asked: " + text);
        call.onFinish(1, 1);
        if (i % 100 == 99) {
          // keep within the export queue: the next chunk starts once this one has arrived
          assertThat(tracing.flush(Duration.ofSeconds(30))).isTrue();
          int sent = (i + 1) * 3;
          await()
              .atMost(Duration.ofSeconds(60))
              .untilAsserted(
                  () ->
                      assertThat(receiver.spans.all().size())
                          .as("spans received; %s", outcomes())
                          .isGreaterThanOrEqualTo(sent));
        }
      }
      assertThat(tracing.flush(Duration.ofSeconds(30))).isTrue();
      int expected = cases.size() * 3;
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(receiver.spans.all().size())
                      .as("spans received; exported/dropped/failed: %s", outcomes())
                      .isGreaterThanOrEqualTo(expected));

      List<String> failures = new ArrayList<>();
      List<ReceivedSpans.Received> received = receiver.spans.all();
      int withException = 0;
      for (int r = 0; r < received.size(); r++) {
        ReceivedSpans.Received span = received.get(r);
        String text = text(span.span());
        String caseId = span.attributes().get("case.id");
        List<SecretCorpus.Case> suspects =
            caseId != null ? List.of(cases.get(Integer.parseInt(caseId))) : cases;
        withException +=
            span.span().getEventsList().stream().anyMatch(e -> e.getName().equals("exception"))
                ? 1
                : 0;
        for (SecretCorpus.Case c : suspects) {
          List<String> leaks = SecretCorpus.leaks(text, c);
          if (!leaks.isEmpty()) {
            failures.add(c + "\n  -> " + text + "\n  leaks " + leaks);
          }
        }
      }
      assertThat(failures).isEmpty();
      assertThat(withException).isEqualTo(cases.size());
      // what the application's own span processor sees is masked the same way
      assertThat(seenByExtraProcessor).hasSizeGreaterThanOrEqualTo(expected);
      for (SpanData data : seenByExtraProcessor) {
        Long id = data.getAttributes().get(CASE);
        if (id != null) {
          SecretCorpus.Case c = cases.get(id.intValue());
          assertThat(SecretCorpus.leaks(data.toString(), c)).as(c.toString()).isEmpty();
        }
      }
    }
  }

  @Test
  void anAttributeWhoseKeyIsSecretArrivesMaskedWholeWhateverItsType() throws Exception {
    try (OtlpHttpReceiver receiver = OtlpHttpReceiver.start()) {
      install(receiver, null, null);
      Spans.inSpan(
          "typed",
          () -> {
            Spans.attribute("password", "plainPass4242");
            Spans.attribute("db_password_hash", 987654321L);
            Spans.attribute("client_secret_ratio", 0.4242);
            Spans.attribute("mfa_secret_enabled", true);
            Span.current()
                .setAttribute(
                    AttributeKey.stringArrayKey("api_keys"), List.of("arrKey1111", "arrKey2222"));
            Span.current().setAttribute(AttributeKey.longArrayKey("x-api-key"), List.of(4242L));
            Spans.attribute("input_tokens", 312L);
          });
      assertThat(tracing.flush(Duration.ofSeconds(10))).isTrue();
      await().atMost(Duration.ofSeconds(15)).until(() -> receiver.spans.named("typed").isPresent());
      ReceivedSpans.Received span = receiver.spans.named("typed").orElseThrow();
      Map<String, String> attributes = span.attributes();
      for (String key :
          List.of(
              "password",
              "db_password_hash",
              "client_secret_ratio",
              "mfa_secret_enabled",
              "api_keys",
              "x-api-key")) {
        assertThat(attributes).as(key).containsEntry(key, "****");
      }
      assertThat(attributes).containsEntry("input_tokens", "312");
      assertThat(text(span.span()))
          .doesNotContain("plainPass4242", "987654321", "0.4242", "arrKey1111", "4242");
    }
  }

  @Test
  void aloneTracingMasksTheServerSpansExceptionWithTheDefaultPolicy() throws Exception {
    String key = "sk-proj-" + "Ab12Cd34Ef56Gh78Ij90KlMn";
    try (OtlpHttpReceiver receiver = OtlpHttpReceiver.start()) {
      install(receiver, null, null);
      try {
        Spans.inServerSpan(
            "POST /chat",
            Map.of(),
            () -> {
              throw new IllegalStateException("upstream rejected api_key=" + key);
            });
      } catch (IllegalStateException expected) {
        // rethrown unchanged to the application
        assertThat(expected.getMessage()).contains(key);
      }
      assertThat(tracing.flush(Duration.ofSeconds(10))).isTrue();
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> receiver.spans.named("POST /chat").isPresent());
      var event = receiver.spans.named("POST /chat").orElseThrow().span().getEvents(0);
      Map<String, String> attributes = ReceivedSpans.attributes(event.getAttributesList());
      assertThat(attributes.get("exception.message")).isEqualTo("upstream rejected api_key=****");
      assertThat(attributes.get("exception.stacktrace"))
          .startsWith("java.lang.IllegalStateException: upstream rejected api_key=****")
          .doesNotContain(key);
    }
  }

  @Test
  void underMonitoringTracingUsesThePolicyLoggingUses() throws Exception {
    try (OtlpHttpReceiver receiver = OtlpHttpReceiver.start();
        Monitoring monitoring =
            Monitoring.builder("span-mask-svc")
                .metricsHost("127.0.0.1")
                .metricsPort(0)
                .jvmMetrics(false)
                .config("tracing.otlp.endpoint", receiver.url().toString())
                .config("tracing.otlp.protocol", "http/protobuf")
                .config("mask.patterns", SecretCorpus.USER_PATTERN)
                .start()) {
      assertThat(monitoring.get(Tracing.class).masking()).isSameAs(monitoring.config().masking());
      Spans.inSpan("lookup CUST-123456", () -> Spans.attribute("customer", "CUST-654321"));
      assertThat(monitoring.get(Tracing.class).flush(Duration.ofSeconds(10))).isTrue();
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> receiver.spans.named("lookup ****").isPresent());
      assertThat(receiver.spans.named("lookup ****").orElseThrow().attributes())
          .containsEntry("customer", "****");
    }
  }

  private String outcomes() {
    StringBuilder out = new StringBuilder();
    for (String outcome : List.of("exported", "dropped", "failed")) {
      var counter = registry.find("monitoring.spans").tag("outcome", outcome).counter();
      out.append(outcome).append('=').append(counter == null ? 0 : counter.count()).append(' ');
    }
    return out.toString();
  }

  /** Every text of a received span: name, status, attributes, events and links. */
  static String text(io.opentelemetry.proto.trace.v1.Span span) {
    StringBuilder out = new StringBuilder(span.getName()).append('\n');
    out.append(span.getStatus().getMessage()).append('\n');
    append(out, span.getAttributesList());
    for (var event : span.getEventsList()) {
      out.append(event.getName()).append('\n');
      append(out, event.getAttributesList());
    }
    for (var link : span.getLinksList()) {
      append(out, link.getAttributesList());
    }
    return out.toString();
  }

  private static void append(StringBuilder out, List<KeyValue> attributes) {
    for (KeyValue kv : attributes) {
      out.append(kv.getKey()).append('=');
      append(out, kv.getValue());
      out.append('\n');
    }
  }

  private static void append(StringBuilder out, AnyValue value) {
    switch (value.getValueCase()) {
      case STRING_VALUE -> out.append(value.getStringValue());
      case INT_VALUE -> out.append(value.getIntValue());
      case DOUBLE_VALUE -> out.append(value.getDoubleValue());
      case BOOL_VALUE -> out.append(value.getBoolValue());
      case ARRAY_VALUE -> value.getArrayValue().getValuesList().forEach(v -> append(out, v));
      case KVLIST_VALUE -> append(out, value.getKvlistValue().getValuesList());
      case BYTES_VALUE -> out.append(value.getBytesValue().toStringUtf8());
      default -> {
        // empty
      }
    }
  }

  private static SpanProcessor collecting(List<SpanData> into) {
    return new SpanProcessor() {
      @Override
      public void onStart(Context parentContext, ReadWriteSpan span) {}

      @Override
      public boolean isStartRequired() {
        return false;
      }

      @Override
      public void onEnd(ReadableSpan span) {
        into.add(span.toSpanData());
      }

      @Override
      public boolean isEndRequired() {
        return true;
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }
    };
  }
}
