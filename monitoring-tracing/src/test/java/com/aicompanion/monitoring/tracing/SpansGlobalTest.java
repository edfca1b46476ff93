package com.aicompanion.monitoring.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Spans} without a {@code Tracing} of this library, over whatever {@code
 * GlobalOpenTelemetry} holds (the Java agent's, the application's): a global set later is seen at
 * once, and once set it is read without {@code GlobalOpenTelemetry}'s lock.
 */
class SpansGlobalTest {
  /** Keeps the names of the spans the SDK ends. */
  private static final class Names implements SpanExporter {
    final List<String> names = new CopyOnWriteArrayList<>();

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      spans.forEach(s -> names.add(s.getName()));
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  private final List<OpenTelemetrySdk> sdks = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    assertThat(TracingInstaller.CURRENT.current()).as("no Tracing of ours installed").isNull();
    GlobalOpenTelemetry.resetForTest();
    Spans.forgetGlobalForTest();
  }

  @AfterEach
  void tearDown() {
    GlobalOpenTelemetry.resetForTest();
    Spans.forgetGlobalForTest();
    sdks.forEach(OpenTelemetrySdk::close);
  }

  private OpenTelemetrySdk sdk(Names sink) {
    OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(sink))
                    .build())
            .build();
    sdks.add(sdk);
    return sdk;
  }

  private static boolean tracedWork() {
    return Spans.inSpan("work", () -> Span.current().getSpanContext().isValid());
  }

  @Test
  void aGlobalSetAfterTheFirstCallsIsUsedAtTheNextOne() {
    assertThat(tracedWork()).as("no global: the work runs without a span").isFalse();

    Names sink = new Names();
    GlobalOpenTelemetry.set(sdk(sink));

    assertThat(tracedWork()).isTrue();
    assertThat(sink.names).containsExactly("work");
  }

  @Test
  void aSetGlobalIsKeptEvenIfATestResetsIt() {
    Names first = new Names();
    GlobalOpenTelemetry.set(sdk(first));
    assertThat(tracedWork()).isTrue();

    Names second = new Names();
    GlobalOpenTelemetry.resetForTest();
    GlobalOpenTelemetry.set(sdk(second));

    assertThat(tracedWork()).isTrue();
    assertThat(first.names).as("read once, then kept").containsExactly("work", "work");
    assertThat(second.names).isEmpty();

    Spans.forgetGlobalForTest();
    tracedWork();
    assertThat(second.names).as("after the test hook, read again").containsExactly("work");
  }

  @Test
  void theNoOpSetAsTheGlobalIsSetForGoodAndTracesNothing() {
    // an early GlobalOpenTelemetry.get() sets the no-op for good (OpenTelemetry wraps what is set)
    GlobalOpenTelemetry.set(OpenTelemetry.noop());

    assertThat(tracedWork()).isFalse();
    assertThat(Spans.global())
        .isSameAs(GlobalOpenTelemetry.get())
        .isNotSameAs(OpenTelemetry.noop());
    assertThat(tracedWork()).isFalse();
  }

  @Test
  void whileNoGlobalIsSetItIsReadAgainAtEveryCall() {
    assertThat(Spans.global()).isSameAs(OpenTelemetry.noop());
    Names sink = new Names();
    OpenTelemetrySdk sdk = sdk(sink);
    GlobalOpenTelemetry.set(sdk);
    assertThat(Spans.global()).isSameAs(GlobalOpenTelemetry.get());
  }
}
