package com.aicompanion.monitoring.benchmarks.shipping;

import com.aicompanion.monitoring.ConfigKey;
import com.aicompanion.monitoring.MonitoringModule;
import com.aicompanion.monitoring.logging.JsonLogging;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's own ingest capacity, the physical limit for any shipper on this machine: documents our
 * encoder wrote (captured from {@link JsonLogging}'s output, so the same bytes it ships) posted as
 * {@code _bulk} bodies of the shipper's default batch size by 1 or more senders, each a plain
 * {@code java.net.http} client looping over pre-built bodies. Responses are filtered to {@code
 * errors} ({@code filter_path}), the cheapest a sender can check success with.
 *
 * <pre>{@code
 * List<byte[]> docs = BulkCapacity.encodedDocuments(2000);
 * BulkCapacity capacity = new BulkCapacity(node, docs, BulkCapacity.defaultBatchSize());
 * Map<String, Object> row = capacity.run("shipcap-1", 2, Duration.ofSeconds(2), Duration.ofSeconds(8));
 * }</pre>
 */
final class BulkCapacity {
  /** Used when the logging module declares no {@code elasticsearch.batch.size} key. */
  static final int FALLBACK_BATCH_SIZE = 500;

  private static final byte[] CREATE = "{\"create\":{}}\n".getBytes(StandardCharsets.UTF_8);

  private final LiveNode node;
  private final List<byte[]> bodies = new ArrayList<>();
  private final int batchSize;

  BulkCapacity(LiveNode node, List<byte[]> docs, int batchSize) {
    this.node = node;
    this.batchSize = batchSize;
    int count = Math.max(1, docs.size() / batchSize);
    for (int b = 0; b < count; b++) {
      ByteArrayOutputStream body = new ByteArrayOutputStream(batchSize * 512);
      for (int i = 0; i < batchSize; i++) {
        byte[] doc = docs.get((b * batchSize + i) % docs.size());
        body.writeBytes(CREATE);
        body.writeBytes(doc);
      }
      bodies.add(body.toByteArray());
    }
  }

  /**
   * The shipper's default batch size, read from the logging module's declared configuration keys
   * (public SPI), or {@value #FALLBACK_BATCH_SIZE} when no such key is declared.
   */
  static int defaultBatchSize() {
    for (MonitoringModule module : ServiceLoader.load(MonitoringModule.class)) {
      for (ConfigKey<?> key : module.configKeys()) {
        if (key.name().equals("elasticsearch.batch.size")
            && key.defaultValue() instanceof Integer size) {
          return size;
        }
      }
    }
    return FALLBACK_BATCH_SIZE;
  }

  /**
   * {@code count} events of {@link ChatEvents} as our encoder writes them (JSON output of a {@link
   * JsonLogging} installation without shipping), each with its newline; the installation's own
   * start-up lines are left out.
   */
  static List<byte[]> encodedDocuments(int count) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(count * 512);
    JsonLogging logging = JsonLogging.builder("shipcap").output(out).install();
    try {
      Logger logger = LoggerFactory.getLogger(ChatEvents.LOGGER);
      for (int i = 0; i < count; i++) {
        ChatEvents.log(logger, i);
      }
    } finally {
      logging.close();
    }
    List<byte[]> docs = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.contains("answered conversation")) {
        docs.add((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    if (docs.isEmpty()) {
      throw new IllegalStateException("JsonLogging wrote none of the " + count + " events");
    }
    return docs;
  }

  double averageDocumentBytes() {
    long total = 0;
    for (byte[] body : bodies) {
      total += body.length - (long) batchSize * CREATE.length;
    }
    return (double) total / ((long) bodies.size() * batchSize);
  }

  /**
   * Posts bodies to a fresh data stream {@code logs-<name>-bench} (our index template installed
   * first) from {@code senders} threads for {@code warmup} then {@code measure}; documents per
   * second count the requests that completed inside the measured window.
   */
  Map<String, Object> run(String name, int senders, Duration warmup, Duration measure)
      throws InterruptedException {
    node.putTemplate("logs-" + name, JsonLogging.indexTemplate("logs-" + name + "-*"));
    String dataStream = "logs-" + name + "-bench";
    URI uri = node.uri().resolve("/" + dataStream + "/_bulk?filter_path=errors");
    long measureStart = System.nanoTime() + warmup.toNanos();
    long measureEnd = measureStart + measure.toNanos();
    Tally tally = new Tally();
    List<Thread> threads = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      int sender = s;
      Thread thread =
          new Thread(
              () -> send(uri, sender, senders, measureStart, measureEnd, tally),
              "bulk-sender-" + s);
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    long documents = node.count(dataStream);
    node.deleteDataStream(dataStream);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("senders", senders);
    row.put("seconds", measure.toMillis() / 1000.0);
    row.put("docs_per_s", tally.measured.get() / (measure.toNanos() / 1e9));
    row.put("requests", tally.requests.get());
    row.put("failed_requests", tally.failedRequests.get());
    row.put("acknowledged", tally.acknowledged.get());
    row.put("documents", documents);
    if (tally.firstError.get() != null) {
      row.put("first_error", tally.firstError.get());
    }
    return row;
  }

  /** What the senders of one run counted. */
  private static final class Tally {
    final AtomicLong acknowledged = new AtomicLong();
    final AtomicLong measured = new AtomicLong();
    final AtomicLong requests = new AtomicLong();
    final AtomicLong failedRequests = new AtomicLong();
    final AtomicReference<String> firstError = new AtomicReference<>();
  }

  /** Sender {@code sender} of {@code senders}: bodies sender, sender + senders, ... in turn. */
  private void send(
      URI uri, int sender, int senders, long measureStart, long measureEnd, Tally tally) {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    for (int i = sender; System.nanoTime() < measureEnd; i += senders) {
      HttpRequest request =
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofSeconds(60))
              .header("Content-Type", "application/x-ndjson")
              .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i % bodies.size())))
              .build();
      String problem;
      try {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        long done = System.nanoTime();
        tally.requests.incrementAndGet();
        if (response.statusCode() == 200 && response.body().contains("\"errors\":false")) {
          tally.acknowledged.addAndGet(batchSize);
          if (done >= measureStart && done <= measureEnd) {
            tally.measured.addAndGet(batchSize);
          }
          continue;
        }
        problem = "HTTP " + response.statusCode() + ": " + response.body();
      } catch (IOException e) {
        problem = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      tally.failedRequests.incrementAndGet();
      tally.firstError.compareAndSet(null, problem);
    }
  }
}
