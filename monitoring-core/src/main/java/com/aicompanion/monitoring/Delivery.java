package com.aicompanion.monitoring;

import com.aicompanion.monitoring.internal.delivery.MemoryRecordStore;
import com.aicompanion.monitoring.internal.delivery.RecordStore;
import com.aicompanion.monitoring.internal.delivery.SegmentFileStore;
import com.aicompanion.monitoring.internal.delivery.SpoolInUseException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers records (byte payloads) to one destination off the caller's thread: the one component
 * behind the library's senders (Elasticsearch shipping, Alertmanager alerts), for third-party
 * senders too. A store bounded by bytes; one worker that batches by count, bytes and time and keeps
 * up to {@code maxInFlight} requests in flight; a {@link Sender} that does the I/O and says what
 * became of each record; exponential backoff (capped, jittered) while the destination fails;
 * outages, recoveries and refusals logged through SLF4J, rate-limited; every record counted; {@link
 * #close()} within a deadline.
 *
 * <pre>{@code
 * HttpClient http = HttpClient.newHttpClient();
 * Delivery delivery = Delivery.builder("audit-sender", batch -> {
 *       byte[] body = join(batch.items());                        // your wire format
 *       HttpRequest post = HttpRequest.newBuilder(uri).timeout(batch.timeout())
 *           .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
 *       return http.sendAsync(post, HttpResponse.BodyHandlers.discarding())
 *           .thenApply(r -> r.statusCode() / 100 == 2 ? Delivery.Result.delivered()
 *               : r.statusCode() == 413 ? Delivery.Result.tooLarge("HTTP 413")
 *               : r.statusCode() >= 500 ? Delivery.Result.retry("HTTP " + r.statusCode())
 *               : Delivery.Result.reject("rejected", "HTTP " + r.statusCode()));
 *     })
 *     .destination(uri.toString()).unit("audit record(s)")
 *     .batch(500, 1 << 20, Duration.ofMillis(200))
 *     .build();                                  // starts the worker thread
 * delivery.offer(json.getBytes(StandardCharsets.UTF_8));   // never blocks or throws
 * delivery.close();                              // flushes within closeTimeout, counts the rest
 * }</pre>
 *
 * <p><b>Accounting.</b> Every offered record ends in exactly one outcome, reported to the {@link
 * Listener} and in {@link #counts()}: <i>delivered</i>, <i>rejected</i> (the destination refused
 * it, or it is over the request limit and cannot be shortened: reason {@code oversize}) or
 * <i>dropped</i> ({@code queue_full}; {@code closed}: offered after close; {@code close_deadline}:
 * not sent by the close deadline; {@code close_failing}: the destination failed while closing). So
 * {@code offered == delivered + rejected + dropped + queued}.
 *
 * <p><b>Requests.</b> A batch holds at most {@code maxRecords} records and {@code maxBytes} bytes
 * as the sender measures them ({@link Sender#requestBytes}, the framing included), and waits at
 * most {@code linger} for more records once the first arrived. A record that alone exceeds {@code
 * maxBytes} is offered to {@link Sender#shorten}, else rejected as {@code oversize}. A {@link
 * Result#tooLarge} answer (HTTP 413) sends the batch again in consecutive parts under the refused
 * size, in order, down to single records; parts and later batches are filled to the larger of half
 * the smallest refused size and the largest size accepted since, so a few halvings (one 413 each)
 * find a limit nobody stated, and then requests stay under it. The learned limit is forgotten after
 * ten minutes without a 413.
 *
 * <p><b>Requests in flight.</b> Up to {@code maxInFlight} requests (default {@value
 * #DEFAULT_MAX_IN_FLIGHT}) are in flight at once, each from a sender thread of its own with its own
 * retries and backoff; batches are formed in store order and may complete in any order, but the
 * store is acknowledged strictly in sequence: a record is discarded (or, with a spool, its space
 * freed) only when it and every record before it have an outcome. A crash therefore resends at most
 * the records of the batches in flight and those after them, under the same ids.
 *
 * <p><b>Ids.</b> Each record carries {@link Item#id()} ({@code storeId-sequence}), stable across
 * retries (and, with a durable store, restarts): a destination that indexes by it turns an
 * at-least-once resend into a duplicate it can refuse (HTTP 409), which the sender reports as
 * delivered.
 *
 * <p>The memory store is bounded by payload bytes ({@code queueBytes}, default {@value
 * #DEFAULT_QUEUE_BYTES}) and optionally by records; when full, {@link #offer} drops the new record
 * and counts it.
 *
 * <p><b>Spool.</b> With {@link Builder#spool(Path, long, Duration)} records wait in a directory of
 * checksummed segment files instead (docs/spool.md): they survive an outage longer than memory
 * allows and a restart of the process, {@code kill -9} included; a record is lost only when the
 * machine itself fails before the next sync. What the spool holds at {@link #close()} is delivered
 * after the next start with the same directory.
 */
public final class Delivery implements AutoCloseable {
  /** Default bound of the memory store: 64 MiB of payload. */
  public static final long DEFAULT_QUEUE_BYTES = 64L << 20;

  /** Default number of requests in flight at once: {@value}. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 2;

  /** The largest number of requests in flight accepted: {@value}. */
  public static final int MAX_IN_FLIGHT_LIMIT = 64;

  /** Default interval at which a spool forces what was written to the disk: 1 second. */
  public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofSeconds(1);

  private final DeliveryWorker worker;
  private final @Nullable SegmentFileStore spool;

  private Delivery(DeliveryWorker worker, @Nullable SegmentFileStore spool) {
    this.worker = worker;
    this.spool = spool;
  }

  /**
   * A builder for a delivery named {@code name} (the worker thread's name and the default
   * destination in log lines).
   *
   * @throws IllegalArgumentException when {@code name} is blank or an argument is null
   */
  public static Builder builder(String name, Sender sender) {
    return new Builder(name, sender);
  }

  /**
   * Queues {@code payload} for delivery; never blocks on the destination and never throws. The
   * array is kept as is (not copied): do not change it afterwards.
   *
   * @return false when the record was dropped and counted ({@code queue_full}, or {@code closed}
   *     after {@link #close()})
   */
  public boolean offer(byte[] payload) {
    return worker.offer(payload);
  }

  /** The outcomes so far and what is waiting. */
  public Counts counts() {
    return worker.counts();
  }

  /** Records waiting for delivery (queued and in flight). */
  public long queuedRecords() {
    return worker.queuedRecords();
  }

  /** Payload bytes waiting for delivery (queued and in flight). */
  public long queuedBytes() {
    return worker.queuedBytes();
  }

  /**
   * The spool's figures now, or null without a spool ({@link Builder#spool}); cheap enough for a
   * gauge.
   */
  public @Nullable SpoolCounts spoolCounts() {
    SegmentFileStore s = spool;
    return s == null
        ? null
        : new SpoolCounts(
            s.directory(), s.diskBytes(), s.maxBytes(), s.corruptRecords(), s.skippedBytes());
  }

  /** The store's id, the first part of every {@link Item#id()}. */
  public String storeId() {
    return worker.storeId();
  }

  /**
   * Stops accepting records and delivers what is queued until the close timeout; then abandons the
   * requests in flight (their futures are cancelled) and counts what was not delivered as dropped
   * ({@code close_deadline}). If the destination fails as a whole while closing, the rest is
   * dropped at once instead of waiting out backoff. Returns within the close timeout (plus a few
   * milliseconds); idempotent.
   */
  @Override
  public void close() {
    worker.close();
  }

  /** The outcomes so far: {@code delivered + rejected + dropped + queued == offered}. */
  public record Counts(
      long offered,
      long delivered,
      long rejected,
      long dropped,
      long failedAttempts,
      long queuedRecords,
      long queuedBytes) {}

  /**
   * A spool's figures.
   *
   * @param directory the spool directory
   * @param diskBytes the segment files' total size, in bytes (what {@code maxBytes} bounds)
   * @param maxBytes the bound, in bytes
   * @param corruptRecords records found damaged and skipped since the spool was opened (lost)
   * @param skippedBytes bytes of the files that were not readable records, skipped since open
   */
  public record SpoolCounts(
      Path directory, long diskBytes, long maxBytes, long corruptRecords, long skippedBytes) {}

  /**
   * Does the I/O for a {@link Delivery}: sends one batch and says what became of it, as a whole or
   * per record.
   */
  @FunctionalInterface
  public interface Sender {
    /**
     * Starts sending {@code batch}. Do the I/O asynchronously (e.g. {@code HttpClient.sendAsync})
     * and return at once. With {@code maxInFlight} above 1 (the default is {@value
     * Delivery#DEFAULT_MAX_IN_FLIGHT}) it is called from several threads at once, so it must be
     * thread-safe, and batches may arrive in any order; use {@code maxInFlight(1)} where the
     * destination needs records in order: the worker waits for the future at most {@link
     * Batch#timeout()} and cancels it when that passes or the close deadline does. A thrown
     * exception, a future completed exceptionally or not in time all count as {@link Result#retry}.
     */
    CompletableFuture<Result> send(Batch batch) throws Exception;

    /**
     * The bytes {@code item} adds to a request, framing included (e.g. an action line and a
     * newline); default its payload length. Batches never exceed {@code maxBytes} by this measure.
     */
    default long requestBytes(Item item) {
      return item.payload().length;
    }

    /**
     * A shorter form of a record whose request bytes exceed the limit, with a visible marker of
     * what was cut, or null to reject it as {@code oversize} (the default).
     *
     * @param maxPayloadBytes the payload length the shortened form must not exceed
     */
    default byte @Nullable [] shorten(Item item, long maxPayloadBytes) {
      return null;
    }
  }

  /**
   * Hears every outcome, on the thread that decided it (the worker, or the caller of {@link #offer}
   * for {@code queue_full} and {@code closed}); must be quick and must not throw. Reasons are short
   * words fit for a metric label.
   */
  public interface Listener {
    /** {@code count} records delivered; reason {@code ok}, or the sender's (e.g. duplicate). */
    default void delivered(int count, String reason) {}

    /** {@code count} records refused by the destination or oversize; not retried. */
    default void rejected(int count, String reason) {}

    /**
     * {@code count} records given up: {@code queue_full}, {@code closed}, {@code close_deadline},
     * {@code close_failing}, {@code null_payload}, {@code store_error}.
     */
    default void dropped(int count, String reason) {}

    /** An attempt with {@code count} records failed and will be retried (not an outcome). */
    default void failedAttempt(int count, String cause) {}
  }

  /** One record as the sender sees it. */
  public static final class Item {
    /** The sequence's width in {@link #id()}: 16 hexadecimal digits, the whole {@code long}. */
    public static final int SEQUENCE_DIGITS = 16;

    private static final byte[] HEX =
        "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final String storeId;
    private final long sequence;
    private byte[] payload;
    private @Nullable String resentAs;
    // the sender's requestBytes for the current payload, -1 until asked (one sender thread uses it)
    long requestBytes = -1;

    Item(String storeId, long sequence, byte[] payload) {
      this.storeId = storeId;
      this.sequence = sequence;
      this.payload = payload;
    }

    /**
     * {@code storeId-sequence}, the sequence as 16 lower-case hexadecimal digits (e.g. {@code
     * 0mXq3vQ-000000000000002a}): unique per record, the same on every retry; use it as the
     * destination's document id to make redelivery idempotent. The fixed width makes one store's
     * ids sort in sequence order as text, which lets a Lucene index rule out older segments when it
     * checks a new id (with variable-width decimal sequences an OpenSearch node ingested 14-17%
     * fewer documents per second than with these in this project's benchmark, benchmarks/NOTES.md).
     */
    public String id() {
      byte[] id = new byte[idLength()];
      writeId(id, 0);
      return new String(id, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** The length of {@link #id()} in characters (and in US-ASCII bytes). */
    public int idLength() {
      return storeId.length() + 1 + SEQUENCE_DIGITS;
    }

    /**
     * Writes {@link #id()} as US-ASCII bytes into {@code target} at {@code offset}, without
     * creating a string; returns the offset after it.
     *
     * @throws IndexOutOfBoundsException when {@link #idLength()} bytes do not fit from offset
     */
    public int writeId(byte[] target, int offset) {
      java.util.Objects.checkFromIndexSize(offset, idLength(), target.length);
      int p = offset;
      for (int c = 0; c < storeId.length(); c++) {
        target[p++] = (byte) storeId.charAt(c);
      }
      target[p++] = '-';
      for (int shift = 4 * (SEQUENCE_DIGITS - 1); shift >= 0; shift -= 4) {
        target[p++] = HEX[(int) (sequence >>> shift) & 0xf];
      }
      return p;
    }

    /** The store's id (see {@link #id()}). */
    public String storeId() {
      return storeId;
    }

    /** The record's position in its store, increasing by one per record. */
    public long sequence() {
      return sequence;
    }

    /** The bytes to send (do not modify). */
    public byte[] payload() {
      return payload;
    }

    /**
     * The reason the payload was replaced ({@link Result.Items#resend}, or {@code shortened}), or
     * null when it is the record as offered. A record is replaced at most once by a resend.
     */
    public @Nullable String resentAs() {
      return resentAs;
    }

    void replace(byte[] payload, String reason) {
      this.payload = payload;
      this.resentAs = reason;
      this.requestBytes = -1;
    }
  }

  /** The records of one attempt and the time it may take. */
  public static final class Batch {
    private final List<Item> items;
    private final Duration timeout;
    private final int attempt;

    Batch(List<Item> items, Duration timeout, int attempt) {
      this.items = items;
      this.timeout = timeout;
      this.attempt = attempt;
    }

    /** The records, in store order (read-only). */
    public List<Item> items() {
      return items;
    }

    public int size() {
      return items.size();
    }

    /**
     * How long this attempt may take (the request timeout, shorter near the close deadline); give
     * it to the request (e.g. {@code HttpRequest.Builder.timeout}).
     */
    public Duration timeout() {
      return timeout;
    }

    /** 1 for the first attempt of these records, then 2, 3, ... */
    public int attempt() {
      return attempt;
    }
  }

  /**
   * What became of a batch: as a whole ({@link #delivered()}, ...) or per record ({@link #items}).
   */
  public static class Result {
    enum Kind {
      DELIVERED,
      RETRY,
      REJECT,
      TOO_LARGE,
      SPLIT,
      ITEMS
    }

    private static final Result DELIVERED = new Result(Kind.DELIVERED, "ok", "");

    final Kind kind;
    final String reason;
    final String detail;

    Result(Kind kind, String reason, String detail) {
      this.kind = kind;
      this.reason = reason;
      this.detail = detail;
    }

    /** Every record delivered. */
    public static Result delivered() {
      return DELIVERED;
    }

    /**
     * The attempt failed as a whole and may work later (connection error, timeout, HTTP 429 or
     * 5xx): every record is retried after backoff, and the outage is logged.
     *
     * @param cause for the log, e.g. {@code HTTP 503: no master}
     */
    public static Result retry(String cause) {
      return new Result(Kind.RETRY, "retry", text(cause));
    }

    /**
     * The destination refused every record and will again (e.g. HTTP 400, 401, 404): counted as
     * rejected with {@code reason}, logged with {@code detail}, not retried.
     */
    public static Result reject(String reason, String detail) {
      return new Result(Kind.REJECT, word(reason), text(detail));
    }

    /**
     * The request was too large (HTTP 413): the batch is sent again in parts under the refused
     * size, in order; a single record is shortened ({@link Sender#shorten}) or rejected as {@code
     * oversize}.
     */
    public static Result tooLarge(String detail) {
      return new Result(Kind.TOO_LARGE, "oversize", text(detail));
    }

    /**
     * The destination refused the request because of some record in it (e.g. Alertmanager's 400 for
     * one invalid alert): the batch is halved down to single records so that the others get
     * through; a single record is rejected with {@code reason}.
     */
    public static Result split(String reason, String detail) {
      return new Result(Kind.SPLIT, word(reason), text(detail));
    }

    /** One outcome per record, in batch order; every record counts as delivered until set. */
    public static Items items(int size) {
      return new Items(size);
    }

    private static String word(String reason) {
      return reason == null || reason.isBlank() ? "rejected" : reason;
    }

    private static String text(String text) {
      return text == null ? "" : text;
    }

    /** Per-record outcomes; set those that were not delivered. */
    public static final class Items extends Result {
      static final byte DELIVERED = 0;
      static final byte RETRY = 1;
      static final byte REJECT = 2;
      static final byte RESEND = 3;

      final byte[] outcome;
      final String[] reasons;
      final String[] details;
      final byte[][] replacements;

      Items(int size) {
        super(Kind.ITEMS, "items", "");
        outcome = new byte[size];
        reasons = new String[size];
        details = new String[size];
        replacements = new byte[size][];
      }

      /** Record {@code index} delivered, counted with {@code reason} (e.g. {@code duplicate}). */
      public Items delivered(int index, String reason) {
        outcome[index] = DELIVERED;
        reasons[index] = word(reason);
        return this;
      }

      /** Record {@code index} failed for now (e.g. item status 429): retried after backoff. */
      public Items retry(int index, String cause) {
        outcome[index] = RETRY;
        details[index] = text(cause);
        return this;
      }

      /** Record {@code index} refused: counted as rejected with {@code reason}, not retried. */
      public Items reject(int index, String reason, String detail) {
        outcome[index] = REJECT;
        reasons[index] = word(reason);
        details[index] = text(detail);
        return this;
      }

      /**
       * Send record {@code index} again at once as {@code payload} (e.g. a form that avoids a
       * mapping conflict); {@code reason} then names the outcome it ends with. Only once per
       * record: a record already resent is rejected with {@code reason} instead.
       */
      public Items resend(int index, byte[] payload, String reason) {
        outcome[index] = RESEND;
        reasons[index] = word(reason);
        replacements[index] = Objects.requireNonNull(payload, "payload");
        return this;
      }

      int size() {
        return outcome.length;
      }
    }
  }

  /** Settings of a {@link Delivery}, frozen at {@link #build()}. */
  public static final class Builder {
    private final String name;
    private final Sender sender;
    private String destination;
    private String unit = "record(s)";
    private Logger logger = LoggerFactory.getLogger(Delivery.class);
    private long queueBytes = DEFAULT_QUEUE_BYTES;
    private int queueRecords = Integer.MAX_VALUE;
    private int batchRecords = 500;
    private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
    private long batchBytes = 5L << 20;
    private Duration linger = Duration.ofMillis(200);
    private Duration firstBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration closeTimeout = Duration.ofSeconds(5);
    private Duration warnInterval = Duration.ofMinutes(1);
    private final List<Listener> listeners = new ArrayList<>();
    private final List<DeliveryWorker.Periodic> periodic = new ArrayList<>();
    private @Nullable RecordStore store;
    private Duration syncInterval = DEFAULT_SYNC_INTERVAL;
    private @Nullable Path spoolDir;
    private long spoolBytes;

    private Builder(String name, Sender sender) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException(
            "Delivery.builder(\"" + name + "\", ...): give the delivery a name, e.g. \"alerts\"");
      }
      this.name = name;
      this.sender = Arguments.required(sender, "sender");
      this.destination = name;
    }

    /** How log lines name the destination, e.g. its URL without credentials; default the name. */
    public Builder destination(String destination) {
      this.destination = Arguments.required(destination, "destination");
      return this;
    }

    /** What a record is, for log lines, e.g. {@code log event(s)}; default {@code record(s)}. */
    public Builder unit(String unit) {
      this.unit = Arguments.required(unit, "unit");
      return this;
    }

    /**
     * Where outages, recoveries and refusals are logged; default the logger named after this class.
     * The lines may reach this very delivery (a log shipper): they are rate-limited.
     */
    public Builder logger(Logger logger) {
      this.logger = Arguments.required(logger, "logger");
      return this;
    }

    /**
     * The memory store's bounds: payload bytes (default {@value #DEFAULT_QUEUE_BYTES}) and records
     * (default unbounded: {@link Integer#MAX_VALUE}). When either is reached, new records are
     * dropped and counted ({@code queue_full}).
     */
    public Builder queue(long maxBytes, int maxRecords) {
      if (maxBytes < 1 || maxRecords < 1) {
        throw new IllegalArgumentException(
            "queue(" + maxBytes + ", " + maxRecords + "): both bounds must be at least 1");
      }
      this.queueBytes = maxBytes;
      this.queueRecords = maxRecords;
      return this;
    }

    /**
     * Batching: at most {@code maxRecords} records (default 500) and {@code maxBytes} request bytes
     * (default 5 MiB, measured by {@link Sender#requestBytes}) per attempt; a partial batch waits
     * at most {@code linger} (default 200ms, zero sends at once) after its first record.
     */
    public Builder batch(int maxRecords, long maxBytes, Duration linger) {
      if (maxRecords < 1 || maxBytes < 1 || linger == null || linger.isNegative()) {
        throw new IllegalArgumentException(
            "batch("
                + maxRecords
                + ", "
                + maxBytes
                + ", "
                + linger
                + "): needs maxRecords >= 1, maxBytes >= 1 and a linger >= 0");
      }
      this.batchRecords = maxRecords;
      this.batchBytes = maxBytes;
      this.linger = linger;
      return this;
    }

    /**
     * How many requests may be in flight at once, each sent and retried by a sender thread of its
     * own; default {@value #DEFAULT_MAX_IN_FLIGHT}. 1 sends one batch at a time. Batches may
     * complete in any order; the store is acknowledged in sequence order only (see the class
     * documentation).
     *
     * @param max from 1 to {@value #MAX_IN_FLIGHT_LIMIT}
     * @throws IllegalArgumentException naming the value, the rule and the fix when {@code max} is
     *     out of range
     */
    public Builder maxInFlight(int max) {
      if (max < 1 || max > MAX_IN_FLIGHT_LIMIT) {
        throw new IllegalArgumentException(
            "maxInFlight("
                + max
                + "): needs 1 to "
                + MAX_IN_FLIGHT_LIMIT
                + " requests in flight; use 1 for one request at a time, or the default "
                + DEFAULT_MAX_IN_FLIGHT);
      }
      this.maxInFlight = max;
      return this;
    }

    /**
     * The first and the longest wait between failed attempts (default 100ms and 5s); each wait
     * doubles the last, drawn at random from its upper half.
     */
    public Builder backoff(Duration first, Duration max) {
      if (first == null || max == null || first.toMillis() < 1 || max.compareTo(first) < 0) {
        throw new IllegalArgumentException(
            "backoff(" + first + ", " + max + "): needs 1ms <= first <= max");
      }
      this.firstBackoff = first;
      this.maxBackoff = max;
      return this;
    }

    /** How long one attempt may take before it is cancelled and retried; default 10s. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "requestTimeout");
      return this;
    }

    /** How long {@link Delivery#close()} may flush; default 5s. */
    public Builder closeTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative()) {
        throw new IllegalArgumentException("closeTimeout(" + timeout + "): needs a duration >= 0");
      }
      this.closeTimeout = timeout;
      return this;
    }

    /** The least time between two log lines of one kind; default 1 minute. */
    public Builder warnInterval(Duration interval) {
      this.warnInterval = positive(interval, "warnInterval");
      return this;
    }

    /** Also tells {@code listener} every outcome (e.g. to count them in meters of your own). */
    public Builder listener(Listener listener) {
      listeners.add(Arguments.required(listener, "listener"));
      return this;
    }

    /**
     * Runs {@code task} on the worker thread every {@code interval} (first after one interval),
     * also while it backs off; e.g. to offer again what must be re-sent. A task that throws is
     * logged and runs again next time.
     */
    public Builder every(Duration interval, Runnable task) {
      positive(interval, "every");
      periodic.add(new DeliveryWorker.Periodic(interval, Arguments.required(task, "task")));
      return this;
    }

    /**
     * The store the worker reads from, in place of the memory store (for a durable spool); a memory
     * stage of {@code queue(...)} bytes stays in front of it so that {@link #offer} never waits on
     * the store, and a writer thread moves records into it and calls {@link RecordStore#sync()}
     * every {@code syncInterval} (and at close). At close, what the store holds is kept for the
     * next start, not dropped. Not public: the store type is internal; a public option (e.g. a
     * spool directory) builds the store and passes it here.
     */
    Builder store(RecordStore store, Duration syncInterval) {
      this.store = Objects.requireNonNull(store, "store");
      this.syncInterval = positive(syncInterval, "syncInterval");
      return this;
    }

    /**
     * Keeps records waiting for delivery in a disk spool in {@code dir} (created if missing) rather
     * than in memory only: they survive an outage longer than memory allows and a restart of the
     * process. The {@code queue(...)} bound then applies to a memory stage in front of the spool,
     * so that {@link Delivery#offer} never waits on the disk; a writer thread moves records into
     * the spool as they come and forces them to the disk every {@code syncInterval}. A killed
     * process loses only what was still in the memory stage (the writer appends continuously, so
     * that is little); a machine crash loses at most the records of the last {@code syncInterval}.
     * What the spool holds at close stays for the next start with the same directory. One directory
     * per process: {@link #build()} fails when another one holds it. Default: no spool.
     *
     * @param dir the spool directory, owned by this delivery while it runs; not null
     * @param maxBytes the bound on the spool files' total size, in bytes, at least 4096; when it is
     *     reached new records are dropped and counted ({@code queue_full})
     * @param syncInterval how often written records are forced to the disk ({@link
     *     #DEFAULT_SYNC_INTERVAL}), more than zero
     * @throws IllegalArgumentException for a null directory, a bound below 4096 or an interval not
     *     above zero
     */
    public Builder spool(Path dir, long maxBytes, Duration syncInterval) {
      if (dir == null || maxBytes < SegmentFileStore.MIN_MAX_BYTES) {
        throw new IllegalArgumentException(
            "spool("
                + dir
                + ", "
                + maxBytes
                + ", ...): needs a directory and a bound of at least "
                + SegmentFileStore.MIN_MAX_BYTES
                + " bytes");
      }
      this.syncInterval = positive(syncInterval, "spool");
      this.spoolDir = dir;
      this.spoolBytes = maxBytes;
      return this;
    }

    /**
     * Starts the worker thread (and, with a spool, opens it and starts the writer thread).
     *
     * @throws MonitoringException when the spool directory cannot be used: it cannot be created or
     *     written, or another process (or delivery) holds it; the message names the directory, the
     *     cause and the fix, and nothing was started
     */
    public Delivery build() {
      SegmentFileStore spool = null;
      if (spoolDir != null) {
        spool = openSpool(spoolDir, spoolBytes);
      }
      try {
        return start(spool == null ? store : spool, spool);
      } catch (RuntimeException | Error e) {
        if (spool != null) {
          try {
            spool.close();
          } catch (IOException closing) {
            e.addSuppressed(closing);
          }
        }
        throw e;
      }
    }

    private static SegmentFileStore openSpool(Path dir, long maxBytes) {
      try {
        return SegmentFileStore.open(dir, maxBytes);
      } catch (SpoolInUseException e) {
        throw new MonitoringException(e.getMessage(), e);
      } catch (IOException | RuntimeException e) {
        throw new MonitoringException(
            "The spool directory "
                + dir
                + " cannot be used ("
                + e
                + "): give a directory this process can create and write, e.g. on a volume of"
                + " its own",
            e);
      }
    }

    private Delivery start(@Nullable RecordStore durable, @Nullable SegmentFileStore spool) {
      MemoryRecordStore stage = new MemoryRecordStore(queueBytes, queueRecords);
      DeliveryWorker.Settings settings =
          new DeliveryWorker.Settings(
              name,
              destination,
              unit,
              logger,
              batchRecords,
              batchBytes,
              linger,
              firstBackoff,
              maxBackoff,
              requestTimeout,
              closeTimeout,
              warnInterval,
              List.copyOf(listeners),
              List.copyOf(periodic),
              syncInterval,
              maxInFlight);
      return new Delivery(DeliveryWorker.start(settings, sender, stage, durable), spool);
    }

    private static Duration positive(Duration d, String method) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(method + "(" + d + "): needs a duration > 0");
      }
      return d;
    }
  }
}
