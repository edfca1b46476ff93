package com.aicompanion.monitoring.soak;

import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.testsupport.FreePort;
import com.aicompanion.monitoring.testsupport.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;

/**
 * OpenSearch 2.19 ({@link OpenSearchMain}) as a child JVM on 127.0.0.1: {@link #stop()} kills it,
 * {@link #restart()} starts it on the same port and data.
 *
 * <pre>{@code
 * try (OpenSearchProcess node = OpenSearchProcess.start()) {
 *   node.stop();
 *   node.restart();
 *   long docs = node.count("logs-ai-companion-soak");
 * }
 * }</pre>
 */
final class OpenSearchProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final ServerProcess server;

  private OpenSearchProcess(ServerProcess server) {
    this.server = server;
  }

  static OpenSearchProcess start() {
    try {
      Path home = Files.createTempDirectory("soak-opensearch");
      int httpPort = FreePort.find();
      Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
      List<String> command =
          List.of(
              java.toString(),
              "-Xms512m",
              "-Xmx512m",
              "-XX:+UseSerialGC",
              "-cp",
              System.getProperty("java.class.path"),
              OpenSearchMain.class.getName(),
              home.toString(),
              Integer.toString(httpPort),
              Integer.toString(FreePort.find()));
      OpenSearchProcess node =
          new OpenSearchProcess(
              ServerProcess.start("opensearch", command, home, httpPort, START_TIMEOUT));
      node.awaitHealthy();
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for OpenSearch", e);
    }
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  /** Kills the process (SIGKILL) and waits until the port is closed. */
  void stop() {
    server.stop();
  }

  /** Starts it again on the same port and data, and waits for a yellow cluster. */
  void restart() {
    server.start(START_TIMEOUT);
    awaitHealthy();
  }

  /** Refreshes {@code index} and returns its document count. */
  long count(String index) {
    request("POST", "/" + index + "/_refresh");
    String body = request("GET", "/" + index + "/_count");
    String digits = body.replaceAll(".*\"count\":(\\d+).*", "$1");
    return Long.parseLong(digits.trim());
  }

  /** Refreshes {@code index} and counts the documents matching {@code query} (a JSON body). */
  long countQuery(String index, String query) {
    request("POST", "/" + index + "/_refresh");
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(uri().resolve("/" + index + "/_count"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(query))
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "_count answered " + response.statusCode() + ": " + response.body());
      }
      return Long.parseLong(response.body().replaceAll(".*\"count\":(\\d+).*", "$1").trim());
    } catch (IOException e) {
      throw new UncheckedIOException("_count failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  String request(String method, String path) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(uri().resolve(path))
                  .method(method, HttpRequest.BodyPublishers.noBody())
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            method + " " + path + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void awaitHealthy() {
    await("OpenSearch on " + uri() + " healthy")
        .atMost(START_TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () -> {
              request("GET", "/_cluster/health?wait_for_status=yellow&timeout=5s");
              return true;
            });
  }

  String tail() {
    return server.tail();
  }

  @Override
  public void close() {
    server.stop();
  }
}
