package com.aicompanion.monitoring.logging.internal;

import com.aicompanion.monitoring.ConfigKey;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The nodes of one Elasticsearch/OpenSearch cluster as the shipper reaches them: each request goes
 * to one node and fails over to the next on a connection failure, a timeout or an "unavailable"
 * answer (502, 503, 504), within the request's one timeout.
 *
 * <pre>{@code
 * ClusterNodes nodes = new ClusterNodes(log, List.of(URI.create("http://es1:9200"),
 *     URI.create("http://es2:9200")), HttpClient.newHttpClient());
 * CompletableFuture<HttpResponse<byte[]>> answer = nodes.send("logs-svc-dev/_bulk",
 *     b -> b.POST(HttpRequest.BodyPublishers.ofByteArray(body)),
 *     HttpResponse.BodyHandlers.ofByteArray(), Duration.ofSeconds(10));
 * }</pre>
 *
 * <p><b>Order.</b> Nodes are tried in the order configured, those marked down last: a node that
 * failed is marked down and skipped while its wait runs (5 s after its first failure, doubling with
 * each further failure up to 5 min), then takes its place in the order again. So requests go to the
 * first node that answers; a node that failed is retried later, not on every request; when every
 * node is down they are all still tried, in order, before the attempt fails. A node that answers
 * (any status other than 502/503/504) is up again.
 *
 * <p><b>When all fail</b> the future completes with the last node's answer (a 503 is then retried
 * with backoff by the caller, like any 503) or exceptionally (one node: its own exception; several:
 * an {@link IOException} naming each node and its failure), and the delivery's backoff applies.
 *
 * <p><b>Logs.</b> With more than one node, each transition is logged once in the application's log:
 * a node going down (WARN, naming the node, the cause and where requests go now) and coming back
 * (INFO). With one node nothing is added to the delivery's own outage lines.
 *
 * <p>Thread-safe: several requests may be in flight at once. Cancelling the returned future cancels
 * the HTTP exchange in flight and marks no node.
 */
final class ClusterNodes {
  static final Duration FIRST_WAIT = Duration.ofSeconds(5);
  static final Duration MAX_WAIT = Duration.ofMinutes(5);

  /** One node: its root URL and whether it is down (guarded by itself). */
  static final class Node {
    final URI root;
    final String shown;
    private boolean down;
    private long retryAt;
    private long wait;
    private long downSince;

    Node(URI url) {
      String text = url.toString();
      this.root = URI.create(text.endsWith("/") ? text : text + "/");
      this.shown = ConfigKey.redact(text);
    }

    synchronized boolean eligible(long now) {
      return !down || now - retryAt >= 0;
    }

    synchronized boolean isDown() {
      return down;
    }

    @Override
    public String toString() {
      return shown;
    }
  }

  private final Logger log;
  private final Node[] nodes;
  private final HttpClient http;
  private final long firstWait;
  private final long maxWait;

  ClusterNodes(Logger log, List<URI> urls, HttpClient http) {
    this(log, urls, http, FIRST_WAIT, MAX_WAIT);
  }

