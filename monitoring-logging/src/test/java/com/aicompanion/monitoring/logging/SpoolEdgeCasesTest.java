package com.aicompanion.monitoring.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.MonitoringException;
import com.aicompanion.monitoring.testsupport.FreePort;
import com.aicompanion.monitoring.testsupport.opensearch.OpenSearchExtension;
import com.aicompanion.monitoring.testsupport.opensearch.OpenSearchNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Review of issue 13 item 5 through JsonLogging: a truncated newest segment, a small spool with big
 * events, an unusable directory on a read-only file system.
 */
@ExtendWith(OpenSearchExtension.class)
class SpoolEdgeCasesTest {
  private static final String TEST_LOGGER = "com.example.chat.SpoolProbe";
  private static final Logger LOG = LoggerFactory.getLogger(TEST_LOGGER);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final LineSink sink = new LineSink();
  private JsonLogging logging;

  @AfterEach
  void close() {
    if (logging != null) {
      logging.close();
    }
  }

  private JsonLogging install(String service, URI url, MeterRegistry meters, String... config) {
    JsonLogging.Builder builder =
        JsonLogging.builder(service)
            .output(sink)
            .elasticsearch(url)
            .config("elasticsearch.flush.interval", "100ms")
            .config("elasticsearch.max.backoff", "300ms")
            .config("log.close.timeout", "2s")
            .meterRegistry(meters);
    for (int i = 0; i < config.length; i += 2) {
      builder.config(config[i], config[i + 1]);
    }
    logging = builder.install();
    return logging;
  }

  private static URI deadNode() {
    return URI.create("http://127.0.0.1:" + FreePort.find());
  }

  private static long testDocuments(OpenSearchNode node, String dataStream) {
    node.request("POST", "/" + dataStream + "/_refresh", null);
    var response =
        node.request(
            "POST",
            "/" + dataStream + "/_count",
            "{\"query\":{\"term\":{\"log.logger\":\"" + TEST_LOGGER + "\"}}}");
    if (response.statusCode() != 200) {
      return -1;
    }
    try {
      return JSON.readTree(response.body()).path("count").asLong();
    } catch (IOException e) {
      return -1;
    }
  }

  private static double meter(MeterRegistry meters, String name) {
    var meter = meters.find(name).meter();
    assertThat(meter).as(name).isNotNull();
    return meter.measure().iterator().next().getValue();
  }

  private static List<Path> segments(Path spool) throws IOException {
    try (Stream<Path> files = Files.list(spool)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".seg")).sorted().toList();
    }
  }

  private static long diskBytes(Path spool) throws IOException {
    long sum = 0;
    for (Path p : segments(spool)) {
      sum += Files.size(p);
    }
    return sum;
  }

  @Test
  void theNewestSegmentCutByAFewBytesLosesOnlyTheLastRecord(OpenSearchNode node)
      throws IOException {
    Path spool = dir.resolve("spool");
    install(
        "cut-svc", deadNode(), new SimpleMeterRegistry(), "elasticsearch.spool.dir", "" + spool);
    for (int i = 0; i < 300; i++) {
      LOG.info("cut {} with some text to give the line a realistic length", i);
    }
    String dataStream = logging.dataStream();
    logging.close();
    assertThat(logging.droppedEvents()).isZero();
    List<Path> segs = segments(spool);
    assertThat(segs).isNotEmpty();
    Path newest = segs.get(segs.size() - 1);
    long size = Files.size(newest);
    try (RandomAccessFile file = new RandomAccessFile(newest.toFile(), "rw")) {
      file.setLength(size - 5);
    }
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    install("cut-svc", node.uri(), meters, "elasticsearch.spool.dir", "" + spool);
    await().atMost(Duration.ofSeconds(60)).until(() -> testDocuments(node, dataStream) >= 299);
    double corrupt = meter(meters, "monitoring.log.spool.corrupt.records");
    assertThat(testDocuments(node, dataStream)).isEqualTo(299);
    assertThat(corrupt).isEqualTo(1.0);
  }

  @Test
  void aOneMebibyteSpoolWithManyEventsStaysInItsBoundAndCountsWhatItDrops() throws IOException {
    Path spool = dir.resolve("spool");
    install(
        "tiny-svc",
        deadNode(),
        new SimpleMeterRegistry(),
        "elasticsearch.spool.dir",
        "" + spool,
        "elasticsearch.spool.bytes",
        "1048576");
    String body = "x".repeat(1_000);
    for (int i = 0; i < 2000; i++) {
      LOG.info("sz {} {}", i, body);
    }
    LOG.info("huge {}", "y".repeat(2_000_000));
    logging.close();
    assertThat(diskBytes(spool)).isLessThanOrEqualTo(1 << 20).isGreaterThan(900_000);
    // about 1,000 lines of 1 KB fit; the rest and the 2 MB line are dropped and counted
    assertThat(logging.droppedEvents()).isBetween(1000L, 1300L);
  }

  @Test
  void aSpoolDirOnAReadOnlyFileSystemFailsTheSetUpNamingIt() {
    // tests may run as root, for whom permissions do not make a directory read-only
    String ro = "/proc/self/spool-review";
    assertThatThrownBy(
            () ->
                install(
                    "ro-svc", deadNode(), new SimpleMeterRegistry(), "elasticsearch.spool.dir", ro))
        .isInstanceOf(MonitoringException.class)
        .hasMessageContaining(ro)
        .hasMessageContaining("MONITORING_ELASTICSEARCH_SPOOL=false");
    logging = null;
  }
}
