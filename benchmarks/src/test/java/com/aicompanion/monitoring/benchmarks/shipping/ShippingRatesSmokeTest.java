package com.aicompanion.monitoring.benchmarks.shipping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipping harness in {@code --quick} mode against a live OpenSearch node in a child JVM (the
 * way {@code benchmarks/run.sh} starts it, with this test's classpath), checking that every section
 * of its JSON is there with values that could only come from a working run. Figures are not judged:
 * performance is read from the full run, not asserted here.
 */
class ShippingRatesSmokeTest {
  @TempDir Path dir;

  @Test
  void quickRunAgainstALiveNodeWritesEverySectionWithSaneValues() throws Exception {
    Path out = dir.resolve("shipping.json");

    ShippingRates.run(
        List.of(
            out.toString(),
            "--quick",
            "--node-classpath=" + System.getProperty("java.class.path"),
            "--node-heap=512m"));

    JsonNode json = new ObjectMapper().readTree(out.toFile());
    assertThat(json.path("mode").asText()).isEqualTo("quick");
    assertThat(json.path("node").path("version").asText()).startsWith("2.");
    assertThat(json.path("machine").path("load_before")).hasSize(3);
    assertThat(json.path("machine").path("load_after")).hasSize(3);
    assertThat(json.path("batch_size").asInt()).isPositive();
    assertThat(json.path("event").path("document_bytes").asLong()).isBetween(200L, 2_000L);

    // (a) the node's capacity, 1 and 2 senders of the shipper's bodies with their ids, and (a') 2
    // senders without ids: every acknowledged document is in the index (ids never collide)
    assertThat(json.path("capacity")).hasSize(3);
    List<Boolean> ids = new ArrayList<>();
    json.path("capacity").forEach(row -> ids.add(row.path("document_ids").asBoolean()));
    assertThat(ids).containsExactly(true, true, false);
    for (JsonNode senders : json.path("capacity")) {
      assertThat(senders.path("median").asDouble()).isPositive();
      JsonNode run = senders.path("runs").path(0);
      assertThat(run.path("failed_requests").asLong()).isZero();
      assertThat(run.path("documents").asLong()).isEqualTo(run.path("acknowledged").asLong());
    }
    assertThat(json.path("capacity_docs_per_s").asDouble()).isPositive();
    assertThat(json.path("capacity_without_ids_docs_per_s").asDouble()).isPositive();

    // (b) the lowest rate: every event logged was shipped and is in the index
    JsonNode lowest = json.path("rates").path(0);
    assertThat(lowest.path("rate").asInt()).isEqualTo(2_000);
    JsonNode run = lowest.path("runs").path(0);
    assertThat(run.path("produced").asLong()).isEqualTo(2_000);
    assertThat(run.path("dropped").asLong()).isZero();
    assertThat(run.path("failed").asLong()).isZero();
    assertThat(run.path("shipped").asLong())
        .isEqualTo(run.path("logged").asLong())
        .isGreaterThanOrEqualTo(2_000);
    assertThat(run.path("documents").asLong()).isEqualTo(run.path("shipped").asLong());

    // (b') the shipper without ids at 0.9x of (a'): its runs shipped what they logged, once each
    JsonNode withoutIds = json.path("without_ids");
    assertThat(withoutIds.path("rate").asInt())
        .isGreaterThanOrEqualTo(
            (int) (0.9 * json.path("capacity_without_ids_docs_per_s").asDouble()));
    for (JsonNode noIdRun : withoutIds.path("runs")) {
      assertThat(noIdRun.path("failed").asLong()).isZero();
      assertThat(noIdRun.path("documents").asLong()).isEqualTo(noIdRun.path("shipped").asLong());
    }
    assertThat(withoutIds.path("runs")).isNotEmpty();

    JsonNode saturated = json.path("saturated");
    assertThat(saturated.path("median").asDouble()).isPositive();
    JsonNode saturatedRun = saturated.path("runs").path(0);
    assertThat(saturatedRun.path("dropped").asLong()).isZero();
    assertThat(saturatedRun.path("documents").asLong())
        .isEqualTo(saturatedRun.path("shipped").asLong())
        .isGreaterThanOrEqualTo(saturatedRun.path("events").asLong());

    // (c) the file reference wrote every event
    JsonNode file = json.path("file");
    assertThat(file.path("median").asDouble()).isPositive();
    assertThat(file.path("runs").path(0).path("lines").asLong())
        .isEqualTo(file.path("runs").path(0).path("events").asLong());
  }
}
