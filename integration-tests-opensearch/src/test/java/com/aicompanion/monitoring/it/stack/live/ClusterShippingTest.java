package com.aicompanion.monitoring.it.stack.live;

import static com.aicompanion.monitoring.it.stack.live.LiveFiles.JSON;
import static com.aicompanion.monitoring.it.stack.live.LiveFiles.json;
import static com.aicompanion.monitoring.it.stack.live.LiveFiles.stackDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.logging.JsonLogging;
import com.aicompanion.monitoring.testsupport.opensearch.OpenSearchCluster;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log path to a cluster: the logging module ships to a real two-node OpenSearch 2.19 cluster in
 * this JVM ({@link OpenSearchCluster}) with the cluster template of {@code
 * stack/scale-out/opensearch} (one replica), one node is stopped while events are being logged, and
 * every event logged before, during and after arrives once.
 *
 * <p><b>Which node is stopped.</b> Both nodes are cluster-manager-eligible, but with two such nodes
 * the voting configuration holds only one (OpenSearch keeps it at an odd size, so that a majority
 * exists): the node that bootstrapped the cluster and was elected. Stopping that one would leave
 * the other without a quorum: no cluster manager, and writes blocked. So the test stops the node
 * that is neither the elected cluster manager nor in the voting configuration (it checks both
 * first); the cluster then loses no quorum, promotes the replica of any primary that node held and
 * keeps accepting writes. (In production: three cluster-manager-eligible nodes, so any one may go;
 * {@code stack/scale-out/opensearch/README.md}.) The shipper lists that node first, so it is the
 * node the shipper is sending to when it stops, and the shipper must fail over.
 *
 * <p>Ids are {@code <storeId>-<sequence>}: a batch sent again after the node went away mid-request
 * is refused as a duplicate (409, counted as shipped), so the count of documents is exact.
 */
class ClusterShippingTest {
  private static final String LOGGER = "com.example.chat.ClusterShipping";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  @Test
  void theClusterTemplateHasTheOneMachineMappingsAndOnlyItsOwnSettings() throws IOException {
    JsonNode single =
        JSON.readTree(stackDir().resolve("elasticsearch/index-template.json").toFile());
    JsonNode cluster =
        JSON.readTree(stackDir().resolve("scale-out/opensearch/index-template.json").toFile());
    assertThat(cluster.path("template").path("mappings"))
        .as(
            "the mappings of scale-out/opensearch/index-template.json must be those of"
                + " elasticsearch/index-template.json (copy them over)")
        .isEqualTo(single.path("template").path("mappings"));
    for (String field : List.of("index_patterns", "data_stream", "priority")) {
      assertThat(cluster.path(field)).as(field).isEqualTo(single.path(field));
    }
    JsonNode settings = cluster.path("template").path("settings");
    assertThat(settings.path("index.number_of_replicas").asInt()).isEqualTo(1);
    assertThat(settings.path("index.number_of_shards").asInt()).isEqualTo(1);
    assertThat(settings.has("index.lifecycle.name"))
        .as("OpenSearch refuses ILM's setting; its lifecycle is the ISM policy")
        .isFalse();
    JsonNode ism =
        JSON.readTree(stackDir().resolve("scale-out/opensearch/ism-policy.json").toFile());
    assertThat(ism.path("policy").path("ism_template").path(0).path("index_patterns"))
        .isEqualTo(single.path("index_patterns"));
    assertThat(Files.readString(stackDir().resolve("scale-out/opensearch/setup.sh")))
        .contains("_plugins/_ism/policies/logs-companion")
        .contains("_index_template/logs-companion");
  }

