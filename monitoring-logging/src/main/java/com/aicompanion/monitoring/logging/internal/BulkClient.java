package com.aicompanion.monitoring.logging.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP side of shipping: installs the index template and sends {@code _bulk} requests to one
 * data stream, classifying every item as shipped, to retry or failed.
 *
 * <pre>{@code
 * BulkClient client = new BulkClient(URI.create("http://127.0.0.1:9200"), null, "logs-svc-dev");
 * client.installTemplate("logs-svc", "logs-svc-*");
 * BulkClient.Result result = client.send(docs, Duration.ofSeconds(10));
 * }</pre>
 */
final class BulkClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] CREATE = "{\"create\":{}}\n".getBytes(StandardCharsets.UTF_8);

  private final URI base;
  private final String authorization;
  private final String dataStream;
  private final HttpClient http;

  /** The outcome of one bulk request; {@code retry} holds the documents to send again. */
  record Result(int shipped, int failed, List<byte[]> retry, String firstError) {}

  BulkClient(URI base, String authorization, String dataStream) {
    String text = base.toString();
    this.base = URI.create(text.endsWith("/") ? text : text + "/");
    this.authorization = authorization;
    this.dataStream = dataStream;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /**
   * PUTs the composable index template: a data stream for {@code pattern} with the ECS mapping.
   *
   * @throws IOException when the request fails or is not acknowledged
   */
  void installTemplate(String name, String pattern, Duration timeout)
      throws IOException, InterruptedException {
    HttpRequest request =
        request("_index_template/" + name, timeout)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(IndexTemplate.json(pattern)))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException(
          "index template " + name + " answered " + response.statusCode() + ": " + response.body());
    }
  }

  /**
   * Sends {@code docs} (one JSON object each, with or without its trailing newline) as one bulk
   * request.
   */
  Result send(List<byte[]> docs, Duration timeout) throws IOException, InterruptedException {
    ByteArrayOutputStream body = new ByteArrayOutputStream(docs.size() * 512);
    for (byte[] doc : docs) {
      body.write(CREATE);
      body.write(doc);
      if (doc.length == 0 || doc[doc.length - 1] != '\n') {
        body.write('\n');
      }
    }
    HttpRequest request =
        request(dataStream + "/_bulk", timeout)
            .header("Content-Type", "application/x-ndjson")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
            .build();
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    int status = response.statusCode();
    if (status == 429 || status >= 500) {
      return new Result(0, 0, docs, "HTTP " + status);
    }
    if (status / 100 != 2) {
      return new Result(
          0,
          docs.size(),
          List.of(),
          "HTTP " + status + ": " + new String(response.body(), StandardCharsets.UTF_8));
    }
    JsonNode root = JSON.readTree(response.body());
    if (!root.path("errors").asBoolean(false)) {
      return new Result(docs.size(), 0, List.of(), null);
    }
    JsonNode items = root.path("items");
    int shipped = 0;
    int failed = 0;
    String firstError = null;
    List<byte[]> retry = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      JsonNode item = items.path(i).path("create");
      int itemStatus = item.path("status").asInt(500);
      if (itemStatus / 100 == 2) {
        shipped++;
      } else if (itemStatus == 429 || itemStatus >= 500) {
        retry.add(docs.get(i));
      } else {
        failed++;
        if (firstError == null) {
          firstError = itemStatus + " " + item.path("error").toString();
        }
      }
    }
    return new Result(shipped, failed, retry, firstError);
  }

  private HttpRequest.Builder request(String path, Duration timeout) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return builder;
  }
}
