package com.aicompanion.monitoring.logging.internal;

import com.aicompanion.monitoring.Delivery;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The Elasticsearch side of shipping, as the {@link Delivery.Sender} of the log shipper: installs
 * the index template once, sends {@code _bulk} requests of {@code create} actions to one data
 * stream, and says what became of every document.
 *
 * <pre>{@code
 * BulkClient client = new BulkClient(log, List.of(URI.create("http://127.0.0.1:9200")), null,
 *     "logs-svc-dev", "logs-svc", "logs-svc-*", true, SafeDocument::safeForm);
 * Delivery shipper = Delivery.builder("monitoring-log-shipper", client)...build();
 * }</pre>
 *
 * <p>Each action names the document id {@code <storeId>-<sequence>} ({@link Delivery.Item#id()}),
 * so a document sent again after a timeout or a restart is refused as a duplicate (409), counted as
 * shipped ({@code duplicate}), and the index holds each logged event once. With {@code documentIds}
 * false ({@code elasticsearch.document.ids=false}) the actions name no id and the node makes one
 * up: it ingests faster (no look-up of each id), and a resend may index an event twice.
 *
 * <p>The template: 2xx installs it; 408, 429, 5xx and connection errors are retried with backoff
 * (the batch waits); any other 4xx (403 for an API key that may write but not manage templates,
 * 400, 413 from a proxy's body limit) is a lasting refusal: one WARN in the application's log names
 * the URL, the status and the body, and shipping goes on without the template.
 *
 * <p>Answers: 2xx is read with Jackson's streaming parser, asking the node for only {@code errors}
 * and each item's status and error type/reason ({@code filter_path}); when {@code errors} is false,
 * nothing more is read. 413 splits the request ({@link Delivery.Result#tooLarge}); 408, 429 and 5xx
 * are retried with backoff; other answers refuse the batch. Per item: 2xx shipped, 409 duplicate,
 * 429/5xx retried, a mapping conflict resent once in its safe form ({@code safeForm}, counted
 * {@code safe_form}) and otherwise failed as {@code mapping}, anything else failed as {@code
 * rejected}. A document over the request limit is shortened by {@link DocumentShortener}.
 *
 * <p>Nodes: every request (the template and each {@code _bulk}) goes through {@link ClusterNodes}:
 * to the first node of the list that answers, failing over to the next on a connection failure, a
 * timeout or 502/503/504, within the batch's one timeout.
 */
final class BulkClient implements Delivery.Sender {
  private static final JsonFactory JSON = new JsonFactory();
  private static final byte[] ACTION_START =
      "{\"create\":{\"_id\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ACTION_END = "\"}}\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ACTION_WITHOUT_ID =
      "{\"create\":{}}\n".getBytes(StandardCharsets.US_ASCII);
  private static final String FILTER =
      "?filter_path=errors,items.*.status,items.*.error.type,items.*.error.reason";

  private final ClusterNodes nodes;
  private final String bulk;
  private final String template;
  private final String templatePattern;
  private final String authorization;
  private final @Nullable UnaryOperator<byte[]> safeForm;
  private final boolean documentIds;
  private final Logger log;
  // true once the template is in place, or the node refused it for good (4xx: see installTemplate)
  private volatile boolean templateSettled;
  private final java.util.concurrent.atomic.AtomicBoolean templateWarned =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * @param authorization a full {@code Authorization} header value, or null
   * @param documentIds whether each action names the record's id (false: the node makes one up)
   * @param safeForm the safe form of a document refused for a mapping conflict, or null to fail
   *     such documents at once
   * @param log the application's log, for the one warning about a template the node refuses
   */
  BulkClient(
      Logger log,
      List<URI> urls,
      @Nullable String authorization,
      String dataStream,
      String templateName,
      String templatePattern,
      boolean documentIds,
      @Nullable UnaryOperator<byte[]> safeForm) {
    this.bulk = dataStream + "/_bulk" + FILTER;
    this.template = "_index_template/" + templateName;
    this.templatePattern = templatePattern;
    this.authorization = authorization;
    this.safeForm = safeForm;
    this.documentIds = documentIds;
    this.log = log;
    this.nodes =
        new ClusterNodes(
            log, urls, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
  }

  @Override
  public long requestBytes(Delivery.Item item) {
    return lineBytes(item);
  }

  /** The action line and the document line of {@code item}, in bytes. */
  private long lineBytes(Delivery.Item item) {
    byte[] doc = item.payload();
    boolean newline = doc.length > 0 && doc[doc.length - 1] == '\n';
    return (documentIds
            ? ACTION_START.length + item.idLength() + ACTION_END.length
            : ACTION_WITHOUT_ID.length)
        + doc.length
        + (newline ? 0 : 1);
  }

  @Override
  public byte @Nullable [] shorten(Delivery.Item item, long maxPayloadBytes) {
    return DocumentShortener.shorten(item.payload(), maxPayloadBytes);
  }

  @Override
  public CompletableFuture<Delivery.Result> send(Delivery.Batch batch) {
    byte[] body = body(batch);
    if (templateSettled) {
      return post(batch, body);
    }
    CompletableFuture<Delivery.@Nullable Result> install = installTemplate(batch.timeout());
    AtomicReference<@Nullable CompletableFuture<?>> current = new AtomicReference<>(install);
    CompletableFuture<Delivery.Result> result =
        install.thenCompose(
            problem -> {
              if (problem != null) {
                return CompletableFuture.completedFuture(problem);
              }
              CompletableFuture<Delivery.Result> post = post(batch, body);
              current.set(post);
              return post;
            });
    result.whenComplete(
        (r, e) -> {
          CompletableFuture<?> stage = current.get();
          if (result.isCancelled() && stage != null) {
            stage.cancel(true);
          }
        });
    return result;
  }

  /** Completes with null when the template is in place, else with the result to report. */
  private CompletableFuture<Delivery.@Nullable Result> installTemplate(Duration timeout) {
    String json = IndexTemplate.json(templatePattern);
    return cancelling(
        nodes.send(
            template,
            builder ->
                authorize(builder)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(json)),
            HttpResponse.BodyHandlers.ofString(),
            timeout),
        response -> {
          int status = response.statusCode();
          if (status / 100 == 2) {
            templateSettled = true;
            return null;
          }
          if (status / 100 == 4 && status != 408 && status != 429) {
            // not permitted, invalid or too large here (a write-only API key gets 403, a
            // proxy's body limit 413): a lasting answer, so ship without the template
            // rather than wait for it forever; two requests in flight may both hear it
            templateSettled = true;
            if (!templateWarned.compareAndSet(false, true)) {
              return null;
            }
            log.warn(
                "Installing the index template with PUT {} answered HTTP {}: {}. Shipping goes"
                    + " on without it; the template must be installed by operators"
                    + " (JsonLogging.indexTemplate(..) or"
                    + " stack/elasticsearch/index-template.json), else the node maps the"
                    + " fields dynamically.",
                com.aicompanion.monitoring.ConfigKey.redact(response.request().uri().toString()),
                status,
                abbreviate(response.body()));
            return null;
          }
          return Delivery.Result.retry(
              "installing the index template answered HTTP "
                  + response.statusCode()
                  + ": "
                  + abbreviate(response.body()));
        });
  }

  /** {@code source.thenApply(then)}, whose cancellation reaches {@code source}. */
  private static <T, R> CompletableFuture<R> cancelling(
      CompletableFuture<T> source, java.util.function.Function<T, R> then) {
    CompletableFuture<R> result = source.thenApply(then);
    result.whenComplete(
        (r, e) -> {
          if (result.isCancelled()) {
            source.cancel(true);
          }
        });
    return result;
  }

  private CompletableFuture<Delivery.Result> post(Delivery.Batch batch, byte[] body) {
    return cancelling(
        nodes.send(
            bulk,
            builder ->
                authorize(builder)
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)),
            HttpResponse.BodyHandlers.ofByteArray(),
            batch.timeout()),
        response -> classify(batch, response.statusCode(), response.body()));
  }

  /** The request body, built in one array of its exact size (the sizes are known up front). */
  private byte[] body(Delivery.Batch batch) {
    long size = 0;
    for (Delivery.Item item : batch.items()) {
      size += lineBytes(item);
    }
    if (size > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("a _bulk body of " + size + " bytes");
    }
    byte[] body = new byte[(int) size];
    int p = 0;
    for (Delivery.Item item : batch.items()) {
      if (documentIds) {
        System.arraycopy(ACTION_START, 0, body, p, ACTION_START.length);
        p = item.writeId(body, p + ACTION_START.length);
        System.arraycopy(ACTION_END, 0, body, p, ACTION_END.length);
        p += ACTION_END.length;
      } else {
        System.arraycopy(ACTION_WITHOUT_ID, 0, body, p, ACTION_WITHOUT_ID.length);
        p += ACTION_WITHOUT_ID.length;
      }
      byte[] doc = item.payload();
      System.arraycopy(doc, 0, body, p, doc.length);
      p += doc.length;
      if (doc.length == 0 || doc[doc.length - 1] != '\n') {
        body[p++] = '\n';
      }
    }
    return body;
  }

  Delivery.Result classify(Delivery.Batch batch, int status, byte[] body) {
    if (status == 413) {
      return Delivery.Result.tooLarge("HTTP 413" + detail(body));
    }
    if (status == 408 || status == 429 || status >= 500) {
      return Delivery.Result.retry("HTTP " + status + detail(body));
    }
    if (status / 100 != 2) {
      return Delivery.Result.reject("rejected", "HTTP " + status + detail(body));
    }
    try {
      return items(batch, body);
    } catch (IOException | RuntimeException e) {
      // which documents went in is unknown: send them all again; those that did come back 409
      return Delivery.Result.retry("unreadable _bulk answer: " + e.getMessage());
    }
  }

  /** Reads {@code errors} first; only when it is true, each item's status and error. */
  private Delivery.Result items(Delivery.Batch batch, byte[] body) throws IOException {
    Delivery.Result.Items items = null;
    int index = 0;
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (field.equals("errors")) {
          if (value == JsonToken.VALUE_FALSE) {
            return Delivery.Result.delivered();
          }
        } else if (field.equals("items") && value == JsonToken.START_ARRAY) {
          items = Delivery.Result.items(batch.size());
          while (parser.nextToken() == JsonToken.START_OBJECT) {
            Item item = item(parser);
            if (index < batch.size()) {
              outcome(items, index, batch.items().get(index), item);
            }
            index++;
          }
        } else {
          parser.skipChildren();
        }
      }
    }
    if (items == null) {
      throw new IOException("no items");
    }
    for (int i = index; i < batch.size(); i++) {
      items.retry(i, "no answer for this document");
    }
    return items;
  }

  private record Item(int status, String type, String reason) {}

  /** One element of {@code items}: {@code {"create":{"status":..,"error":{..}}}}. */
  private static Item item(JsonParser parser) throws IOException {
    int status = 500;
    String type = "";
    String reason = "";
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        parser.skipChildren();
        continue;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (name.equals("status") && value == JsonToken.VALUE_NUMBER_INT) {
          status = parser.getIntValue();
        } else if (name.equals("error") && value == JsonToken.START_OBJECT) {
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            JsonToken v = parser.nextToken();
            if (key.equals("type") && v == JsonToken.VALUE_STRING) {
              type = parser.getText();
            } else if (key.equals("reason") && v == JsonToken.VALUE_STRING) {
              reason = parser.getText();
            } else {
              parser.skipChildren();
            }
          }
        } else {
          parser.skipChildren();
        }
      }
    }
    return new Item(status, type, reason);
  }

  private void outcome(Delivery.Result.Items items, int index, Delivery.Item doc, Item answer) {
    int status = answer.status();
    if (status / 100 == 2) {
      return;
    }
    String error = answer.type() + ": " + abbreviate(answer.reason());
    if (status == 409) {
      items.delivered(index, "duplicate");
    } else if (status == 429 || status >= 500) {
      items.retry(index, "item status " + status + " " + error);
    } else if (isMapping(answer)) {
      byte[] safe = doc.resentAs() == null ? safeForm(doc.payload()) : null;
      if (safe != null) {
        items.resend(index, safe, "safe_form");
      } else {
        items.reject(index, "mapping", error);
      }
    } else {
      items.reject(index, "rejected", "item status " + status + " " + error);
    }
  }

  private byte @Nullable [] safeForm(byte[] doc) {
    if (safeForm == null) {
      return null;
    }
    try {
      byte[] safe = safeForm.apply(doc);
      return safe == null || Arrays.equals(safe, doc) ? null : safe;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * A refusal caused by a field's mapping (a type conflict, or the index at its field limit, {@code
   * index.mapping.total_fields.limit}): the document may pass in its safe form.
   */
  static boolean isMapping(String type, String reason) {
    return type.contains("mapper")
        || type.contains("mapping")
        || type.equals("document_parsing_exception")
        || (type.equals("illegal_argument_exception")
            && (reason.contains("mapp") || reason.contains("Limit of total fields")));
  }

  private static boolean isMapping(Item item) {
    return isMapping(item.type(), item.reason());
  }

  private HttpRequest.Builder authorize(HttpRequest.Builder builder) {
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return builder;
  }

  private static String detail(byte[] body) {
    String text =
        abbreviate(new String(body, 0, Math.min(body.length, 600), StandardCharsets.UTF_8));
    return text.isEmpty() ? "" : ": " + text;
  }

  private static String abbreviate(String text) {
    String line = text == null ? "" : text.strip().replace('\n', ' ');
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