  ClusterNodes(Logger log, List<URI> urls, HttpClient http, Duration firstWait, Duration maxWait) {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("no node URL");
    }
    this.log = log;
    this.nodes = urls.stream().map(Node::new).toArray(Node[]::new);
    this.http = http;
    this.firstWait = firstWait.toNanos();
    this.maxWait = Math.max(this.firstWait, maxWait.toNanos());
  }

  /** The nodes in the order configured. */
  List<Node> nodes() {
    return List.of(nodes);
  }

  /** The order for a request now: the eligible nodes as configured, then those still waiting. */
  List<Node> order() {
    long now = System.nanoTime();
    List<Node> order = new ArrayList<>(nodes.length);
    List<Node> waiting = new ArrayList<>(0);
    for (Node node : nodes) {
      (node.eligible(now) ? order : waiting).add(node);
    }
    order.addAll(waiting);
    return order;
  }

  /**
   * Sends a request to the first node that answers.
   *
   * @param path relative to each node's URL, e.g. {@code logs-svc-dev/_bulk?filter_path=errors}
   * @param shape sets the method, body and headers on the builder (called once per node tried)
   * @param timeout for the whole request, all nodes tried included; each node gets what is left
   * @return the first answer that is not 502/503/504, else as described in the class comment
   */
  <T> CompletableFuture<HttpResponse<T>> send(
      String path,
      Consumer<HttpRequest.Builder> shape,
      HttpResponse.BodyHandler<T> handler,
      Duration timeout) {
    CompletableFuture<HttpResponse<T>> result = new CompletableFuture<>();
    AtomicReference<@Nullable CompletableFuture<?>> inFlight = new AtomicReference<>();
    result.whenComplete(
        (r, e) -> {
          CompletableFuture<?> exchange = inFlight.get();
          if (result.isCancelled() && exchange != null) {
            exchange.cancel(true);
          }
        });
    Attempt<T> attempt =
        new Attempt<>(
            order(), path, shape, handler, System.nanoTime() + timeout.toNanos(), result, inFlight);
    attempt.next(0);
    return result;
  }

  /** One request over the nodes in {@code order}. */
  private final class Attempt<T> {
    private final List<Node> order;
    private final String path;
    private final Consumer<HttpRequest.Builder> shape;
    private final HttpResponse.BodyHandler<T> handler;
    private final long deadline;
    private final CompletableFuture<HttpResponse<T>> result;
    private final AtomicReference<@Nullable CompletableFuture<?>> inFlight;
    private final StringBuilder failures = new StringBuilder();

    Attempt(
        List<Node> order,
        String path,
        Consumer<HttpRequest.Builder> shape,
        HttpResponse.BodyHandler<T> handler,
        long deadline,
        CompletableFuture<HttpResponse<T>> result,
        AtomicReference<@Nullable CompletableFuture<?>> inFlight) {
      this.order = order;
      this.path = path;
      this.shape = shape;
      this.handler = handler;
      this.deadline = deadline;
      this.result = result;
      this.inFlight = inFlight;
    }

    void next(int index) {
      if (result.isDone()) {
        return;
      }
      Node node = order.get(index);
      long left = deadline - System.nanoTime();
      CompletableFuture<HttpResponse<T>> exchange;
      try {
        HttpRequest.Builder builder =
            HttpRequest.newBuilder(node.root.resolve(path))
                .timeout(Duration.ofNanos(Math.max(left, 1_000_000)));
        shape.accept(builder);
        exchange = http.sendAsync(builder.build(), handler);
      } catch (RuntimeException e) {
        result.completeExceptionally(e); // a bad request: the same on every node
        return;
      }
      inFlight.set(exchange);
      if (result.isCancelled()) {
        exchange.cancel(true);
        return;
      }
      exchange.whenComplete((response, error) -> answered(index, node, response, error));
    }

    private void answered(
        int index, Node node, @Nullable HttpResponse<T> response, @Nullable Throwable error) {
      if (result.isDone()) {
        return; // cancelled by the caller (timeout or close): says nothing about the node
      }
      Throwable cause = unwrap(error);
      if (cause instanceof CancellationException) {
        result.cancel(false);
        return;
      }
      if (response != null && !unavailable(response.statusCode())) {
        up(node);
        result.complete(response);
        return;
      }
      String why = response != null ? "HTTP " + response.statusCode() : describe(cause);
      failures.append(failures.isEmpty() ? "" : "; ").append(node).append(": ").append(why);
      boolean more = index + 1 < order.size() && deadline - System.nanoTime() > 0;
      down(node, why, more ? order.get(index + 1) : null);
      if (more) {
        next(index + 1);
      } else if (response != null) {
        result.complete(response);
      } else if (order.size() == 1) {
        result.completeExceptionally(cause);
      } else {
        result.completeExceptionally(
            new IOException(
                "no node answered ("
                    + (index + 1)
                    + " of "
                    + order.size()
                    + " tried): "
                    + failures));
      }
    }
  }

  /** 502, 503, 504: this node (or the proxy before it) cannot serve now; another may. */
  static boolean unavailable(int status) {
    return status == 502 || status == 503 || status == 504;
  }

  private void down(Node node, String cause, @Nullable Node next) {
    long now = System.nanoTime();
    boolean transition;
    long wait;
    synchronized (node) {
      transition = !node.down;
      node.wait = transition ? firstWait : Math.min(maxWait, node.wait * 2);
      node.retryAt = now + node.wait;
      if (transition) {
        node.down = true;
        node.downSince = now;
      }
      wait = node.wait;
    }
    if (transition && nodes.length > 1) {
      log.warn(
          "Log shipping: node {} of the cluster failed ({}); requests go to {}, and {} is tried"
              + " again in {}",
          node,
          cause,
          next != null ? "the next node, " + next : "the other nodes in order",
          node,
          text(Duration.ofNanos(wait)));
    }
  }

  private void up(Node node) {
    long since;
    synchronized (node) {
      if (!node.down) {
        return;
      }
      node.down = false;
      node.wait = 0;
      since = node.downSince;
    }
    if (nodes.length > 1) {
      log.info(
          "Log shipping: node {} of the cluster answers again (it failed for {}); it takes"
              + " requests again in its place in the list",
          node,
          text(Duration.ofNanos(System.nanoTime() - since)));
    }
  }

  private static @Nullable Throwable unwrap(@Nullable Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  static String describe(@Nullable Throwable failure) {
    if (failure == null) {
      return "no answer";
    }
    String name = failure.getClass().getSimpleName();
    String message = failure.getMessage();
    if (failure instanceof java.net.ConnectException && (message == null || message.isBlank())) {
      return name + ": cannot connect (refused or unreachable)";
    }
    Throwable cause = failure.getCause();
    if ((message == null || message.isBlank()) && cause != null) {
      return name + " (" + describe(cause) + ")";
    }
    return message == null || message.isBlank() ? name : name + ": " + message;
  }

  private static String text(Duration d) {
    long ms = d.toMillis();
    if (ms >= 60_000 && ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms >= 1000) {
      return (ms / 100) / 10.0 + "s";
    }
    return ms + "ms";
  }
}
