package com.aicompanion.monitoring;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/** Starts Monitoring on 127.0.0.1 and an ephemeral port, isolated from the process environment. */
final class TestMonitoring {
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestMonitoring() {}

  static Monitoring.Builder builder(String service) {
    return builder(service, Map.of(), new Properties());
  }

  static Monitoring.Builder builder(
      String service, Map<String, String> env, Properties properties) {
    return Monitoring.builder(service)
        .sources(env, properties)
        .registerGlobal(false)
        .shutdownHook(false)
        .metricsHost("127.0.0.1")
        .metricsPort(0)
        .jvmMetrics(true);
  }

  /** System properties for a test: {@code props("monitoring.metrics.port", "0", ...)}. */
  static Properties props(String... pairs) {
    Properties p = new Properties();
    for (int i = 0; i < pairs.length; i += 2) {
      p.setProperty(pairs[i], pairs[i + 1]);
    }
    return p;
  }

  static URI uri(Monitoring monitoring, String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + monitoring.metricsAddress().getPort() + pathAndQuery);
  }

  static HttpResponse<String> get(Monitoring monitoring, String pathAndQuery) {
    return send(HttpRequest.newBuilder(uri(monitoring, pathAndQuery)).GET().build());
  }

  static String scrape(Monitoring monitoring) {
    HttpResponse<String> response = get(monitoring, "/metrics");
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "GET /metrics answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
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
}
