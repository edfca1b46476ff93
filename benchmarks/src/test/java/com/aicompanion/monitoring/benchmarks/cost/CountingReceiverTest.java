package com.aicompanion.monitoring.benchmarks.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicompanion.monitoring.testsupport.otlp.OtlpHttpReceiver;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The request-cost harness's receivers count what they decode without keeping it: the SDK's own
 * OTLP/HTTP exporter sends real protobuf to one, and the count is exact.
 */
class CountingReceiverTest {
  @Test
  void aCountingReceiverDecodesAndCountsEverySpanAndKeepsNone() throws Exception {
    try (OtlpHttpReceiver receiver = OtlpHttpReceiver.startCounting()) {
      SdkTracerProvider provider = exportingTo(receiver);
      Tracer tracer = provider.get("counting-receiver-test");
      for (int i = 0; i < 1_234; i++) {
        tracer.spanBuilder("span-" + i).startSpan().end();
      }
      assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      provider.close();

      assertThat(receiver.spans.count()).isEqualTo(1_234);
      // batches of at most 100: at least 13 export requests
      assertThat(receiver.spans.requestCount()).isGreaterThanOrEqualTo(13);
      assertThatThrownBy(receiver.spans::all)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("OtlpHttpReceiver.start()");
    }
  }

  @Test
  void aKeepingReceiverCountsWhatItKeeps() throws Exception {
    try (OtlpHttpReceiver receiver = OtlpHttpReceiver.start()) {
      SdkTracerProvider provider = exportingTo(receiver);
      provider.get("counting-receiver-test").spanBuilder("one").startSpan().end();
      assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      provider.close();

      assertThat(receiver.spans.count()).isEqualTo(1).isEqualTo(receiver.spans.all().size());
      assertThat(receiver.spans.named("one")).isPresent();
    }
  }

  /** The SDK exporting to {@code receiver} over OTLP/HTTP, in batches of at most 100 spans. */
  private static SdkTracerProvider exportingTo(OtlpHttpReceiver receiver) {
    return SdkTracerProvider.builder()
        .addSpanProcessor(
            BatchSpanProcessor.builder(
                    OtlpHttpSpanExporter.builder()
                        .setEndpoint(receiver.url() + "/v1/traces")
                        .build())
                .setMaxExportBatchSize(100)
                .build())
        .build();
  }
}
