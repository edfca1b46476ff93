package com.aicompanion.monitoring.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Probes a {@link HealthRegistry} either directly or through real HTTP on loopback (a JDK server
 * with {@link HealthHttpHandler}, details shown), and gives both answers the same shape, so that
 * each lifecycle case runs on both paths.
 */
final class Prober implements AutoCloseable {
  /** The path a probe takes. */
  enum Via {
    REGISTRY,
    HTTP
  }

  /** One probe's answer. */
  record Answer(int httpStatus, CheckResult.Status status, Map<String, Check> checks) {
    Check check(String name) {
      Check check = checks.get(name);
      if (check == null) {
        throw new AssertionError("no check " + name + " in " + checks);
      }
      return check;
    }
  }

  /** One check in an answer. */
  record Check(CheckResult.Status status, String output) {}

  private final Via via;
  private final HealthRegistry registry;
  private final HttpServer server;
  private final ExecutorService executor;

  Prober(Via via, HealthRegistry registry) {
    this.via = via;
    this.registry = registry;
    if (via == Via.HTTP) {
      try {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      executor = Executors.newCachedThreadPool();
      server.setExecutor(executor);
      server.createContext("/health", new HealthHttpHandler(registry, HealthDetails.ALWAYS, null));
      server.start();
    } else {
      server = null;
      executor = null;
    }
  }

  /** All checks ({@code /health}). */
  Answer all() {
    return via == Via.REGISTRY ? of(registry.check()) : get("/health");
  }

  /** The readiness group ({@code /health/ready}). */
  Answer ready() {
    return via == Via.REGISTRY
        ? of(registry.check(CheckOptions.Group.READINESS))
        : get("/health/ready");
  }

  /** The liveness group ({@code /health/live}). */
  Answer live() {
    return via == Via.REGISTRY
        ? of(registry.check(CheckOptions.Group.LIVENESS))
        : get("/health/live");
  }

  private static Answer of(HealthReport report) {
    Map<String, Check> checks = new TreeMap<>();
    report.checks().forEach((name, r) -> checks.put(name, new Check(r.status(), r.output())));
    return new Answer(report.httpStatus(), report.status(), checks);
  }

  private Answer get(String path) {
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    HttpResponse<String> response = TestHttp.send(HttpRequest.newBuilder(uri).GET().build());
    JsonNode body = TestHttp.json(response.body());
    Map<String, Check> checks = new TreeMap<>();
    for (Map.Entry<String, JsonNode> field : body.path("checks").properties()) {
      JsonNode check = field.getValue().path(0);
      checks.put(
          field.getKey(),
          new Check(
              status(check.path("status").asText()),
              check.has("output") ? check.path("output").asText() : null));
    }
    return new Answer(response.statusCode(), status(body.path("status").asText()), checks);
  }

  private static CheckResult.Status status(String text) {
    return CheckResult.Status.valueOf(text.toUpperCase(java.util.Locale.ROOT));
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
    }
  }
}