  @Test
  void eventsLoggedBeforeDuringAndAfterANodeStopsAllArriveOnce() throws Exception {
    try (OpenSearchCluster cluster = OpenSearchCluster.start(2)) {
      int victim = nodeToStop(cluster);
      int survivor = 1 - victim;
      JsonNode template =
          JSON.readTree(stackDir().resolve("scale-out/opensearch/index-template.json").toFile());
      HttpResponse<String> put =
          cluster.request(survivor, "PUT", "/_index_template/logs-companion", template.toString());
      assertThat(put.statusCode()).as("cluster template: %s", put.body()).isEqualTo(200);

      ByteArrayOutputStream console = new ByteArrayOutputStream();
      AtomicInteger logged = new AtomicInteger();
      JsonLogging logging =
          JsonLogging.builder("cluster-svc")
              .output(console)
              .elasticsearch(List.of(cluster.uri(victim), cluster.uri(survivor)))
              .config("elasticsearch.flush.interval", "100ms")
              .config("elasticsearch.max.backoff", "1s")
              .config("elasticsearch.spool", "false")
              .meterRegistry(new SimpleMeterRegistry())
              .install();
      String dataStream = logging.dataStream();
      try {
        for (int i = 0; i < 100; i++) {
          log(logged, "before");
        }
        await("the first 100 events in " + dataStream)
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> count(cluster, survivor, dataStream, true) == 100);
        JsonNode health =
            json(
                cluster.request(
                    survivor,
                    "GET",
                    "/_cluster/health/" + dataStream + "?wait_for_status=green&timeout=30s",
                    null));
        assertThat(health.path("status").asText())
            .as("primary and replica allocated on the two nodes: %s", health)
            .isEqualTo("green");
        JsonNode settings =
            json(cluster.request(survivor, "GET", "/" + dataStream + "/_settings", null))
                .elements()
                .next()
                .path("settings")
                .path("index");
        assertThat(settings.path("number_of_replicas").asText()).isEqualTo("1");

        // one event per poll while the node stops: the application goes on logging meanwhile
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> cluster.stop(victim));
        await("node " + cluster.name(victim) + " stopped")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(20))
            .until(
                () -> {
                  log(logged, "during");
                  return stopping.isDone();
                });
        stopping.join();
        for (int i = 0; i < 100; i++) {
          log(logged, "after");
        }
        await("all " + logged + " events on the surviving node")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> count(cluster, survivor, dataStream, true) == logged.get());
      } finally {
        logging.close();
      }
      assertThat(logged.get()).as("events logged during the stop").isGreaterThan(200);
      assertThat(logging.droppedEvents()).as("dropped").isZero();
      assertThat(logging.failedEvents()).as("failed").isZero();
      assertThat(count(cluster, survivor, dataStream, true))
          .as("documents of the test's logger")
          .isEqualTo(logged.get());
      assertThat(logging.shippedEvents())
          .as("every line shipped (the test's events and the library's own lines) is a document")
          .isEqualTo(count(cluster, survivor, dataStream, false));

      String out = console.toString(StandardCharsets.UTF_8);
      String failover = "node " + cluster.uri(victim) + " of the cluster failed";
      assertThat(occurrences(out, failover))
          .as("one WARN for the node's going down, naming it:%n%s", out)
          .isEqualTo(1);
      assertThat(out).contains("requests go to the next node, " + cluster.uri(survivor));
    }
  }

  /**
   * The node that is neither the elected cluster manager nor in the voting configuration: stopping
   * it leaves the quorum intact (see the class comment). Fails if the cluster is not as expected.
   */
  private static int nodeToStop(OpenSearchCluster cluster) {
    JsonNode state =
        json(
            cluster.request(
                0,
                "GET",
                "/_cluster/state/cluster_manager_node,metadata?filter_path=cluster_manager_node,"
                    + "metadata.cluster_coordination.last_committed_config",
                null));
    String elected = state.path("cluster_manager_node").asText();
    List<String> voting = new ArrayList<>();
    state
        .path("metadata")
        .path("cluster_coordination")
        .path("last_committed_config")
        .forEach(id -> voting.add(id.asText()));
    assertThat(voting)
        .as("two eligible nodes: the voting configuration holds the elected one only (%s)", state)
        .containsExactly(elected);
    JsonNode nodes =
        json(cluster.request(
                0, "GET", "/_nodes/http?filter_path=nodes.*.http.publish_address", null))
            .path("nodes");
    for (int i = 0; i < cluster.size(); i++) {
      String address = "127.0.0.1:" + cluster.uri(i).getPort();
      var ids = nodes.fieldNames();
      while (ids.hasNext()) {
        String id = ids.next();
        boolean thisNode =
            nodes.path(id).path("http").path("publish_address").asText().endsWith(address);
        if (thisNode && !id.equals(elected) && !voting.contains(id)) {
          return i;
        }
      }
    }
    throw new AssertionError("no node outside the voting configuration: " + state + " " + nodes);
  }

  private static void log(AtomicInteger logged, String phase) {
    LOG.info("chat event {} {}", phase, logged.incrementAndGet());
  }

  /**
   * Documents in {@code dataStream} (only the test logger's when {@code ours}), after a refresh.
   */
  private static long count(OpenSearchCluster cluster, int node, String dataStream, boolean ours) {
    cluster.request(node, "POST", "/" + dataStream + "/_refresh", null);
    String query =
        ours
            ? "{\"query\":{\"term\":{\"log.logger\":\"" + LOGGER + "\"}}}"
            : "{\"query\":{\"match_all\":{}}}";
    HttpResponse<String> r = cluster.request(node, "POST", "/" + dataStream + "/_count", query);
    return r.statusCode() == 200 ? json(r).path("count").asLong() : -1;
  }

  private static int occurrences(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
