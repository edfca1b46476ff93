package com.aicompanion.monitoring.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JMH's JSON results (one file per thread count), keyed by {@code Class.method} plus {@code
 * [param=value]} and the thread count.
 *
 * <pre>{@code
 * JmhResults jmh = JmhResults.load(Path.of("benchmarks/results/jmh-t1.json"));
 * jmh.find("CounterBenchmark.longAdderFloor", 1).map(JmhResults.Result::score);
 * }</pre>
 */
final class JmhResults {
  /** One benchmark's primary score and error, unit, and allocation per operation (NaN if none). */
  record Result(
      String id, int threads, double score, double error, String unit, double bytesPerOp) {
    boolean throughput() {
      return unit.startsWith("ops/");
    }
  }

  private final Map<String, Result> byKey = new LinkedHashMap<>();

  static JmhResults load(Path... files) throws IOException {
    JmhResults results = new JmhResults();
    ObjectMapper mapper = new ObjectMapper();
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        continue;
      }
      for (JsonNode node : mapper.readTree(file.toFile())) {
        Result result = parse(node);
        results.byKey.put(result.id() + "@" + result.threads(), result);
      }
    }
    return results;
  }

  private static Result parse(JsonNode node) {
    String full = node.path("benchmark").asText();
    String[] parts = full.split("\\.");
    StringBuilder id = new StringBuilder(parts[parts.length - 2] + "." + parts[parts.length - 1]);
    JsonNode params = node.path("params");
    for (Map.Entry<String, JsonNode> param : params.properties()) {
      id.append('[')
          .append(param.getKey())
          .append('=')
          .append(param.getValue().asText())
          .append(']');
    }
    JsonNode primary = node.path("primaryMetric");
    double bytes = Double.NaN;
    for (Map.Entry<String, JsonNode> metric : node.path("secondaryMetrics").properties()) {
      if (metric.getKey().endsWith("gc.alloc.rate.norm")) {
        bytes = metric.getValue().path("score").asDouble();
      }
    }
    return new Result(
        id.toString(),
        node.path("threads").asInt(),
        primary.path("score").asDouble(),
        primary.path("scoreError").asDouble(Double.NaN),
        primary.path("scoreUnit").asText(),
        bytes);
  }

  /**
   * Benchmarks renamed since results were last recorded, new id to former id, so that a report
   * regenerated from older results still finds them (until the next full run replaces them).
   */
  static final Map<String, String> FORMER_IDS =
      Map.of(
          "ShippingNodeDownBenchmark.infoNeverBlocksWhileNodeDown",
          "ShippingThroughputBenchmark.infoWithShippingOnAndNodeDown");

  Optional<Result> find(String id, int threads) {
    Result result = byKey.get(id + "@" + threads);
    if (result == null && FORMER_IDS.containsKey(id)) {
      result = byKey.get(FORMER_IDS.get(id) + "@" + threads);
    }
    return Optional.ofNullable(result);
  }

  List<Result> all() {
    return new ArrayList<>(byKey.values());
  }

  boolean isEmpty() {
    return byKey.isEmpty();
  }
}
