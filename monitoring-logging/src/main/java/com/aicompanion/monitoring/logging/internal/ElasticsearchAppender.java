package com.aicompanion.monitoring.logging.internal;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import com.aicompanion.monitoring.Delivery;
import com.aicompanion.monitoring.MonitoringException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships log events straight to an Elasticsearch (or OpenSearch) data stream with the {@code _bulk}
 * API, through the library's {@link Delivery} component.
 *
 * <pre>{@code
 * ElasticsearchAppender appender = new ElasticsearchAppender(settings, ecsEncoder, counters);
 * appender.setContext(loggerContext);
 * appender.start();
 * root.addAppender(appender);
 * }</pre>
 *
 * <p>The application thread encodes the event (once: with {@link SharedLineEncoder} the console
 * takes the same line) and offers the bytes to a queue bounded by bytes ({@code
 * elasticsearch.queue.bytes}); when it is full the event is dropped and counted. It never blocks
 * and never touches the network. The delivery worker batches by count, bytes (action lines
 * included) and time, sends through {@link BulkClient}, retries with backoff while the node fails
 * and logs outages and recoveries through the application's own log (logger {@value #LOGGER},
 * rate-limited). {@link #stop()} returns within the close timeout, abandoning a request in flight,
 * and counts what was not sent as dropped, so that {@code shipped + dropped + failed} equals what
 * reached this appender. With a {@link Spool} the queue is a memory stage in front of a disk spool
 * (Delivery's spool option): events outlast an outage and a restart, and what close could not send
 * stays in the spool for the next start instead of being dropped.
 */
public final class ElasticsearchAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
  /** The logger of the shipper's own lines (outages, recoveries, refused documents). */
  public static final String LOGGER = "com.aicompanion.monitoring.logging.shipping";

  /**
   * The {@code Authorization} header for Elasticsearch: {@code ApiKey <key>} (the base64 id:key the
   * cluster issued), else HTTP Basic (RFC 7617, UTF-8) for a user name and password, else null.
   */
  public static String authorization(String apiKey, String username, String password) {
    if (apiKey != null && !apiKey.isBlank()) {
      return "ApiKey " + apiKey.trim();
    }
    if (username != null && !username.isBlank()) {
      String pair = username + ":" + (password == null ? "" : password);
      return "Basic "
          + java.util.Base64.getEncoder()
              .encodeToString(pair.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return null;
  }

  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Frozen shipping settings. {@code authorization} is a full header value or null; {@code
   * queueCapacity} 0 means no bound on the number of events (only {@code queueBytes}); {@code
   * safeForm} turns a document refused for a mapping conflict into a form that cannot conflict
   * (null: such documents fail at once). {@code urls}: the nodes of one cluster, tried in this
   * order ({@link ClusterNodes}); at least one. {@code documentIds}: each action names the record's
   * id ({@link com.aicompanion.monitoring.Delivery.Item#id()}); false lets the node make up the
   * ids.
   */
  public record Settings(
      List<URI> urls,
      String authorization,
      String service,
      String environment,
      long queueBytes,
      int queueCapacity,
      int batchSize,
      int batchBytes,
      Duration flushInterval,
      Duration closeTimeout,
      Duration maxBackoff,
      int maxInFlight,
      boolean documentIds,
      @Nullable UnaryOperator<byte[]> safeForm,
      @Nullable Spool spool) {

    public Settings {
      urls = List.copyOf(urls);
      if (urls.isEmpty()) {
        throw new IllegalArgumentException("no node URL");
      }
    }

    /** {@code logs-<service>-<environment>}, lower case, characters data streams allow. */
    public String dataStream() {
      return "logs-" + clean(service) + "-" + clean(environment);
    }

    String templateName() {
      return "logs-" + clean(service);
    }

    String templatePattern() {
      return "logs-" + clean(service) + "-*";
    }

    /**
     * The nodes' URLs as log lines show them (comma-separated): user information and secret
     * parameters masked.
     */
    public String destination() {
      StringBuilder text = new StringBuilder();
      for (URI url : urls) {
        text.append(text.isEmpty() ? "" : ",")
            .append(com.aicompanion.monitoring.ConfigKey.redact(url.toString()));
      }
      return text.toString();
    }

    private static String clean(String name) {
      return name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9._-]", "_");
    }
  }

  /**
   * The disk spool under the shipper. {@code explicit}: the user named the directory, so that a
   * directory that cannot be used fails the set-up; otherwise (the default directory) the shipper
   * falls back to memory only and says so once in the application's log. {@code dirSetting} and
   * {@code offSetting} name, for messages, how to set the directory and how to turn the spool off
   * (e.g. {@code MONITORING_ELASTICSEARCH_SPOOL_DIR=/data/spool}, or a logback.xml property).
   */
  public record Spool(
      Path dir,
      long maxBytes,
      Duration syncInterval,
      boolean explicit,
      String dirSetting,
      String offSetting) {}

  private final Settings settings;
  private final Encoder<ILoggingEvent> encoder;
  private final ShippingCounters counters;
  private final AtomicLong encodingWarned = new AtomicLong(Long.MIN_VALUE);
  private volatile Delivery delivery;

  /** Why the default spool could not be used, said on the first event; then null. */
  private final AtomicReference<@Nullable String> spoolWarning = new AtomicReference<>();

  public ElasticsearchAppender(
      Settings settings, Encoder<ILoggingEvent> encoder, ShippingCounters counters) {
    this.settings = settings;
    this.encoder = encoder;
    this.counters = counters;
    setName("elasticsearch");
  }

  /**
   * Starts the delivery, with the spool when the settings have one.
   *
   * @throws MonitoringException when an explicitly configured spool directory cannot be used
   *     (naming the setting, the directory, the cause and the fix); the default directory falls
   *     back to memory only instead, with one WARN in the application's log on the first event
   */
  @Override
  public void start() {
    BulkClient client =
        new BulkClient(
            logger(),
            settings.urls(),
            settings.authorization(),
            settings.dataStream(),
            settings.templateName(),
            settings.templatePattern(),
            settings.documentIds(),
            settings.safeForm());
    Spool spool = settings.spool();
    Delivery shipper;
    if (spool == null) {
      shipper = builder(client).build();
    } else {
      try {
        shipper =
            builder(client).spool(spool.dir(), spool.maxBytes(), spool.syncInterval()).build();
      } catch (MonitoringException e) {
        if (spool.explicit()) {
          throw new MonitoringException(
              spool.dirSetting()
                  + " names a directory the log shipper cannot use as its spool: "
                  + e.getMessage()
                  + " Or turn the spool off with "
                  + spool.offSetting()
                  + " (events then wait in memory only).",
              e);
        }
        spoolWarning.set(
            "Log shipping to "
                + settings.destination()
                + " keeps waiting events in memory only: the default spool directory cannot be"
                + " used. "
                + e.getMessage()
                + " Without a spool, events waiting for the node are lost when the application"
                + " stops and when an outage outlasts the memory queue. Set "
                + spool.dirSetting()
                + " to a writable directory of this instance's own, or "
                + spool.offSetting()
                + " to keep memory only without this warning.");
        shipper = builder(client).build();
      }
    }
    counters.queue(shipper::queuedRecords, shipper::queuedBytes);
    counters.spool(shipper::spoolCounts);
    delivery = shipper;
    super.start();
  }

  private Delivery.Builder builder(BulkClient client) {
    return Delivery.builder("monitoring-log-shipper", client)
        .destination(settings.destination())
        .unit("log event(s)")
        .logger(logger())
        .queue(
            settings.queueBytes(),
            settings.queueCapacity() <= 0 ? Integer.MAX_VALUE : settings.queueCapacity())
        .batch(settings.batchSize(), settings.batchBytes(), settings.flushInterval())
        .backoff(FIRST_BACKOFF, max(FIRST_BACKOFF, settings.maxBackoff()))
        .maxInFlight(settings.maxInFlight())
        .requestTimeout(REQUEST_TIMEOUT)
        .closeTimeout(settings.closeTimeout())
        .listener(counters.listener());
  }

  /** Whether the shipper runs without the spool its settings asked for (the default dir failed). */
  public boolean spoolFellBack() {
    return settings.spool() != null && delivery != null && delivery.spoolCounts() == null;
  }

  /**
   * The application's own log for the shipper's lines: the logger of this appender's Logback
   * context (the one a logback.xml configured), else SLF4J's.
   */
  private Logger logger() {
    return getContext() instanceof LoggerContext context
        ? context.getLogger(LOGGER)
        : LoggerFactory.getLogger(LOGGER);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (spoolWarning.get() != null) {
      String warning = spoolWarning.getAndSet(null);
      if (warning != null) {
        // said here, not in start(): only now is the application's log output attached; this
        // appender does not see the line itself (Logback's re-entry guard), the others do
        logger().warn(warning);
      }
    }
    // encoded here, on the logging thread: the encoder reads the current span itself
    byte[] line;
    try {
      line = encoder.encode(event);
    } catch (RuntimeException | LinkageError | StackOverflowError e) {
      encodingFailed(e);
      return;
    }
    if (line == null || line.length == 0) {
      encodingFailed(null);
      return;
    }
    // kept with its newline (the bulk body needs one after each document) and not copied:
    // the console may share the same array (SharedLineEncoder)
    delivery.offer(line);
  }

  private void encodingFailed(Throwable e) {
    counters.encodingFailed();
    long now = System.nanoTime();
    long last = encodingWarned.get();
    if ((last == Long.MIN_VALUE || now - last > 60_000_000_000L)
        && encodingWarned.compareAndSet(last, now)) {
      // Logback status, not SLF4J: this runs inside the application's logging call
      addWarn("a log event could not be encoded for shipping (counted as failed): " + e);
    }
  }

  /**
   * Sends what is queued within the close timeout; a request still in flight then is abandoned, and
   * what is left is counted as dropped.
   */
  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    Delivery shipper = delivery;
    if (shipper != null) {
      // while it flushes, events still appended are refused and counted (dropped, closed)
      shipper.close();
    }
    super.stop();
  }

  /** The delivery behind this appender (for its counts), or null before {@link #start()}. */
  public @Nullable Delivery delivery() {
    return delivery;
  }
}
