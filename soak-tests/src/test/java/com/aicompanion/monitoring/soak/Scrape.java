package com.aicompanion.monitoring.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Reads sample values from the real {@code /metrics} endpoint.
 *
 * <pre>{@code
 * double failed = new Scrape(port).value("monitoring_spans_total", "outcome=\"failed\"");
 * }</pre>
 */
final class Scrape {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI uri;

  Scrape(int port) {
    this.uri = URI.create("http://127.0.0.1:" + port + "/metrics");
  }

  /** GETs another path of the endpoint server and returns the status. */
  int get(String path) throws IOException, InterruptedException {
    return HTTP.send(
            HttpRequest.newBuilder(uri.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** The sum of the samples of {@code name} whose labels contain {@code labelFragment}. */
  double value(String name, String labelFragment) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET /metrics answered " + response.statusCode());
    }
    double sum = 0;
    for (String line : response.body().split("\n")) {
      if ((line.startsWith(name + "{") || line.startsWith(name + " "))
          && line.contains(labelFragment)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }
}
