package com.aicompanion.monitoring;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A small sender over real HTTP for the delivery tests: one line {@code <id> <payload>} per record
 * (request bytes = id + blank + payload + newline). The receiver answers the whole request with a
 * status (2xx delivered, 413 too large, 400 split when {@code splitOn400}, other 4xx rejected, 429
 * and 5xx retried), or with status 207 and one status per line for the records: 200 delivered, 409
 * duplicate, 503 retry, 422 resend in upper case, other rejected.
 */
final class LineSender implements Delivery.Sender {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final URI uri;
  private final boolean shortens;
  private boolean splitOn400;

  LineSender(URI uri) {
    this(uri, false);
  }

  /** {@code shortens}: oversize payloads are cut to the limit, ending with {@code ~}. */
  LineSender(URI uri, boolean shortens) {
    this.uri = uri;
    this.shortens = shortens;
  }

  LineSender splitOn400() {
    this.splitOn400 = true;
    return this;
  }

  @Override
  public CompletableFuture<Delivery.Result> send(Delivery.Batch batch) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Delivery.Item item : batch.items()) {
      body.writeBytes(item.id().getBytes(StandardCharsets.UTF_8));
      body.write(' ');
      body.writeBytes(item.payload());
      body.write('\n');
    }
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(batch.timeout())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(response -> result(batch, response.statusCode(), response.body()));
  }

  private Delivery.Result result(Delivery.Batch batch, int status, String body) {
    if (status == 207) {
      String[] lines = body.split("\n");
      Delivery.Result.Items items = Delivery.Result.items(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        int code = Integer.parseInt(lines[i].trim());
        Delivery.Item item = batch.items().get(i);
        switch (code) {
          case 200 -> {}
          case 409 -> items.delivered(i, "duplicate");
          case 503 -> items.retry(i, "item status 503");
          case 422 ->
              items.resend(
                  i,
                  new String(item.payload(), StandardCharsets.UTF_8)
                      .toUpperCase(java.util.Locale.ROOT)
                      .getBytes(StandardCharsets.UTF_8),
                  "upper_case");
          default -> items.reject(i, "rejected", "item status " + code);
        }
      }
      return items;
    }
    if (status / 100 == 2) {
      return Delivery.Result.delivered();
    }
    if (status == 413) {
      return Delivery.Result.tooLarge("HTTP 413");
    }
    if (status == 429 || status >= 500) {
      return Delivery.Result.retry("HTTP " + status + ": " + body);
    }
    if (status == 400 && splitOn400) {
      return Delivery.Result.split("invalid", "HTTP 400: " + body);
    }
    return Delivery.Result.reject("rejected", "HTTP " + status + ": " + body);
  }

  @Override
  public long requestBytes(Delivery.Item item) {
    return item.id().length() + 1 + item.payload().length + 1;
  }

  @Override
  public byte[] shorten(Delivery.Item item, long maxPayloadBytes) {
    if (!shortens || maxPayloadBytes < 2) {
      return null;
    }
    byte[] cut = java.util.Arrays.copyOf(item.payload(), (int) maxPayloadBytes);
    cut[cut.length - 1] = '~';
    return cut;
  }
}
