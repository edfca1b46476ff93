package com.aicompanion.monitoring.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.health.CheckResult.Status;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP check against a real JDK HTTP server on 127.0.0.1. */
class HttpCheckTest {
  private final CountDownLatch release = new CountDownLatch(1);
  private HttpServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/ok", respond(204));
    server.createContext("/broken", respond(500));
    server.createContext(
        "/slow",
        exchange -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  @AfterEach
  void stopServer() {
    release.countDown();
    server.stop(0);
  }

  private static com.sun.net.httpserver.HttpHandler respond(int status) {
    return exchange -> {
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    };
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  @Test
  void statusInRangePassesWithLatency() throws Exception {
    CheckResult result = HealthChecks.http(uri("/ok")).check();

    assertThat(result.status()).isEqualTo(Status.PASS);
    assertThat(result.observedUnit()).isEqualTo("ms");
  }

  @Test
  void statusOutsideRangeFailsNamingIt() throws Exception {
    CheckResult result = HealthChecks.http(uri("/broken")).check();

    assertThat(result.status()).isEqualTo(Status.FAIL);
    assertThat(result.output()).isEqualTo("HTTP 500, expected 200-399");
  }

  /** Issue 11, case 11, for HTTP: a relay that stops forwarding, then forwards again. */
  @Test
  void serverBehindARelayThatStopsForwardingFailsInTimeAndPassesOnceItForwardsAgain() {
    try (TcpRelay relay = TcpRelay.start(server.getAddress().getPort());
        HealthRegistry health =
            HealthRegistry.builder()
                .meterRegistry(new SimpleMeterRegistry())
                .cacheInterval(Duration.ZERO)
                .build()) {
      URI viaRelay = URI.create("http://127.0.0.1:" + relay.port() + "/ok");
      health.register(
          "api",
          HealthChecks.http(viaRelay),
          CheckOptions.critical().timeout(Duration.ofMillis(800)));
      assertThat(health.check().status()).isEqualTo(Status.PASS);

      relay.stopForwarding();
      long begin = System.nanoTime();
      CheckResult frozen = health.check().checks().get("api");
      long tookMs = (System.nanoTime() - begin) / 1_000_000;

      assertThat(tookMs).isLessThan(1200);
      assertThat(frozen.status()).isEqualTo(Status.FAIL);
      assertThat(frozen.output()).startsWith("HttpTimeoutException: ");
      assertThat(health.abandonedRuns("api")).isZero();

      relay.resumeForwarding();
      await().atMost(Duration.ofSeconds(3)).until(() -> health.check().status() == Status.PASS);
    }
  }

  @Test
  void slowServerTimesOut() {
    HealthCheck check = HealthChecks.http(uri("/slow"), 200, 299, Duration.ofMillis(300));

    assertThatThrownBy(check::check).isInstanceOf(HttpTimeoutException.class);
  }
}
