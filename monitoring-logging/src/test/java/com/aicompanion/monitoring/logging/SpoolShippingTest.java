package com.aicompanion.monitoring.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.status.Status;
import com.aicompanion.monitoring.Delivery;
import com.aicompanion.monitoring.MonitoringException;
import com.aicompanion.monitoring.logging.internal.ElasticsearchAppender;
import com.aicompanion.monitoring.logging.internal.LoggingSettings;
import com.aicompanion.monitoring.testsupport.FreePort;
import com.aicompanion.monitoring.testsupport.opensearch.OpenSearchExtension;
import com.aicompanion.monitoring.testsupport.opensearch.OpenSearchNode;
import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shipper's disk spool through {@link JsonLogging}: a node that is down longer than the memory
 * queue holds, a restart of the application, a damaged spool file, and the set-up rules for a
 * directory that cannot be used. Against the real OpenSearch node; "down" is a closed port.
 */
@ExtendWith(OpenSearchExtension.class)
class SpoolShippingTest {
  private static final String TEST_LOGGER = "com.example.chat.Spooled";
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

  /** Documents of the test's own logger in {@code dataStream}, after a refresh. */
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

  /** About {@code perSecond} events a second, like an application, not a flood. */
  private static void logPaced(String text, int count, int perSecond) {
    long interval = 1_000_000_000L / perSecond;
    long next = System.nanoTime();
    for (int i = 0; i < count; i++) {
      LOG.info("{} {} with some text to give the line a realistic length", text, i);
      next += interval;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
    }
  }

  private static double meter(MeterRegistry meters, String name) {
    var meter = meters.find(name).meter();
    assertThat(meter).as(name).isNotNull();
    return meter.measure().iterator().next().getValue();
  }

  @Test
  void aNodeDownLongerThanTheMemoryQueueHoldsDropsNothingAndARestartShipsEverything(
      OpenSearchNode node) {
    Path spool = dir.resolve("spool");
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    // a 64 KiB memory queue holds about 200 of these lines; 2,000 are logged while the node is down
    install(
        "spooled-svc",
        deadNode(),
        meters,
        "elasticsearch.queue.bytes",
        "65536",
        "elasticsearch.spool.dir",
        spool.toString());
    logPaced("spooled", 2000, 2000);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> meter(meters, "monitoring.log.spool") > 65536);
    assertThat(logging.droppedEvents()).as("dropped with the node down").isZero();
    assertThat(meter(meters, "monitoring.log.spool.limit")).isEqualTo(512.0 * 1024 * 1024);
    String dataStream = logging.dataStream();
    logging.close();
    assertThat(logging.droppedEvents()).as("dropped at close: kept in the spool").isZero();
    assertThat(logging.shippedEvents()).isZero();

