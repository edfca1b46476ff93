package com.aicompanion.monitoring.benchmarks.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicompanion.monitoring.testsupport.otlp.OtlpHttpReceiver;
import com.aicompanion.monitoring.testsupport.otlp.ReceivedSpans;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Review 14b of the counting receiver ({@code ReceivedSpans(false)}, {@code
 * OtlpHttpReceiver.startCounting()}): shapes of requests the SDK does not send in
 * CountingReceiverTest, many senders at once, and the HTTP edge cases.
 */
class Review14bCountingReceiverTest {
  private static Span span(String name) {
    return Span.newBuilder()
        .setName(name)
        .setTraceId(ByteString.copyFrom(new byte[16]))
        .setSpanId(ByteString.copyFrom(new byte[8]))
        .build();
  }

  /** Resources without scopes, scopes without spans, several of each: 0 + 0 + 2 + 3 = 5 spans. */
  private static ExportTraceServiceRequest mixed() {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.getDefaultInstance())
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.getDefaultInstance()))
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(span("a")).addSpans(span("b")))
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .addSpans(span("c"))
                        .addSpans(span("d"))
                        .addSpans(span("e"))))
        .build();
  }

  /**
   * An empty request and requests whose resources have no scope spans, or scopes no spans, count as
   * requests with no spans; a mixed request counts exactly what a keeping receiver keeps.
   */
  @Test
  void emptyAndPartlyEmptyRequestsCountAsAKeepingReceiverKeeps() {
    ReceivedSpans counting = new ReceivedSpans(false);
    ReceivedSpans keeping = new ReceivedSpans(true);
    for (ReceivedSpans spans : List.of(counting, keeping)) {
      spans.add(ExportTraceServiceRequest.getDefaultInstance());
      spans.add(mixed());
    }

    assertThat(counting.requestCount()).isEqualTo(2).isEqualTo(keeping.requestCount());
    assertThat(counting.count()).isEqualTo(5).isEqualTo(keeping.count());
    assertThat(keeping.all()).hasSize(5);
    assertThatThrownBy(() -> counting.named("a")).isInstanceOf(IllegalStateException.class);
  }

  /**
   * The JDK server hands requests to several threads at once when the exporter sends in parallel: 8
   * threads adding 2,000 requests of 5 spans each lose no count.
   */
  @Test
  void manyThreadsAddingAtOnceLoseNoCount() throws Exception {
    ReceivedSpans counting = new ReceivedSpans(false);
    ExportTraceServiceRequest request = mixed();
    int threads = 8;
    int each = 2_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < each; i++) {
                    counting.add(request);
                    counting.count(); // reads interleaved with writes
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(counting.requestCount()).isEqualTo(threads * each);
    assertThat(counting.count()).isEqualTo(threads * each * 5);
  }

  /**
   * Over HTTP: a gzip-compressed request is decoded and counted; an empty body (the encoding of an
   * empty request) is answered 200 and counted as a request of no spans; a GET is answered 405 and
   * not counted.
   */
  @Test
  void overHttpGzipAndEmptyBodiesCountAndAGetDoesNot() throws Exception {
    try (OtlpHttpReceiver receiver = OtlpHttpReceiver.startCounting()) {
      HttpClient http = HttpClient.newHttpClient();
      ByteArrayOutputStream zipped = new ByteArrayOutputStream();
      try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
        gzip.write(mixed().toByteArray());
      }
      HttpRequest gzipPost =
          HttpRequest.newBuilder(receiver.url().resolve("/v1/traces"))
              .header("Content-Type", "application/x-protobuf")
              .header("Content-Encoding", "gzip")
              .POST(HttpRequest.BodyPublishers.ofByteArray(zipped.toByteArray()))
              .build();
      HttpRequest emptyPost =
          HttpRequest.newBuilder(receiver.url().resolve("/v1/traces"))
              .header("Content-Type", "application/x-protobuf")
              .POST(HttpRequest.BodyPublishers.noBody())
              .build();
      HttpRequest get = HttpRequest.newBuilder(receiver.url().resolve("/v1/traces")).GET().build();

      assertThat(http.send(gzipPost, HttpResponse.BodyHandlers.discarding()).statusCode())
          .isEqualTo(200);
      assertThat(http.send(emptyPost, HttpResponse.BodyHandlers.discarding()).statusCode())
          .isEqualTo(200);
      assertThat(http.send(get, HttpResponse.BodyHandlers.discarding()).statusCode())
          .isEqualTo(405);

      assertThat(receiver.spans.requestCount()).isEqualTo(2);
      assertThat(receiver.spans.count()).isEqualTo(5);
    }
  }
}
