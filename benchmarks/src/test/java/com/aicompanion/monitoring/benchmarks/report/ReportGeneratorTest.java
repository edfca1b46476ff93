package com.aicompanion.monitoring.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportGeneratorTest {
  @TempDir Path root;

  private static String result(String method, double score, double bytes) {
    return "{\"benchmark\":\"com.aicompanion.monitoring.benchmarks.core."
        + method
        + "\","
        + "\"mode\":\"avgt\",\"threads\":1,\"params\":{},"
        + "\"primaryMetric\":{\"score\":"
        + score
        + ",\"scoreError\":1.0,\"scoreUnit\":\"ns/op\"},"
        + "\"secondaryMetrics\":{\"gc.alloc.rate.norm\":{\"score\":"
        + bytes
        + "}}}";
  }

  @Test
  void reportsRatioToAnchorAndMarksMissedTargets() throws Exception {
    Path results = Files.createDirectories(root.resolve("benchmarks/results"));
    Files.writeString(
        results.resolve("jmh-t1.json"),
        "["
            + result("CounterBenchmark.facadeIncrementCounter", 30, 0)
            + ","
            + result("CounterBenchmark.micrometerBuilderRegisterIncrement", 60, 112)
            + ","
            + result("CounterBenchmark.facadeBoundCounter", 5, 0)
            + ","
            + result("CounterBenchmark.micrometerHeldCounter", 5, 0)
            + "]");
    Files.writeString(results.resolve("machine.txt"), "CPU: 2 cores\n");
    Files.writeString(
        results.resolve("scale.json"),
        "{\"heap\":[{\"library\":\"ours\",\"series\":1000,\"bytes_per_series\":700.0},"
            + "{\"library\":\"micrometer\",\"series\":1000,\"bytes_per_series\":350.0},"
            + "{\"library\":\"client_java\",\"series\":1000,\"bytes_per_series\":500.0}]}");

    ReportGenerator.main(new String[] {root.toString()});

    String md = Files.readString(root.resolve("BENCHMARKS.md"));
    assertThat(md).contains("- CPU: 2 cores");
    assertThat(md).contains("**0.50x**").contains("≤ 0.35x, ≤ 16 B/op: **missed**");
    assertThat(md).contains("**1.00x**").contains("≤ 1.1x: **met**");
    assertThat(md).contains("| 1,000 | 700 | 350 | 500 | 2.00x | 1.40x |");
    assertThat(root.resolve("docs/benchmarks/heap-per-series.png")).isNotEmptyFile();
    assertThat(new HotPathTable(JmhResults.load(results.resolve("jmh-t1.json"))).missedTargets())
        .containsExactly("CounterBenchmark.facadeIncrementCounter");
  }
}
