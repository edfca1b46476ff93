package com.aicompanion.monitoring.testsupport.otlp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
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
 * Jaeger's port 4318 would. Stands in for Jaeger, which cannot run here. Tests name it in their
 * class names.
 */
public final class OtlpHttpReceiver implements AutoCloseable {
  public final ReceivedSpans spans = new ReceivedSpans();
  private HttpServer server;
  private int port;

  public static OtlpHttpReceiver start() throws IOException {
    OtlpHttpReceiver receiver = new OtlpHttpReceiver();
    receiver.listen(0);
    return receiver;
  }

  private void listen(int wanted) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted), 0);
    server.createContext("/v1/traces", this::handle);
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
      if (!exchange.getRequestMethod().equals("POST")) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      InputStream body = exchange.getRequestBody();
      if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
        body = new GZIPInputStream(body);
      }
      spans.add(ExportTraceServiceRequest.parseFrom(body.readAllBytes()));
      byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
      if (response.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(response);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
