package com.aicompanion.monitoring.benchmarks.scale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scale and load harness that {@code benchmarks/run.sh} runs after JMH: scrape time and size
 * for 1k/10k/100k series (ours and client_java's), heap bytes per series, health latency with
 * 1/10/50 checks, and wrk against {@code /metrics} and {@code /health} under recording load. Writes
 * one JSON file for the report generator. Everything listens on 127.0.0.1 and port 0.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar \
 *     com.aicompanion.monitoring.benchmarks.scale.ScaleHarness benchmarks/results/scale.json [--quick] [--only=scrape,heap,health,load]
 * }</pre>
 *
 * <p>{@code --quick} runs small sizes and 5 s of wrk, to check that the harness works.
 */
public final class ScaleHarness {
  private static final Logger LOG = LoggerFactory.getLogger(ScaleHarness.class);

  private ScaleHarness() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      throw new IllegalArgumentException(
          "usage: ScaleHarness <output.json> [--quick] [--only=scrape,heap,health,load]");
    }
    java.util.List<String> options = java.util.List.of(args).subList(1, args.length);
    boolean quick = options.contains("--quick");
    String only =
        options.stream().filter(o -> o.startsWith("--only=")).findFirst().orElse("--only=all");
    java.util.Set<String> sections =
        only.equals("--only=all")
            ? java.util.Set.of("scrape", "heap", "health", "load")
            : java.util.Set.of(only.substring("--only=".length()).split(","));
    // Tracing is on the classpath: no OTLP export from the harness, no network beyond loopback.
    System.setProperty("otel.traces.exporter", System.getProperty("otel.traces.exporter", "none"));
    Map<String, Object> results = new LinkedHashMap<>();
    int[] sizes = quick ? new int[] {1_000, 10_000} : new int[] {1_000, 10_000, 100_000};
    if (sections.contains("scrape")) {
      LOG.info("scrape scale {}", java.util.Arrays.toString(sizes));
      results.put("scrape", new ScrapeScale(sizes).run());
    }
    if (sections.contains("heap")) {
      LOG.info("heap per series");
      results.put("heap", new HeapPerSeries(sizes).run());
    }
    if (sections.contains("health")) {
      LOG.info("health latency");
      results.put("health", new HealthLatency(new int[] {1, 10, 50}, quick ? 200 : 500).run());
    }
    if (sections.contains("load")) {
      Duration wrkTime = Duration.ofSeconds(quick ? 5 : 30);
      LOG.info("endpoint load with wrk, {} per endpoint", wrkTime);
      results.put("load", new EndpointLoad(50, wrkTime, 1).run());
    }
    Path out = Path.of(args[0]);
    Files.createDirectories(out.toAbsolutePath().getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), results);
    LOG.info("wrote {}", out);
  }
}
