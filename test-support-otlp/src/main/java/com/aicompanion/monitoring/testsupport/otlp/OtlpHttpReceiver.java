package com.aicompanion.monitoring.testsupport.otlp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP receiver on 127.0.0.1 that decodes the real protobuf at {@code POST /v1/traces}, as
 * Jaeger's port 4318 would, and at {@code POST /v1/metrics}, as an OpenTelemetry Collector would.
 * Stands in for Jaeger, which cannot run here. Tests name it in their class names.
 */
public final class OtlpHttpReceiver implements AutoCloseable {
  public final ReceivedSpans spans;
  public final ReceivedMetrics metrics = new ReceivedMetrics();
  private HttpServer server;
  private int port;

  private OtlpHttpReceiver(boolean keepSpans) {
    this.spans = new ReceivedSpans(keepSpans);
  }

  /** A receiver on a free port that keeps every span it decodes, for tests to read. */
  public static OtlpHttpReceiver start() throws IOException {
    OtlpHttpReceiver receiver = new OtlpHttpReceiver(true);
    receiver.listen(0);
    return receiver;
  }

  /**
   * A receiver on a free port that decodes every span it receives but only counts them ({@link
   * ReceivedSpans#count()}), for loads of hours or millions of spans, such as benchmarks.
   */
  public static OtlpHttpReceiver startCounting() throws IOException {
    OtlpHttpReceiver receiver = new OtlpHttpReceiver(false);
    receiver.listen(0);
    return receiver;
  }

  private void listen(int wanted) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted), 0);
    server.createContext("/v1/traces", this::handle);
    server.createContext("/v1/metrics", this::handleMetrics);
    server.start();
    port = server.getAddress().getPort();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:PORT}; the exporter appends {@code /v1/traces}. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Stops listening, as a collector that went down. */
  public void stop() {
    server.stop(0);
  }

  /** Listens again on the same port. */
  public void restart() throws IOException {
    listen(port);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = body(exchange);
      if (body == null) {
        return;
      }
      spans.add(ExportTraceServiceRequest.parseFrom(body));
      respond(exchange, ExportTraceServiceResponse.getDefaultInstance().toByteArray());
    }
  }

  private void handleMetrics(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = body(exchange);
      if (body == null) {
        return;
      }
      metrics.add(
          ExportMetricsServiceRequest.parseFrom(body),
          exchange.getRequestHeaders().getFirst("Authorization"));
      respond(exchange, ExportMetricsServiceResponse.getDefaultInstance().toByteArray());
    }
  }

  /** The request body, un-gzipped; {@code null} after answering 405 to anything but POST. */
  private static byte[] body(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestMethod().equals("POST")) {
      exchange.sendResponseHeaders(405, -1);
      return null;
    }
    InputStream body = exchange.getRequestBody();
    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      body = new GZIPInputStream(body);
    }
    return body.readAllBytes();
  }

  private static void respond(HttpExchange exchange, byte[] response) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
    exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
    if (response.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
