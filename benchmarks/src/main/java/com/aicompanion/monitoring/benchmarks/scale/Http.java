package com.aicompanion.monitoring.benchmarks.scale;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

/**
 * Timed sequential GETs on loopback with the JDK client: the latency of each full response (headers
 * and body read) and the body size as sent (compressed when gzip was asked for).
 *
 * <pre>{@code
 * Http.Timings t = new Http().get(uri, "text/plain", false, 3, 20);
 * double p50 = t.percentileMillis(50);
 * }</pre>
 */
final class Http {
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** Latencies in nanoseconds, sorted, and the size of the last body. */
  record Timings(long[] nanos, long bytes, int status) {
    double percentileMillis(double p) {
      int index = (int) Math.ceil(p / 100.0 * nanos.length) - 1;
      return nanos[Math.max(0, Math.min(nanos.length - 1, index))] / 1e6;
    }
  }

  /**
   * {@code warmups} untimed requests, then {@code runs} timed ones; fails on any status but 200.
   */
  Timings get(URI uri, String accept, boolean gzip, int warmups, int runs)
      throws IOException, InterruptedException {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
    if (accept != null) {
      builder.header("Accept", accept);
    }
    if (gzip) {
      builder.header("Accept-Encoding", "gzip");
    }
    HttpRequest request = builder.build();
    long[] nanos = new long[runs];
    long bytes = 0;
    int status = 0;
    for (int i = -warmups; i < runs; i++) {
      long start = System.nanoTime();
      HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      long took = System.nanoTime() - start;
      status = response.statusCode();
      if (status != 200) {
        throw new IOException("GET " + uri + " answered " + status);
      }
      if (gzip && !"gzip".equals(response.headers().firstValue("Content-Encoding").orElse(""))) {
        throw new IOException("GET " + uri + " ignored Accept-Encoding: gzip");
      }
      bytes = response.body().length;
      if (i >= 0) {
        nanos[i] = took;
      }
    }
    Arrays.sort(nanos);
    return new Timings(nanos, bytes, status);
  }
}