    // the application starts again with the same spool and the node up
    SimpleMeterRegistry after = new SimpleMeterRegistry();
    install("spooled-svc", node.uri(), after, "elasticsearch.spool.dir", spool.toString());
    await().atMost(Duration.ofSeconds(60)).until(() -> testDocuments(node, dataStream) >= 2000);
    assertThat(testDocuments(node, dataStream)).isEqualTo(2000);
    assertThat(logging.droppedEvents()).isZero();
    assertThat(logging.failedEvents()).isZero();
    assertThat(meter(after, "monitoring.log.spool.corrupt.records")).isZero();
  }

  @Test
  void aDamagedSpoolFileIsSkippedCountedAndLoggedOnceAndStartUpGoesOn(OpenSearchNode node)
      throws IOException {
    Path spool = dir.resolve("spool");
    install("damaged-svc", deadNode(), new SimpleMeterRegistry(), spoolDir(spool));
    logPaced("damaged", 300, 3000);
    String dataStream = logging.dataStream();
    logging.close();
    assertThat(logging.droppedEvents()).isZero();
    Path segment = spoolFiles(spool).get(0);
    long size = Files.size(segment);
    try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
      // garbage over the middle records: their checksums fail
      file.seek(size / 2);
      file.write(new byte[64]);
    }

    ListAppender<ILoggingEvent> spoolLog = listen("com.aicompanion.monitoring.internal.delivery");
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try {
      install("damaged-svc", node.uri(), meters, spoolDir(spool));
    } finally {
      detach("com.aicompanion.monitoring.internal.delivery", spoolLog);
    }
    double lost = meter(meters, "monitoring.log.spool.corrupt.records");
    assertThat(lost).as("records lost to the damage").isPositive().isLessThan(300);
    assertThat(meter(meters, "monitoring.log.spool.skipped")).isPositive();
    assertThat(spoolLog.list)
        .filteredOn(e -> e.getLevel().toString().equals("WARN"))
        .singleElement()
        .satisfies(e -> assertThat(e.getFormattedMessage()).contains("records lost"));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> testDocuments(node, dataStream) == 300 - (long) lost);
  }

  private static String[] spoolDir(Path spool) {
    return new String[] {"elasticsearch.spool.dir", spool.toString()};
  }

  private static List<Path> spoolFiles(Path spool) throws IOException {
    try (Stream<Path> files = Files.list(spool)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".seg")).sorted().toList();
    }
  }

  private static ListAppender<ILoggingEvent> listen(String logger) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.setContext(context);
    appender.start();
    context.getLogger(logger).addAppender(appender);
    return appender;
  }

  private static void detach(String logger, ListAppender<ILoggingEvent> appender) {
    ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(logger).detachAppender(appender);
  }

  @Test
  void aConfiguredSpoolDirectoryThatCannotBeCreatedFailsTheSetUpNamingKeyValueAndFix()
      throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    String bad = file.resolve("spool").toString();
    assertThatThrownBy(
            () ->
                JsonLogging.builder("bad-spool-svc")
                    .output(sink)
                    .elasticsearch(deadNode())
                    .config("elasticsearch.spool.dir", bad)
                    .install())
        .isInstanceOf(MonitoringException.class)
        .hasMessageContaining("config(\"elasticsearch.spool.dir\"")
        .hasMessageContaining(bad)
        .hasMessageContaining("give a directory this process can create and write")
        .hasMessageContaining("MONITORING_ELASTICSEARCH_SPOOL=false");
    // nothing was left half-installed: the next installation takes the root logger
    logging = JsonLogging.builder("after-bad-spool").output(sink).install();
  }

  @Test
  void aConfiguredSpoolDirectoryInUseFailsTheSetUpNamingIt() {
    Path spool = dir.resolve("held");
    try (Delivery holder =
        Delivery.builder("other-instance", batch -> CompletableFuture.completedFuture(null))
            .spool(spool, 1 << 20, Duration.ofSeconds(1))
            .build()) {
      assertThatThrownBy(
              () ->
                  JsonLogging.builder("held-spool-svc")
                      .output(sink)
                      .elasticsearch(deadNode())
                      .config("elasticsearch.spool.dir", spool.toString())
                      .install())
          .isInstanceOf(MonitoringException.class)
          .hasMessageContaining("elasticsearch.spool.dir")
          .hasMessageContaining(spool.toString())
          .hasMessageContaining("in use")
          .hasMessageContaining("give each instance its own directory");
      assertThat(holder.spoolCounts()).isNotNull();
    }
  }

  @Test
  void anUnusableDefaultSpoolDirectoryFallsBackToMemoryWithOneWarningSayingWhyAndWhatToSet(
      OpenSearchNode node) {
    // another instance of the same service on this host holds the default directory
    Path defaultDir = LoggingSettings.defaultSpoolDir("fallback-svc", "dev");
    try (Delivery other =
        Delivery.builder("other-instance", batch -> CompletableFuture.completedFuture(null))
            .spool(defaultDir, 1 << 20, Duration.ofSeconds(1))
            .build()) {
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      JsonLogging.Builder builder =
          JsonLogging.builder("fallback-svc")
              .output(sink)
              .elasticsearch(node.uri())
              .config("environment", "dev")
              .config("elasticsearch.flush.interval", "100ms")
              .meterRegistry(meters);
      logging = builder.install();
      LOG.info("after the fallback");
      LOG.info("still shipping");
      // the console writes on its own thread: wait for both lines, then look at every WARN
      await().atMost(Duration.ofSeconds(30)).until(() -> sink.text().contains("still shipping"));
      List<JsonNode> warnings =
          sink.json().stream()
              .filter(j -> j.path("log.level").asText().equals("WARN"))
              .filter(j -> ElasticsearchAppender.LOGGER.equals(j.path("log.logger").asText()))
              .toList();
      assertThat(warnings).hasSize(1);
      assertThat(warnings.get(0).path("message").asText())
          .contains("memory only")
          .contains(defaultDir.toString())
          .contains("in use")
          .contains("MONITORING_ELASTICSEARCH_SPOOL_DIR")
          .contains("MONITORING_ELASTICSEARCH_SPOOL=false");
      assertThat(meter(meters, "monitoring.log.spool")).isZero();
      String dataStream = logging.dataStream();
      await().atMost(Duration.ofSeconds(30)).until(() -> testDocuments(node, dataStream) == 2);
      assertThat(other.spoolCounts()).isNotNull();
    }
  }

  @Test
  void theLogbackAppenderReportsAnUnusableSpoolDirAsAnErrorAndDoesNotStart() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    LoggerContext context = new LoggerContext();
    ElasticsearchLogAppender appender = new ElasticsearchLogAppender();
    appender.setContext(context);
    appender.setName("ES");
    appender.setUrl(deadNode().toString());
    appender.setServiceName("xml-svc");
    appender.setSpoolDir(file.resolve("spool").toString());
    appender.start();
    assertThat(appender.isStarted()).isFalse();
    assertThat(context.getStatusManager().getCopyOfStatusList())
        .filteredOn(s -> s.getLevel() == Status.ERROR)
        .singleElement()
        .satisfies(
            s ->
                assertThat(s.getMessage())
                    .contains("spoolDir")
                    .contains(file.resolve("spool").toString())
                    .contains("<spool>false</spool>"));
  }
}
