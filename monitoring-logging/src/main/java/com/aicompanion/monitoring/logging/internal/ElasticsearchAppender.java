package com.aicompanion.monitoring.logging.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ships log events straight to an Elasticsearch (or OpenSearch) data stream with the {@code _bulk}
 * API, off the application thread.
 *
 * <pre>{@code
 * ElasticsearchAppender appender = new ElasticsearchAppender(settings, ecsEncoder, counters);
 * appender.setContext(loggerContext);
 * appender.start();
 * root.addAppender(appender);
 * }</pre>
 *
 * <p>The application thread only offers the event to a bounded queue: when the queue is full the
 * new event is dropped and counted ({@code monitoring_log_events_total{outcome="dropped"}}); it
 * never blocks and never touches the network. One worker thread batches by count, bytes and time,
 * installs the index template first, and retries a batch with exponential backoff on connection
 * errors, 429 and 5xx (whole request or single items) for as long as the appender runs, so an
 * outage loses only what overflowed the queue. Items rejected for other reasons (e.g. a mapping
 * conflict) are counted as {@code failed}. {@link #stop()} flushes within the close timeout and
 * counts what is left as dropped, so {@code shipped + dropped + failed} equals what was logged.
 */
public final class ElasticsearchAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
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

  /** Frozen shipping settings. {@code authorization} is a full header value or null. */
  public record Settings(
      URI url,
      String authorization,
      String service,
      String environment,
      int queueCapacity,
      int batchSize,
      int batchBytes,
      Duration flushInterval,
      Duration closeTimeout,
      Duration maxBackoff) {

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

    private static String clean(String name) {
      return name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9._-]", "_");
    }
  }

  private final Settings settings;
  private final Encoder<ILoggingEvent> encoder;
  private final ShippingCounters counters;
  private final ArrayBlockingQueue<ILoggingEvent> queue;
  private final BulkClient client;
  private final CountDownLatch closing = new CountDownLatch(1);
  private final List<byte[]> pending = new ArrayList<>();
  private volatile long closeDeadline = Long.MAX_VALUE;
  private volatile boolean templateInstalled;
  private Thread worker;
  private long warnings;

  public ElasticsearchAppender(
      Settings settings, Encoder<ILoggingEvent> encoder, ShippingCounters counters) {
    this.settings = settings;
    this.encoder = encoder;
    this.counters = counters;
    this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
    this.client = new BulkClient(settings.url(), settings.authorization(), settings.dataStream());
    counters.queueSize(() -> queue.size() + pendingSize());
    setName("elasticsearch");
  }

  @Override
  public void start() {
    worker = new Thread(this::run, "monitoring-log-shipper");
    worker.setDaemon(true);
    worker.start();
    super.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    TraceCapture.attach(event);
    event.prepareForDeferredProcessing();
    if (closeDeadline != Long.MAX_VALUE || !queue.offer(event)) {
      counters.dropped(1);
    }
  }

  /** Flushes what is queued within the close timeout; what is left is counted as dropped. */
  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    super.stop();
    closeDeadline = System.nanoTime() + settings.closeTimeout().toNanos();
    closing.countDown();
    try {
      worker.join(settings.closeTimeout().toMillis() + 1000);
      if (worker.isAlive()) {
        worker.interrupt();
        worker.join(1000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean isClosing() {
    return closing.getCount() == 0;
  }

  private synchronized int pendingSize() {
    return pending.size();
  }

  private void run() {
    try {
      while (!isClosing() || !queue.isEmpty() || pendingSize() > 0) {
        if (pastDeadline()) {
          break;
        }
        fill();
        if (pendingSize() > 0) {
          ship();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      int left;
      synchronized (this) {
        left = pending.size();
        pending.clear();
      }
      left += queue.size();
      queue.clear();
      if (left > 0) {
        counters.dropped(left);
        addWarn(left + " log event(s) not shipped to " + settings.url() + " by the close deadline");
      }
    }
  }

  private boolean pastDeadline() {
    return System.nanoTime() - closeDeadline > 0;
  }

  /** Takes events from the queue into {@code pending} until a batch is full or the time is up. */
  private void fill() throws InterruptedException {
    long flushNanos = settings.flushInterval().toNanos();
    long batchEnd = System.nanoTime() + flushNanos;
    int bytes = 0;
    synchronized (this) {
      for (byte[] doc : pending) {
        bytes += doc.length;
      }
    }
    while (pendingSize() < settings.batchSize() && bytes < settings.batchBytes()) {
      ILoggingEvent event = queue.poll();
      if (event == null) {
        if (isClosing()) {
          return;
        }
        long wait = pendingSize() == 0 ? flushNanos : batchEnd - System.nanoTime();
        if (wait <= 0) {
          return;
        }
        event = queue.poll(wait, TimeUnit.NANOSECONDS);
        if (event == null) {
          return;
        }
      }
      byte[] doc = encode(event);
      if (doc != null) {
        synchronized (this) {
          pending.add(doc);
        }
        bytes += doc.length;
      }
    }
  }

  private byte[] encode(ILoggingEvent event) {
    try {
      // kept with its newline (the bulk body needs one after each document) and not copied:
      // the console may share the same array (SharedLineEncoder)
      byte[] line = encoder.encode(event);
      if (line == null || line.length == 0) {
        counters.failed(1);
      }
      return line == null || line.length == 0 ? null : line;
    } catch (RuntimeException e) {
      counters.failed(1);
      warn("a log event could not be encoded: " + e);
      return null;
    }
  }

  /** Sends {@code pending} until every item is shipped or failed, backing off between tries. */
  private void ship() throws InterruptedException {
    long backoff = FIRST_BACKOFF.toNanos();
    while (true) {
      List<byte[]> batch;
      synchronized (this) {
        batch = List.copyOf(pending);
      }
      String problem;
      try {
        if (!templateInstalled) {
          client.installTemplate(
              settings.templateName(), settings.templatePattern(), requestTimeout());
          templateInstalled = true;
        }
        BulkClient.Result result = client.send(batch, requestTimeout());
        counters.shipped(result.shipped());
        counters.failed(result.failed());
        if (result.failed() > 0) {
          warn(result.failed() + " log event(s) rejected: " + result.firstError());
        }
        synchronized (this) {
          pending.clear();
          pending.addAll(result.retry());
        }
        if (result.retry().isEmpty()) {
          return;
        }
        problem = result.firstError() == null ? "items to retry" : result.firstError();
      } catch (java.io.IOException | RuntimeException e) {
        problem = e.toString();
      }
      if (pastDeadline()) {
        return;
      }
      warn("shipping to " + settings.url() + " failed (" + problem + "); retrying");
      long remaining = closeDeadline - System.nanoTime();
      long wait = isClosing() ? Math.min(backoff, Math.max(remaining, 0)) : backoff;
      if (isClosing()) {
        TimeUnit.NANOSECONDS.sleep(wait);
      } else {
        // wakes up early when close() begins, to flush promptly
        closing.await(wait, TimeUnit.NANOSECONDS);
      }
      backoff = Math.min(backoff * 2, settings.maxBackoff().toNanos());
    }
  }

  private Duration requestTimeout() {
    if (!isClosing()) {
      return REQUEST_TIMEOUT;
    }
    long remaining = closeDeadline - System.nanoTime();
    return Duration.ofNanos(Math.max(Math.min(remaining, REQUEST_TIMEOUT.toNanos()), 1_000_000));
  }

  /** Logback status messages, not SLF4J: logging here would feed this appender. */
  private void warn(String message) {
    warnings++;
    if (warnings <= 20 || warnings % 1000 == 0) {
      addWarn(message);
    }
  }
}
