package com.aicompanion.monitoring.health;

import com.aicompanion.monitoring.health.internal.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender thread behind {@link AlertNotifier}: drains the bounded queue in batches, posts them,
 * retries a failed batch with exponential backoff (recomputing {@code endsAt} so that a late
 * delivery is not taken as resolved), and re-queues the active alerts every resend interval.
 */
final class AlertSender {
  private static final Logger LOG = LoggerFactory.getLogger(AlertNotifier.class);
  private static final int BATCH = 64;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  /** One alert state to post; {@code resolvedAt} null means firing. */
  record Posting(Alert alert, Instant startsAt, Instant resolvedAt) {}

  private final URI endpoint;
  private final String service;
  private final String environment;
  private final BlockingQueue<Posting> queue;
  private final Duration resendInterval;
  private final Duration firstBackoff;
  private final Duration maxBackoff;
  private final Clock clock;
  private final Supplier<List<Posting>> active;
  private final Counter sent;
  private final Counter failed;
  private final Counter dropped;
  private final HttpClient http;
  private final CountDownLatch closing = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean warnedDown;

  AlertSender(
      URI endpoint,
      String service,
      String environment,
      int capacity,
      Duration resendInterval,
      Duration firstBackoff,
      Duration maxBackoff,
      Clock clock,
      MeterRegistry registry,
      Supplier<List<Posting>> active) {
    this.endpoint = endpoint;
    this.service = service;
    this.environment = environment;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.resendInterval = resendInterval;
    this.firstBackoff = firstBackoff;
    this.maxBackoff = maxBackoff;
    this.clock = clock;
    this.active = active;
    this.sent = counter(registry, "sent");
    this.failed = counter(registry, "failed");
    this.dropped = counter(registry, "dropped");
    this.http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
    this.thread = new Thread(this::run, "monitoring-alerts");
    thread.setDaemon(true);
    thread.start();
  }

  private static Counter counter(MeterRegistry registry, String outcome) {
    return Counter.builder("monitoring_alerts")
        .description("Alerts posted to Alertmanager, by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }

  void offer(Alert alert, Instant startsAt, Instant resolvedAt) {
    if (closing.getCount() == 0 || !queue.offer(new Posting(alert, startsAt, resolvedAt))) {
      dropped.increment();
    }
  }

  void close() {
    if (closing.getCount() == 0) {
      return;
    }
    closing.countDown();
    try {
      thread.join(REQUEST_TIMEOUT.toMillis() + 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    long nextResend = System.nanoTime() + resendInterval.toNanos();
    while (closing.getCount() > 0) {
      try {
        if (System.nanoTime() - nextResend >= 0) {
          nextResend = System.nanoTime() + resendInterval.toNanos();
          for (Posting p : active.get()) {
            if (!queue.offer(p)) {
              dropped.increment();
            }
          }
        }
        long waitNanos = Math.max(1, nextResend - System.nanoTime());
        Posting first =
            queue.poll(
                Math.min(waitNanos, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
        if (first != null) {
          deliver(batch(first));
        }
      } catch (InterruptedException e) {
        break;
      } catch (RuntimeException e) {
        LOG.warn("Alert sender failed; continuing", e);
      }
    }
    // one last attempt for what is still queued
    List<Posting> rest = new ArrayList<>();
    queue.drainTo(rest);
    if (!rest.isEmpty() && !post(rest)) {
      dropped.increment(rest.size());
    }
  }

  private List<Posting> batch(Posting first) {
    List<Posting> batch = new ArrayList<>(BATCH);
    batch.add(first);
    queue.drainTo(batch, BATCH - 1);
    return batch;
  }

  /** Posts until delivered, waiting with backoff between attempts, or until closing. */
  private void deliver(List<Posting> batch) throws InterruptedException {
    long backoff = firstBackoff.toMillis();
    while (!post(batch)) {
      if (closing.await(backoff, TimeUnit.MILLISECONDS)) {
        dropped.increment(batch.size());
        return;
      }
      backoff = Math.min(backoff * 2, maxBackoff.toMillis());
    }
  }

  private boolean post(List<Posting> batch) {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(render(batch, clock.instant())))
            .build();
    String problem;
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 == 2) {
        sent.increment(batch.size());
        if (warnedDown) {
          warnedDown = false;
          LOG.info("Alertmanager at {} accepts alerts again", endpoint);
        }
        return true;
      }
      problem = "HTTP " + response.statusCode() + ": " + abbreviate(response.body());
    } catch (java.io.IOException e) {
      problem =
          e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problem = "interrupted";
    }
    failed.increment(batch.size());
    if (!warnedDown) {
      warnedDown = true;
      LOG.warn("Cannot post alerts to {} ({}); retrying with backoff", endpoint, problem);
    }
    return false;
  }

  /** The JSON body of {@code POST /api/v2/alerts}; firing alerts end four resends from now. */
  String render(List<Posting> batch, Instant now) {
    Json json = new Json().beginArray();
    for (Posting p : batch) {
      Alert alert = p.alert();
      json.beginObject().name("labels").beginObject();
      json.name("alertname").value(alert.name());
      json.name("service").value(service);
      json.name("environment").value(environment);
      json.name("severity").value(alert.severity().label());
      for (Map.Entry<String, String> label : alert.labels().entrySet()) {
        json.name(label.getKey()).value(label.getValue());
      }
      json.endObject().name("annotations").beginObject();
      for (Map.Entry<String, String> a : alert.annotations().entrySet()) {
        json.name(a.getKey()).value(a.getValue());
      }
      Instant endsAt =
          p.resolvedAt() != null ? p.resolvedAt() : now.plus(resendInterval.multipliedBy(4));
      json.endObject();
      json.name("startsAt").value(DateTimeFormatter.ISO_INSTANT.format(p.startsAt()));
      json.name("endsAt").value(DateTimeFormatter.ISO_INSTANT.format(endsAt));
      json.endObject();
    }
    return json.endArray().toString();
  }

  private static String abbreviate(String body) {
    String line = body == null ? "" : body.strip().replace('\n', ' ');
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
