package com.aicompanion.monitoring.health;

import com.aicompanion.monitoring.ConfigKey;
import com.aicompanion.monitoring.Delivery;
import com.aicompanion.monitoring.health.internal.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * The sender behind {@link AlertNotifier}, on the library's {@link Delivery} component: a bounded
 * queue, one worker that posts batches to {@code /api/v2/alerts}, backoff while Alertmanager is
 * down or failing (connection errors, 408, 429, 5xx), outage and recovery lines in the
 * application's log, and the active alerts offered again every resend interval.
 *
 * <pre>{@code
 * AlertSender sender = new AlertSender(endpoint, Map.of("service", "svc"), 1000, Duration.ofMinutes(1),
 *     Duration.ofMillis(500), Duration.ofSeconds(30), clock, registry, notifier::resendActive);
 * sender.offer(alert, startsAt, null);   // firing; a resolvedAt instant resolves it
 * }</pre>
 *
 * <p>An alert is queued as its JSON object without {@code startsAt} and {@code endsAt}: both are
 * written when the batch is sent, against the clock at that time (see {@link #render}), so that a
 * late delivery is not taken as resolved and a resolve ends the alert at once in Alertmanager's
 * eyes however the clock stepped in between. Alertmanager refusing a batch with 400 (an invalid
 * alert) splits it until the refused alert is alone, which is dropped, counted ({@code rejected})
 * and logged with Alertmanager's message and the alert; the others go through. Other 4xx answers
 * (wrong URL, authentication) refuse the batch the same way without splitting. Items leave in the
 * order they were offered, one request at a time: the caller offers the states of one alert in the
 * order they happened.
 */
final class AlertSender implements Delivery.Sender {
  private static final int BATCH = 64;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
  private static final byte FIRING = 'F';
  private static final byte RESOLVED = 'R';
  private static final int HEADER = 17;

  /** One alert state to post; {@code resolvedAt} null means firing. */
  record Posting(Alert alert, Instant startsAt, @Nullable Instant resolvedAt) {}

  private final URI endpoint;
  private final Map<String, String> defaults;
  private final Duration resendInterval;
  private final Clock clock;
  private final Consumer<AlertSender> resendActive;
  private final HttpClient http;
  private final Delivery delivery;

  AlertSender(
      URI endpoint,
      Map<String, String> defaults,
      int capacity,
      Duration resendInterval,
      Duration firstBackoff,
      Duration maxBackoff,
      Clock clock,
      MeterRegistry registry,
      Consumer<AlertSender> resendActive) {
    this.endpoint = endpoint;
    this.defaults = Map.copyOf(defaults);
    this.resendInterval = resendInterval;
    this.clock = clock;
    this.resendActive = resendActive;
    this.http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
    Counter sent = counter(registry, "sent");
    Counter failed = counter(registry, "failed");
    Counter dropped = counter(registry, "dropped");
    Counter rejected = counter(registry, "rejected");
    this.delivery =
        Delivery.builder("monitoring-alerts", this)
            .destination(ConfigKey.redact(endpoint.toString()))
            .unit("alert(s)")
            .logger(LoggerFactory.getLogger(AlertNotifier.class))
            .queue(Delivery.DEFAULT_QUEUE_BYTES / 4, capacity)
            .batch(BATCH, 4L << 20, Duration.ZERO)
            // one request at a time: a resolved alert must not overtake its firing one
            .maxInFlight(1)
            .backoff(firstBackoff, maxBackoff)
            .requestTimeout(REQUEST_TIMEOUT)
            .closeTimeout(REQUEST_TIMEOUT)
            .every(resendInterval, this::resend)
            .listener(
                new Delivery.Listener() {
                  @Override
                  public void delivered(int count, String reason) {
                    sent.increment(count);
                  }

                  @Override
                  public void rejected(int count, String reason) {
                    rejected.increment(count);
                  }

                  @Override
                  public void dropped(int count, String reason) {
                    dropped.increment(count);
                  }

                  @Override
                  public void failedAttempt(int count, String cause) {
                    failed.increment(count);
                  }
                })
            .build();
  }

  private static Counter counter(MeterRegistry registry, String outcome) {
    return Counter.builder("monitoring_alerts")
        .description("Alerts posted to Alertmanager, by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }

  /** Queues one alert state; never blocks. A full queue drops it (counted). */
  void offer(Alert alert, Instant startsAt, @Nullable Instant resolvedAt) {
    delivery.offer(encode(new Posting(alert, startsAt, resolvedAt)));
  }

  /** Delivers what is queued within the request timeout; what is left is counted as dropped. */
  void close() {
    delivery.close();
  }

  /**
   * On the worker, every resend interval: the owner offers its active alerts again, so they do not
   * expire (each under the same lock as its fire and resolve, so a re-send never overtakes them).
   */
  private void resend() {
    resendActive.accept(this);
  }

  /**
   * One tag byte (firing or resolved), {@code startsAt} and the resolve instant in epoch
   * milliseconds (8 bytes each) and the alert's JSON object with its labels and annotations but
   * without {@code startsAt}, {@code endsAt} and its closing brace, which are written at send time.
   */
  byte[] encode(Posting p) {
    Alert alert = p.alert();
    Map<String, String> labels = new TreeMap<>(defaults);
    labels.putAll(alert.labels());
    labels.put("alertname", alert.name());
    labels.put("severity", alert.severity().label());
    Json json = new Json().beginObject().name("labels").beginObject();
    for (Map.Entry<String, String> label : labels.entrySet()) {
      json.name(label.getKey()).value(label.getValue());
    }
    json.endObject().name("annotations").beginObject();
    for (Map.Entry<String, String> a : alert.annotations().entrySet()) {
      json.name(a.getKey()).value(a.getValue());
    }
    json.endObject();
    byte[] object = json.toString().getBytes(StandardCharsets.UTF_8);
    byte[] payload = new byte[object.length + HEADER];
    Instant resolvedAt = p.resolvedAt();
    ByteBuffer.wrap(payload)
        .put(resolvedAt == null ? FIRING : RESOLVED)
        .putLong(p.startsAt().toEpochMilli())
        .putLong(resolvedAt == null ? 0 : resolvedAt.toEpochMilli())
        .put(object);
    return payload;
  }

  private static Instant earlier(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  /**
   * The JSON body of {@code POST /api/v2/alerts}, its times read against {@code now} (the clock at
   * send time), whichever way the clock stepped since the alert was fired or resolved:
   *
   * <ul>
   *   <li>a firing alert: {@code startsAt} never after now (a clock that was ahead when it fired),
   *       {@code endsAt} four resend intervals after now, so a late delivery is not taken as
   *       resolved;
   *   <li>a resolve: {@code endsAt} the earlier of the resolve instant and now (a clock that
   *       stepped back since the resolve would otherwise end it in the future, keeping it firing),
   *       {@code startsAt} never after that {@code endsAt} (Alertmanager refuses {@code endsAt}
   *       before {@code startsAt}, and keeps the earliest {@code startsAt} it has seen).
   * </ul>
   */
  byte[] render(List<Delivery.Item> items, Instant now) {
    return render(items.stream().map(Delivery.Item::payload).toList(), now, resendInterval);
  }

  /** {@link #render(List, Instant)} for queued payloads (see {@link #encode}). */
  static byte[] render(List<byte[]> payloads, Instant now, Duration resendInterval) {
    ByteArrayOutputStream body = new ByteArrayOutputStream(256 * payloads.size());
    body.write('[');
    Duration ahead = resendInterval.multipliedBy(4);
    for (int i = 0; i < payloads.size(); i++) {
      byte[] payload = payloads.get(i);
      if (i > 0) {
        body.write(',');
      }
      body.write(payload, HEADER, payload.length - HEADER);
      ByteBuffer header = ByteBuffer.wrap(payload, 0, HEADER);
      byte tag = header.get();
      Instant startsAt = Instant.ofEpochMilli(header.getLong());
      Instant endsAt =
          tag == FIRING ? now.plus(ahead) : earlier(Instant.ofEpochMilli(header.getLong()), now);
      startsAt = earlier(startsAt, tag == FIRING ? now : endsAt);
      String times =
          ",\"startsAt\":\""
              + DateTimeFormatter.ISO_INSTANT.format(startsAt)
              + "\",\"endsAt\":\""
              + DateTimeFormatter.ISO_INSTANT.format(endsAt)
              + "\"}";
      body.writeBytes(times.getBytes(StandardCharsets.US_ASCII));
    }
    body.write(']');
    return body.toByteArray();
  }

  @Override
  public long requestBytes(Delivery.Item item) {
    return item.payload().length + 40;
  }

  @Override
  public CompletableFuture<Delivery.Result> send(Delivery.Batch batch) {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(batch.timeout())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(render(batch.items(), clock.instant())))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(response -> classify(batch, response.statusCode(), response.body()));
  }

  private Delivery.Result classify(Delivery.Batch batch, int status, String body) {
    if (status / 100 == 2) {
      return Delivery.Result.delivered();
    }
    String answer = "Alertmanager answered HTTP " + status + ": " + abbreviate(body);
    if (status == 408 || status == 429 || status >= 500) {
      return Delivery.Result.retry(answer);
    }
    if (status == 413) {
      return Delivery.Result.tooLarge(answer);
    }
    if (batch.size() == 1) {
      return Delivery.Result.reject("rejected", answer + " for the alert " + labels(batch));
    }
    if (status == 400) {
      // one invalid alert refuses the whole batch: split it so that the others get through
      return Delivery.Result.split("rejected", answer);
    }
    return Delivery.Result.reject("rejected", answer);
  }

  /** The labels of a batch's single alert, as sent, for the log line. */
  private static String labels(Delivery.Batch batch) {
    byte[] payload = batch.items().get(0).payload();
    String object = new String(payload, HEADER, payload.length - HEADER, StandardCharsets.UTF_8);
    int end = object.indexOf(",\"annotations\"");
    return abbreviate(end < 0 ? object + "}" : object.substring(0, end) + "}");
  }

  private static String abbreviate(String body) {
    String line = body == null ? "" : body.strip().replace('\n', ' ');
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
