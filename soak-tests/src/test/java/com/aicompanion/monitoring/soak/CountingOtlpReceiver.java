package com.aicompanion.monitoring.soak;

import com.aicompanion.monitoring.testsupport.FreePort;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OTLP/HTTP endpoint on 127.0.0.1 that accepts {@code POST /v1/traces} and only counts requests
 * and bytes: the soak needs an endpoint that goes away and comes back, not decoded spans (and a
 * protobuf decoder would clash with OpenSearch's protobuf 3 on this classpath).
 *
 * <pre>{@code
 * CountingOtlpReceiver otlp = CountingOtlpReceiver.start();
 * otlp.stop();
 * otlp.restart();   // same port
 * }</pre>
 */
final class CountingOtlpReceiver implements AutoCloseable {
  private final int port = FreePort.find();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private HttpServer server;

  static CountingOtlpReceiver start() {
    CountingOtlpReceiver receiver = new CountingOtlpReceiver();
    receiver.restart();
    return receiver;
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  long requests() {
    return requests.get();
  }

  long bytes() {
    return bytes.get();
  }

  synchronized void restart() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind the OTLP receiver to port " + port, e);
    }
    server.createContext(
        "/v1/traces",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            bytes.addAndGet(in.readAllBytes().length);
          }
          requests.incrementAndGet();
          exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
  }

  synchronized void stop() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  @Override
  public void close() {
    stop();
  }
}
