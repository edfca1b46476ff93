package com.aicompanion.monitoring.health;

import com.aicompanion.monitoring.Monitoring;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Real HTTP against Monitoring's endpoint server on 127.0.0.1, and JSON parsing with Jackson. */
final class TestHttp {
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final ObjectMapper JSON = new ObjectMapper();

  private TestHttp() {}

  /** Monitoring on 127.0.0.1 and an ephemeral port, with this module found by ServiceLoader. */
  static Monitoring.Builder monitoring(String service) {
    return Monitoring.builder(service)
        .metricsHost("127.0.0.1")
        .metricsPort(0)
        .jvmMetrics(false)
        .config("health.refresh.interval", "0");
  }

  static URI uri(Monitoring monitoring, String path) {
    return URI.create("http://127.0.0.1:" + monitoring.metricsAddress().getPort() + path);
  }

  static HttpResponse<String> get(Monitoring monitoring, String path) {
    return send(HttpRequest.newBuilder(uri(monitoring, path)).GET().build());
  }

  static HttpResponse<String> get(Monitoring monitoring, String path, String token) {
    return send(
        HttpRequest.newBuilder(uri(monitoring, path))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build());
  }

  static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("request to " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }

  static String scrape(Monitoring monitoring) {
    return get(monitoring, "/metrics").body();
  }
}
