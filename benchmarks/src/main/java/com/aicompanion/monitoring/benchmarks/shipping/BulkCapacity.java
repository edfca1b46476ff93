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
import java.util.UUID;
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
 * <p>With {@code documentIds} the action lines are the shipper's own: {@code create} with an {@code
 * _id} laid out as {@code Delivery.Item#id()} lays it out (a store id of 36 characters, as the
 * spool's, a dash, the sequence as 16 hexadecimal digits), each sender writing fresh sequences into
 * its pre-built bodies before each request (16 bytes per document, no allocation). Without, the
 * node generates the ids ({@code "create":{}}), which spares it the look-up of each id: the
 * physical limit for documents without ids.
 *
 * <pre>{@code
 * List<byte[]> docs = BulkCapacity.encodedDocuments(2000);
 * BulkCapacity capacity = new BulkCapacity(node, docs, BulkCapacity.defaultBatchSize(), true);
 * Map<String, Object> row = capacity.run("shipcap-1", 2, Duration.ofSeconds(2), Duration.ofSeconds(8));
 * }</pre>
 */
final class BulkCapacity {
  /** Used when the logging module declares no {@code elasticsearch.batch.size} key. */
  static final int FALLBACK_BATCH_SIZE = 500;

  private static final byte[] CREATE = "{\"create\":{}}\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] CREATE_ID =
      "{\"create\":{\"_id\":\"".getBytes(StandardCharsets.UTF_8);
  private static final byte[] CREATE_ID_END = "\"}}\n".getBytes(StandardCharsets.UTF_8);
  private static final int STORE_ID_CHARS = 36;
  private static final int SEQUENCE_DIGITS = 16;
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final LiveNode node;
  private final List<byte[]> bodies = new ArrayList<>();
  // with ids: per body, the offset of each action line's store id
  private final List<int[]> idOffsets = new ArrayList<>();
  private final int batchSize;
  private final boolean documentIds;
  private long actionBytes;

  BulkCapacity(LiveNode node, List<byte[]> docs, int batchSize, boolean documentIds) {
    this.node = node;
    this.batchSize = batchSize;
    this.documentIds = documentIds;
    int count = Math.max(1, docs.size() / batchSize);
    for (int b = 0; b < count; b++) {
      ByteArrayOutputStream body = new ByteArrayOutputStream(batchSize * 512);
      int[] offsets = new int[batchSize];
      for (int i = 0; i < batchSize; i++) {
        byte[] doc = docs.get((b * batchSize + i) % docs.size());
        int before = body.size();
        if (documentIds) {
          body.writeBytes(CREATE_ID);
          offsets[i] = body.size();
          body.writeBytes(new byte[STORE_ID_CHARS + 1 + SEQUENCE_DIGITS]);
          body.writeBytes(CREATE_ID_END);
        } else {
          body.writeBytes(CREATE);
        }
        actionBytes += body.size() - before;
        body.writeBytes(doc);
      }
      bodies.add(body.toByteArray());
      idOffsets.add(offsets);
    }
  }

  /** Whether the action lines carry the shipper's document ids. */
  boolean documentIds() {
    return documentIds;
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
      total += body.length;
    }
    total -= actionBytes;
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
    byte[] storeId = UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);
    AtomicLong sequences = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      int sender = s;
      Thread thread =
          new Thread(
              () -> send(uri, sender, senders, measureStart, measureEnd, tally, storeId, sequences),
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
    row.put("document_ids", documentIds);
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
      URI uri,
      int sender,
      int senders,
      long measureStart,
      long measureEnd,
      Tally tally,
      byte[] storeId,
      AtomicLong sequences) {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    // with ids, each sender posts its own copies under the run's one store id, taking sequences
    // from one counter, as the shipper's requests in flight do
    List<byte[]> own = bodies;
    if (documentIds) {
      own = new ArrayList<>();
      for (int b = 0; b < bodies.size(); b++) {
        byte[] copy = bodies.get(b).clone();
        for (int offset : idOffsets.get(b)) {
          System.arraycopy(storeId, 0, copy, offset, STORE_ID_CHARS);
          copy[offset + STORE_ID_CHARS] = '-';
        }
        own.add(copy);
      }
    }
    for (int i = sender; System.nanoTime() < measureEnd; i += senders) {
      int b = i % own.size();
      byte[] body = own.get(b);
      if (documentIds) {
        long sequence = sequences.getAndAdd(batchSize);
        for (int offset : idOffsets.get(b)) {
          int p = offset + STORE_ID_CHARS + 1;
          for (int shift = 4 * (SEQUENCE_DIGITS - 1); shift >= 0; shift -= 4) {
            body[p++] = HEX[(int) (sequence >>> shift) & 0xf];
          }
          sequence++;
        }
      }
      HttpRequest request =
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofSeconds(60))
              .header("Content-Type", "application/x-ndjson")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
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
