package com.aicompanion.monitoring.logging.internal;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import com.aicompanion.monitoring.Delivery;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
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
 * reached this appender.
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
   * (null: such documents fail at once).
   */
  public record Settings(
      URI url,
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
      @Nullable UnaryOperator<byte[]> safeForm) {

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

    /** The node's URL as log lines show it: user information and secret parameters masked. */
    String destination() {
      return com.aicompanion.monitoring.ConfigKey.redact(url.toString());
    }

    private static String clean(String name) {
      return name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9._-]", "_");
    }
  }

  private final Settings settings;
  private final Encoder<ILoggingEvent> encoder;
  private final ShippingCounters counters;
  private final AtomicLong encodingWarned = new AtomicLong(Long.MIN_VALUE);
  private volatile Delivery delivery;

  public ElasticsearchAppender(
      Settings settings, Encoder<ILoggingEvent> encoder, ShippingCounters counters) {
    this.settings = settings;
    this.encoder = encoder;
    this.counters = counters;
    setName("elasticsearch");
  }

  @Override
  public void start() {
    BulkClient client =
        new BulkClient(
            logger(),
            settings.url(),
            settings.authorization(),
            settings.dataStream(),
            settings.templateName(),
            settings.templatePattern(),
            settings.safeForm());
    Delivery shipper =
        Delivery.builder("monitoring-log-shipper", client)
            .destination(settings.destination())
            .unit("log event(s)")
            .logger(logger())
            .queue(
                settings.queueBytes(),
                settings.queueCapacity() <= 0 ? Integer.MAX_VALUE : settings.queueCapacity())
            .batch(settings.batchSize(), settings.batchBytes(), settings.flushInterval())
            .backoff(FIRST_BACKOFF, max(FIRST_BACKOFF, settings.maxBackoff()))
            .requestTimeout(REQUEST_TIMEOUT)
            .closeTimeout(settings.closeTimeout())
            .listener(counters.listener())
            .build();
    counters.queue(shipper::queuedRecords, shipper::queuedBytes);
    delivery = shipper;
    super.start();
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
    TraceCapture.attach(event);
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
