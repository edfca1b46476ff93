package com.aicompanion.monitoring.it.stack.config;

import com.aicompanion.monitoring.testsupport.ExternalTool;
import com.aicompanion.monitoring.testsupport.FreePort;
import com.aicompanion.monitoring.testsupport.ServerProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A real Alertmanager running a test copy of {@code stack/alertmanager/alertmanager.yml}: the same
 * routes, inhibit rules and templates, but every receiver delivers to a JDK HTTP server of the test
 * instead of Slack and e-mail (its Slack integrations post to {@code /slack/<receiver>}, which
 * shows the rendered title and text; a webhook integration added to each receiver posts the alerts
 * to {@code /webhook/<receiver>}), and group waits are 1 s so that a test does not wait 30 s.
 *
 * <pre>{@code
 * try (AlertmanagerUnderTest am = AlertmanagerUnderTest.start()) {
 *   am.post(Map.of("alertname", "ServiceDown", "job", "ai-companion"));
 *   List<AlertmanagerUnderTest.Delivery> got = am.deliveries();
 * }
 * }</pre>
 */
final class AlertmanagerUnderTest implements AutoCloseable {
  /** One POST Alertmanager made to the test's receiver server. */
  record Delivery(String integration, String receiver, JsonNode body) {}

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Path dir;
  private final HttpServer receiver;
  private final ServerProcess process;
  private final ConcurrentLinkedQueue<Delivery> deliveries;

  private AlertmanagerUnderTest(
      Path dir,
      HttpServer receiver,
      ServerProcess process,
      ConcurrentLinkedQueue<Delivery> deliveries) {
    this.dir = dir;
    this.receiver = receiver;
    this.process = process;
    this.deliveries = deliveries;
  }

  static AlertmanagerUnderTest start() throws IOException {
    Path program = ExternalTool.require("prometheus-alertmanager", "prometheus-alertmanager");
    ConcurrentLinkedQueue<Delivery> deliveries = new ConcurrentLinkedQueue<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            String[] parts = exchange.getRequestURI().getPath().split("/");
            JsonNode body = Stack.JSON.readTree(in);
            deliveries.add(new Delivery(parts[1], parts[2], body));
          }
          byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, ok.length);
          exchange.getResponseBody().write(ok);
          exchange.close();
        });
    receiver.start();
    Path dir = Files.createTempDirectory("alertmanager-stack-test");
    try {
      String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
      Path config = dir.resolve("alertmanager.yml");
      Stack.YAML.writeValue(config.toFile(), testCopy(base));
      int port = FreePort.find();
      List<String> command =
          List.of(
              program.toString(),
              "--config.file=" + config,
              "--storage.path=" + Files.createDirectories(dir.resolve("data")),
              "--web.listen-address=127.0.0.1:" + port,
              "--cluster.listen-address=");
      ServerProcess process =
          ServerProcess.start("alertmanager", command, dir, port, Duration.ofSeconds(60));
      return new AlertmanagerUnderTest(dir, receiver, process, deliveries);
    } catch (IOException | RuntimeException | Error e) {
      receiver.stop(0);
      throw e;
    }
  }

  /**
   * The shipped configuration with deliveries to {@code base}: routes, matchers and inhibit rules
   * untouched.
   */
  static ObjectNode testCopy(String base) {
    ObjectNode config = (ObjectNode) Stack.yaml(Stack.file("alertmanager/alertmanager.yml"));
    ObjectNode global = (ObjectNode) config.path("global");
    global.retain("resolve_timeout");
    ArrayNode templates = config.putArray("templates");
    templates.add(Stack.file("alertmanager/templates").toAbsolutePath() + "/*.tmpl");
    shortenWaits((ObjectNode) config.path("route"));
    for (JsonNode r : config.path("receivers")) {
      ObjectNode receiver = (ObjectNode) r;
      String name = receiver.path("name").asText();
      receiver.remove("email_configs");
      for (JsonNode slack : receiver.path("slack_configs")) {
        ((ObjectNode) slack).put("api_url", base + "/slack/" + name);
      }
      receiver
          .putArray("webhook_configs")
          .addObject()
          .put("url", base + "/webhook/" + name)
          .put("send_resolved", false);
    }
    return config;
  }

  private static void shortenWaits(ObjectNode route) {
    if (route.has("group_wait")) {
      route.put("group_wait", "1s");
    }
    route.put("group_interval", "1s");
    for (JsonNode child : route.path("routes")) {
      shortenWaits((ObjectNode) child);
    }
  }

  URI baseUri() {
    return URI.create("http://127.0.0.1:" + process.port());
  }

  /** Posts firing alerts (label maps; each gets a summary annotation) to {@code /api/v2/alerts}. */
  @SafeVarargs
  final void post(Map<String, String>... labelSets) {
    ArrayNode alerts = Stack.JSON.createArrayNode();
    for (Map<String, String> labels : labelSets) {
      ObjectNode alert = alerts.addObject();
      ObjectNode l = alert.putObject("labels");
      labels.forEach(l::put);
      alert.putObject("annotations").put("summary", labels.get("alertname") + " summary");
    }
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(baseUri().resolve("/api/v2/alerts"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(alerts.toString()))
                .build());
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "Alertmanager refused the alerts: " + response.statusCode() + " " + response.body());
    }
  }

  /** {@code GET /api/v2/alerts}: every alert with its {@code status} (state, inhibitedBy). */
  List<JsonNode> alerts() {
    HttpResponse<String> response =
        send(HttpRequest.newBuilder(baseUri().resolve("/api/v2/alerts")).GET().build());
    try {
      List<JsonNode> out = new ArrayList<>();
      Stack.JSON.readTree(response.body()).forEach(out::add);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<Delivery> deliveries() {
    return List.copyOf(deliveries);
  }

  String tail() {
    return process.tail();
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    process.stop();
    receiver.stop(0);
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }
}
