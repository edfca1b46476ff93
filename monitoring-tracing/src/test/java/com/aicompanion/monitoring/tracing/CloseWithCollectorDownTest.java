package com.aicompanion.monitoring.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.testsupport.otlp.OtlpHttpReceiver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link Tracing#close()} with spans still queued: nothing listening at the collector's address
 * (gRPC, the default, which retries a refused connection for seconds), a collector that died while
 * an export waited for its answer, one that accepts connections but never answers, and a working
 * one (an in-test OTLP/HTTP receiver on loopback).
 */
class CloseWithCollectorDownTest {
  private static final int SPANS = 40;

  @Test
  void closeWithNothingListeningIsQuickAndCountsQueuedSpansAsDropped() throws IOException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Tracing tracing =
        queueing(URI.create("http://127.0.0.1:" + portNobodyListensOn()), "grpc", registry)
            .shutdownTimeout(Duration.ofSeconds(10))
            .install();
    createSpans();

    long start = System.nanoTime();
    tracing.close();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(took).as("close() with the collector down").isLessThan(Duration.ofSeconds(2));
    assertThat(count(registry, "dropped")).isEqualTo(SPANS);
    assertThat(count(registry, "exported")).isZero();
    assertThat(count(registry, "failed")).isZero();
  }

  @Test
  void closeWhileAnExportWaitsOnACollectorThatDiedDropsAtOnce() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    // takes the exporter's first connection, then stops listening: the export waits for an answer
    // that never comes, and nothing accepts a new connection
    ServerSocket dying = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    AtomicReference<Socket> held = new AtomicReference<>();
    Thread collector =
        new Thread(
            () -> {
              try {
                Socket first = dying.accept();
                dying.close();
                held.set(first);
              } catch (IOException e) {
                // the test fails on its await below
              }
            },
            "dying-collector");
    collector.start();
    Tracing tracing =
        Tracing.builder("closing")
            .otlpEndpoint(URI.create("http://127.0.0.1:" + dying.getLocalPort()))
            .meterRegistry(registry)
            .shutdownHook(false)
            .otelProperty("otel.bsp.schedule.delay", "20")
            .otelProperty("otel.exporter.otlp.timeout", "30000")
            .shutdownTimeout(Duration.ofSeconds(10))
            .install();
    try {
      createSpans();
      await().atMost(Duration.ofSeconds(20)).until(() -> held.get() != null);

      long start = System.nanoTime();
      tracing.close();
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(took).as("close() during a hanging export").isLessThan(Duration.ofSeconds(2));
      assertThat(count(registry, "dropped")).isEqualTo(SPANS);
      assertThat(count(registry, "failed")).isZero();
    } finally {
      tracing.close();
      dying.close();
      if (held.get() != null) {
        held.get().close();
      }
    }
  }

  @Test
  void closeWithASilentCollectorStopsAtTheDeadlineAndCountsDropped() throws IOException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    // accepts TCP connections (the kernel completes them) but never reads or answers
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Tracing tracing =
          queueing(URI.create("http://127.0.0.1:" + silent.getLocalPort()), "grpc", registry)
              .otelProperty("otel.exporter.otlp.timeout", "30000")
              .shutdownTimeout(Duration.ofMillis(500))
              .install();
      createSpans();

      long start = System.nanoTime();
      tracing.close();
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(took).as("close() is bounded by its deadline").isLessThan(Duration.ofSeconds(3));
      assertThat(count(registry, "dropped")).isEqualTo(SPANS);
      assertThat(count(registry, "exported")).isZero();
    }
  }

  @Test
  void closeWithAWorkingCollectorSendsEveryQueuedSpan() throws IOException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (OtlpHttpReceiver receiver = OtlpHttpReceiver.start()) {
      Tracing tracing =
          queueing(receiver.url(), "http/protobuf", registry)
              .shutdownTimeout(Duration.ofSeconds(20))
              .install();
      createSpans();

      tracing.close();

      assertThat(receiver.spans.all()).hasSize(SPANS);
      assertThat(count(registry, "exported")).isEqualTo(SPANS);
      assertThat(count(registry, "dropped")).isZero();
    }
  }

  /** A Tracing whose batch processor holds every span until close (no scheduled export). */
  private static Tracing.Builder queueing(
      URI endpoint, String protocol, SimpleMeterRegistry registry) {
    return Tracing.builder("closing")
        .otlpEndpoint(endpoint)
        .protocol(protocol)
        .meterRegistry(registry)
        .shutdownHook(false)
        .otelProperty("otel.bsp.schedule.delay", "600000");
  }

  private static void createSpans() {
    for (int i = 0; i < SPANS; i++) {
      Spans.inSpan("queued-" + i, () -> {});
    }
  }

  private static int portNobodyListensOn() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static double count(SimpleMeterRegistry registry, String outcome) {
    return registry.get("monitoring.spans").tag("outcome", outcome).counter().count();
  }
}
