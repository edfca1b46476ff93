package com.aicompanion.monitoring.benchmarks.shipping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenSearch node the shipping harness talks to: either one that already runs ({@link
 * #attach(URI)}), or a single-node OpenSearch 2.19 started in a child JVM ({@link #launch}), from
 * the module's test classpath, where test-support holds the node launcher.
 *
 * <pre>{@code
 * try (LiveNode node = LiveNode.launch(classpath, "1g", Path.of("node.log"))) {
 *   node.putTemplate("logs-x", JsonLogging.indexTemplate("logs-x-*"));
 *   long docs = node.count("logs-x-dev");
 * }
 * }</pre>
 */
final class LiveNode implements AutoCloseable {
  /** The child's main class, in the benchmarks module's test classes. */
  static final String NODE_MAIN =
      "com.aicompanion.monitoring.benchmarks.shipping.OpenSearchNodeMain";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(240);
  private static final Pattern COUNT = Pattern.compile("\"count\"\\s*:\\s*(\\d+)");
  private static final Pattern NUMBER = Pattern.compile("\"number\"\\s*:\\s*\"([^\"]+)\"");

  private final URI uri;
  private final Process process;
  private final Thread reaper;
  private final String where;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private LiveNode(URI uri, Process process, String where) {
    this.uri = uri;
    this.process = process;
    this.where = where;
    this.reaper = process == null ? null : new Thread(process::destroyForcibly, "node-reaper");
    if (reaper != null) {
      Runtime.getRuntime().addShutdownHook(reaper);
    }
  }

  /** A node that runs already; {@link #close()} leaves it running. */
  static LiveNode attach(URI uri) {
    LiveNode node = new LiveNode(uri, null, "given: " + uri);
    node.get("/_cluster/health?wait_for_status=yellow&timeout=30s");
    return node;
  }

  /**
   * Starts {@link #NODE_MAIN} in a child JVM with {@code classpath} and heap {@code heap} (e.g.
   * {@code 1g}), its output going to {@code log}, and waits (up to 240 s) until it serves HTTP.
   *
   * @throws IllegalStateException when the child dies or does not answer in time (with its log's
   *     tail)
   */
  static LiveNode launch(String classpath, String heap, Path log)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("shipping-node");
    Path portFile = dir.resolve("port");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Files.createDirectories(log.toAbsolutePath().getParent());
    Process process =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xms" + heap,
                    "-Xmx" + heap,
                    "-cp",
                    classpath,
                    NODE_MAIN,
                    portFile.toString()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!Files.exists(portFile)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "the OpenSearch child JVM "
                + (process.isAlive() ? "did not start within " + START_TIMEOUT : "exited")
                + "; its log "
                + log
                + " ends with:\n"
                + tail(log));
      }
      Thread.sleep(100);
    }
    int port = Integer.parseInt(Files.readString(portFile, StandardCharsets.US_ASCII).trim());
    return new LiveNode(
        URI.create("http://127.0.0.1:" + port),
        process,
        "child JVM (-Xmx" + heap + ", test-support's OpenSearchNode)");
  }

  URI uri() {
    return uri;
  }

  /** How the node runs, for the results. */
  String where() {
    return where;
  }

  /** The node's version number, e.g. {@code 2.19.1}. */
  String version() {
    Matcher m = NUMBER.matcher(get("/"));
    return m.find() ? m.group(1) : "?";
  }

  /** PUTs a composable index template; fails on any answer but 2xx. */
  void putTemplate(String name, String json) {
    Response r = send("PUT", "/_index_template/" + name, json);
    if (r.status() / 100 != 2) {
      throw new IllegalStateException("index template " + name + ": " + r);
    }
  }

  /** Refreshes the data stream and counts its documents; 0 when it does not exist. */
  long count(String dataStream) {
    send("POST", "/" + dataStream + "/_refresh", null);
    Response r = send("GET", "/" + dataStream + "/_count", null);
    if (r.status() == 404) {
      return 0;
    }
    Matcher m = COUNT.matcher(r.body());
    if (r.status() != 200 || !m.find()) {
      throw new IllegalStateException("count of " + dataStream + ": " + r);
    }
    return Long.parseLong(m.group(1));
  }

  /** Deletes a data stream and its backing indices, so that the node stays small between runs. */
  void deleteDataStream(String dataStream) {
    send("DELETE", "/_data_stream/" + dataStream, null);
  }

  String get(String path) {
    Response r = send("GET", path, null);
    if (r.status() != 200) {
      throw new IllegalStateException("GET " + path + ": " + r);
    }
    return r.body();
  }

  record Response(int status, String body) {}

  Response send(String method, String path, String json) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri.resolve(path))
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      builder.header("Content-Type", "application/json");
    }
    try {
      HttpResponse<String> response =
          http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + uri.resolve(path) + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Ends the child JVM (its standard input closes, it stops the node); a given node stays up. */
  @Override
  public void close() {
    if (process == null) {
      return;
    }
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // the child is gone already
    }
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    Runtime.getRuntime().removeShutdownHook(reaper);
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
