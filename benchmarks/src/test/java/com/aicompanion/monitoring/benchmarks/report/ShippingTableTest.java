package com.aicompanion.monitoring.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShippingTableTest {
  @TempDir Path root;

  private static final String SHIPPING =
      """
      {"generated":"2026-12-01T10:00:00Z","mode":"full","command":"java -cp x ShippingRates out",
       "machine":{"cpus":2,"load_before":[0.5,0.4,0.3],"load_after":[1.5,1.0,0.5]},
       "node":{"where":"child JVM","version":"2.19.1"},
       "event":{"call":"logger.info(..)","document_bytes":450},
       "batch_size":500,"lag_limit_s":2.5,"goal":0.9,
       "capacity":[{"min":30000.0,"median":32000.0,"runs":[{},{},{}],"senders":1},
                   {"min":38000.0,"median":40000.0,"runs":[{},{},{}],"senders":2}],
       "capacity_docs_per_s":40000.0,
       "rates":[
         {"rate":10000,"goal_rate":false,"clean":true,"runs":[
           {"achieved_per_s":10000.0,"logged":150001,"shipped":150001,"dropped":0,"failed":0,
            "documents":150001,"max_backlog":900,"lag_s":1.1,"clean":true},
           {"achieved_per_s":10000.0,"logged":150001,"shipped":150001,"dropped":0,"failed":0,
            "documents":150001,"max_backlog":800,"lag_s":1.0,"clean":true}]},
         {"rate":20000,"goal_rate":false,"clean":false,"runs":[
           {"achieved_per_s":20000.0,"logged":300001,"shipped":290001,"dropped":10000,"failed":0,
            "documents":290001,"max_backlog":10000,"lag_s":"NaN","clean":false}]}],
       "highest_clean_rate":10000,"first_failing_rate":20000,
       "saturated":{"min":20000.0,"median":22000.0,
                    "runs":[{"events":200000,"backlog_limit":5000}]},
       "file":{"min":300000.0,"median":310000.0,"runs":[{"events":500000}]}}
      """;

  @Test
  void reportsFiguresRatiosToCapacityAndEveryPacedRun() throws Exception {
    Path results = Files.createDirectories(root.resolve("benchmarks/results"));
    Files.writeString(results.resolve("shipping.json"), SHIPPING);

    ReportGenerator.main(new String[] {root.toString()});

    String md = Files.readString(root.resolve("BENCHMARKS.md"));
    assertThat(md).contains("## Log shipping with a live node (`ShippingRates`)");
    assertThat(md)
        .contains("load average (1, 5, 15 min) before 0.50 0.40 0.30, after 1.50 1.00 0.50");
    assertThat(md).contains("1 sender | 3 | 30,000 docs/s | 32,000 docs/s |");
    assertThat(md).contains("2 concurrent senders | 3 | 38,000 docs/s | 40,000 docs/s |");
    // 10,000 / 40,000 (the higher median of (a))
    assertThat(md).contains("| 2 | | 10,000 events/s | **0.25x** | ≥ 0.9x: **missed** |");
    assertThat(md).contains("| 1 | 20,000 events/s | 22,000 events/s | 0.55x | |");
    assertThat(md).contains("| 1 | 300,000 events/s | 310,000 events/s | | |");
    assertThat(md).contains("(here 20,000 events/s)");
    assertThat(md)
        .contains(
            "| 20,000 | 1 | 20,000 | 300,001 | 290,001 | 10,000 | 0 | 290,001 | 10,000 |"
                + " not measured | **no** |");
    assertThat(md).contains("| 10,000 | 2 | 10,000 | 150,001 |");
  }

  @Test
  void reportsTheCapacityWithoutIdsAndTheShipperWithoutIdsBesideIt() throws Exception {
    String withIds =
        SHIPPING
            .replace(
                "\"runs\":[{},{},{}],\"senders\":2}]",
                "\"runs\":[{},{},{}],\"senders\":2,\"document_ids\":true},"
                    + "{\"min\":48000.0,\"median\":50000.0,\"runs\":[{},{},{}],\"senders\":2,"
                    + "\"document_ids\":false}]")
            .replace(
                "\"capacity_docs_per_s\":40000.0,",
                "\"capacity_docs_per_s\":40000.0,\"capacity_without_ids_docs_per_s\":50000.0,"
                    + "\"without_ids\":{\"rate\":45000,\"clean\":false,"
                    + "\"ratio_to_capacity_without_ids\":0.9,\"runs\":["
                    + "{\"achieved_per_s\":45000.0,\"logged\":675001,\"shipped\":675001,"
                    + "\"dropped\":0,\"failed\":0,\"documents\":675001,\"max_backlog\":60000,"
                    + "\"lag_s\":3.2,\"clean\":false}]},");
    Path results = Files.createDirectories(root.resolve("benchmarks/results"));
    Files.writeString(results.resolve("shipping.json"), withIds);

    ReportGenerator.main(new String[] {root.toString()});

    String md = Files.readString(root.resolve("BENCHMARKS.md"));
    assertThat(md)
        .contains(
            "| (a') reference: node ingest capacity: pre-encoded documents as raw `_bulk` bodies"
                + " without document ids (`create` with ids the node generates), 2 concurrent"
                + " senders | 3 | 48,000 docs/s | 50,000 docs/s |");
    assertThat(md).contains("with the shipper's action lines (`create` with its document ids)");
    // 10,000 / 50,000
    assertThat(md).contains("| 0.20x | ≥ 0.9x: missed |");
    // a run that was not clean misses the goal even at 0.9x
    assertThat(md)
        .contains(
            "(45,000 events/s), clean in every run | 1 | | **not clean** | 0.90x of (a') | ≥"
                + " 0.9x: **missed** |");
    assertThat(md).contains("| 45,000 without ids (b') | 1 | 45,000 | 675,001 |");
  }

  @Test
  void saysSoWhenTheHarnessDidNotRun() throws Exception {
    Files.createDirectories(root.resolve("benchmarks/results"));

    ReportGenerator.main(new String[] {root.toString()});

    assertThat(Files.readString(root.resolve("BENCHMARKS.md")))
        .contains("Not measured in this run (no `benchmarks/results/shipping.json`).");
  }
}
