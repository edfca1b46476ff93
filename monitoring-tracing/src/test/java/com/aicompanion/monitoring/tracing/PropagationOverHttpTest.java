package com.aicompanion.monitoring.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.testsupport.otlp.ReceivedSpans;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Trace context and baggage travel through real HTTP between two in-test servers on 127.0.0.1: the
 * front server calls the back server with {@link Spans#inject(HttpRequest.Builder)}, the back
 * server continues the trace with {@link Spans#inServerSpan}; spans go to a loopback OTLP receiver.
 */
@SuppressWarnings("try") // scopes are closed by try-with-resources, never named
class PropagationOverHttpTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private HttpServer front;
  private HttpServer back;

  @BeforeEach
  @AfterEach
  void reset() {
    if (front != null) {
      front.stop(0);
      back.stop(0);
    }
  }

  @Test
  void traceContextAndBaggageRoundTripBetweenTwoRealServers() throws Exception {
    try (OtlpGrpcReceiver receiver = OtlpGrpcReceiver.start();
        Tracing tracing =
            Tracing.builder("frontend")
                .otlpEndpoint(receiver.url())
                .meterRegistry(new SimpleMeterRegistry())
                .install()) {
      back = server();
      back.createContext(
          "/answer",
          exchange ->
              respond(
                  exchange,
                  Spans.inServerSpan(
                      "GET /answer",
                      exchange.getRequestHeaders(),
                      () ->
                          Span.current().getSpanContext().getTraceId()
                              + " "
                              + Baggage.current().getEntryValue("user.tier"))));
      back.start();
      front = server();
      front.createContext(
          "/chat",
          exchange ->
              respond(
                  exchange,
                  Spans.inServerSpan(
                      "GET /chat",
                      exchange.getRequestHeaders(),
                      () -> {
                        try (Scope ignored =
                            Baggage.current().toBuilder()
                                .put("user.tier", "pro")
                                .build()
                                .makeCurrent()) {
                          HttpRequest.Builder call = HttpRequest.newBuilder(url(back, "/answer"));
                          Spans.inject(call);
                          return Spans.traceId() + " -> " + send(call.build());
                        }
                      })));
      front.start();

      // the client starts the trace itself, so the front server must continue it too
      Map<String, String> headers = new HashMap<>();
      String[] clientTrace = new String[1];
      Spans.inSpan(
          "client",
          () -> {
            clientTrace[0] = Spans.traceId();
            Spans.inject(headers);
          });
      assertThat(headers).containsKey("traceparent");
      HttpRequest.Builder first = HttpRequest.newBuilder(url(front, "/chat"));
      headers.forEach(first::header);
      String answer = send(first.build());

      // front trace -> back trace and baggage, all one trace
      assertThat(answer).isEqualTo(clientTrace[0] + " -> " + clientTrace[0] + " pro");

      assertThat(tracing.flush(Duration.ofSeconds(10))).isTrue();
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  receiver.spans.named("GET /answer").isPresent()
                      && receiver.spans.named("GET /chat").isPresent());
      ReceivedSpans.Received chat = receiver.spans.named("GET /chat").orElseThrow();
      ReceivedSpans.Received answerSpan = receiver.spans.named("GET /answer").orElseThrow();
      ReceivedSpans.Received client = receiver.spans.named("client").orElseThrow();
      assertThat(chat.parentSpanId()).isEqualTo(client.spanId());
      assertThat(answerSpan.parentSpanId()).isEqualTo(chat.spanId());
      assertThat(answerSpan.traceId()).isEqualTo(client.traceId());
    }
  }

  @Test
  void extractReadsHeadersWhateverTheirCase() {
    try (Tracing tracing =
        Tracing.builder("extract").meterRegistry(new SimpleMeterRegistry()).install()) {
      String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
      String traceId =
          Span.fromContext(Spans.extract(Map.of("TraceParent", traceparent)))
              .getSpanContext()
              .getTraceId();
      assertThat(traceId).isEqualTo("0af7651916cd43dd8448eb211c80319c");
      assertThat(tracing.otlpProtocol()).isEqualTo("grpc");
    }
  }

  private static HttpServer server() throws IOException {
    return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
  }

  private static URI url(HttpServer server, String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  private static String send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void respond(HttpExchange exchange, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
