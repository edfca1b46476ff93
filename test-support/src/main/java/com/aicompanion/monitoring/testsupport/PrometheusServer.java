package com.aicompanion.monitoring.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
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
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * A real Prometheus server (Debian package {@code prometheus}) on 127.0.0.1 and a free port, with
 * its TSDB in a temporary directory, exemplar storage on and the lifecycle API enabled for reloads.
 *
 * <pre>{@code
 * try (PrometheusServer prometheus =
 *     PrometheusServer.start(port -> "scrape_configs: [{job_name: self, static_configs:"
 *         + " [{targets: ['127.0.0.1:" + port + "']}]}]")) {
 *   PrometheusServer.QueryResult r = prometheus.query("up");
 *   r.isSuccess(); r.result();                  // [{metric={...}, value=[t, "1"]}]
 *   prometheus.get("/api/v1/targets");          // any API answer, parsed
 *   prometheus.exemplars("http_server_requests_seconds_bucket", Duration.ofMinutes(5));
 *   prometheus.reload(newConfigYaml);           // rewrites the file, POST /-/reload
 * }
 * // a remote-write receiver, and an agent that scrapes and forwards to it
 * PrometheusServer central =
 *     PrometheusServer.start(port -> centralYaml, List.of("--web.enable-remote-write-receiver"));
 * PrometheusServer agent = PrometheusServer.startAgent(
 *     port -> agentYaml, List.of("--enable-feature=agent"), Map.of());
 * }</pre>
 *
 * <p>The configuration is a function of the listen port, so that it can scrape Prometheus itself.
 */
public final class PrometheusServer extends LocalServer {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * One {@code GET /api/v1/query} answer. {@code result} is the parsed {@code data.result}: a list
   * of series for vectors and matrices, or {@code [time, "value"]} for scalars and strings.
   */
  public record QueryResult(
      String query,
      int httpStatus,
      String status,
      String errorType,
      String error,
      String resultType,
      List<Object> result,
      String body) {
    public boolean isSuccess() {
      return "success".equals(status);
    }

    /** True when the query succeeded and selected nothing (an empty vector or matrix). */
    public boolean isEmpty() {
      return isSuccess()
          && ("vector".equals(resultType) || "matrix".equals(resultType))
          && result.isEmpty();
    }

    /** A one-line account for failure messages. */
    public String describe() {
      if (!isSuccess()) {
        return "HTTP " + httpStatus + " " + errorType + ": " + error;
      }
      return resultType + " with " + result.size() + " element(s)";
    }
  }

  private final Path config;
  private final IntFunction<String> configForPort;

  private PrometheusServer(
      Path dir, Path config, IntFunction<String> configForPort, ServerProcess server) {
    super(dir, server, START_TIMEOUT);
    this.config = config;
    this.configForPort = configForPort;
  }

  /** Starts Prometheus with a fixed configuration. */
  public static PrometheusServer start(String configYaml) {
    return start(port -> configYaml);
  }

  /**
   * Starts Prometheus with the configuration {@code configForPort} gives for its listen port, and
   * waits until {@code /-/ready} answers 200.
   *
   * @throws AssertionError when the program is missing or does not start (with its log)
   */
  public static PrometheusServer start(IntFunction<String> configForPort) {
    return start(configForPort, List.of());
  }

  /**
   * As {@link #start(IntFunction)}, with {@code extraFlags} after the usual ones, e.g. {@code
   * --web.enable-remote-write-receiver}.
   */
  public static PrometheusServer start(IntFunction<String> configForPort, List<String> extraFlags) {
    return launch(
        configForPort,
        storage ->
            List.of(
                "--storage.tsdb.path=" + storage,
                "--storage.tsdb.retention.time=1h",
                "--enable-feature=exemplar-storage"),
        extraFlags,
        Map.of());
  }

  /**
   * Starts Prometheus in agent mode (scrape and remote_write only: {@link #query} and the rule APIs
   * answer 404), its write-ahead log in the temporary directory. {@code flags} must enable the
   * feature ({@code --enable-feature=agent}, possibly with others); {@code environment} is added to
   * the process's (for {@code --enable-feature=expand-external-labels}).
   */
  public static PrometheusServer startAgent(
      IntFunction<String> configForPort, List<String> flags, Map<String, String> environment) {
    return launch(
        configForPort, storage -> List.of("--storage.agent.path=" + storage), flags, environment);
  }

  private static PrometheusServer launch(
      IntFunction<String> configForPort,
      Function<Path, List<String>> storageFlags,
      List<String> extraFlags,
      Map<String, String> environment) {
    Path program = ExternalTool.require("prometheus", "prometheus");
    try {
      Path dir = Files.createTempDirectory("prometheus-test");
      Path config = dir.resolve("prometheus.yml");
      Path storage = Files.createDirectories(dir.resolve("data"));
      int port = FreePort.find();
      Files.writeString(config, configForPort.apply(port), StandardCharsets.UTF_8);
      List<String> command = new ArrayList<>();
      command.add(program.toString());
      command.add("--config.file=" + config);
      command.addAll(storageFlags.apply(storage));
      command.add("--web.listen-address=127.0.0.1:" + port);
      command.add("--web.enable-lifecycle");
      command.add("--log.level=warn");
      command.addAll(extraFlags);
      ServerProcess server =
          ServerProcess.start("prometheus", command, environment, dir, port, START_TIMEOUT);
      PrometheusServer prometheus = new PrometheusServer(dir, config, configForPort, server);
      prometheus.awaitReady();
      return prometheus;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare a Prometheus directory", e);
    }
  }

  /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + port());
  }

  /** The configuration file Prometheus was started with. */
  public Path configFile() {
    return config;
  }

  /** Runs an instant query ({@code GET /api/v1/query}) at the current time. */
  public QueryResult query(String promql) {
    HttpResponse<String> response =
        send("GET", "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    Map<String, Object> answer;
    try {
      answer = PrometheusJson.object(response.body());
    } catch (IllegalArgumentException e) {
      return new QueryResult(
          promql, response.statusCode(), "error", "bad_body", e.getMessage(), null, List.of(), "");
    }
    Object data = answer.get("data");
    String resultType = null;
    List<Object> result = List.of();
    if (data instanceof Map<?, ?> d) {
      resultType = (String) d.get("resultType");
      Object r = d.get("result");
      if (r instanceof List<?> list) {
        result = List.copyOf(list.stream().map(o -> o == null ? "null" : o).toList());
      }
    }
    return new QueryResult(
        promql,
        response.statusCode(),
        (String) answer.get("status"),
        (String) answer.get("errorType"),
        (String) answer.get("error"),
        resultType,
        result,
        response.body());
  }

  /**
   * The exemplars of the series {@code promql} selects over the last {@code window} ({@code GET
   * /api/v1/query_exemplars}): each element has {@code seriesLabels} and {@code exemplars}, a list
   * of {@code {labels, value, timestamp}}.
   */
  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> exemplars(String promql, Duration window) {
    double end = System.currentTimeMillis() / 1000.0;
    double start = end - window.toMillis() / 1000.0;
    Object data =
        get("/api/v1/query_exemplars?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&start="
                + start
                + "&end="
                + end)
            .get("data");
    return data instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
  }

  /** {@code GET <pathAndQuery>} on the API, e.g. {@code /api/v1/targets}, parsed. */
  public Map<String, Object> get(String pathAndQuery) {
    HttpResponse<String> response = send("GET", pathAndQuery);
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "GET " + pathAndQuery + " answered " + response.statusCode() + ": " + response.body());
    }
    return PrometheusJson.object(response.body());
  }

  /** Rewrites the configuration file and applies it ({@code POST /-/reload}). */
  public void reload(String newConfigYaml) {
    try {
      Files.writeString(config, newConfigYaml, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + config, e);
    }
    reload();
  }

  /** Re-reads the configuration and rule files ({@code POST /-/reload}). */
  public void reload() {
    HttpResponse<String> response = send("POST", "/-/reload");
    if (response.statusCode() != 200) {
      throw new AssertionError("Prometheus refused the reload: " + response.body() + "\n" + tail());
    }
  }

  /** Starts the stopped server again on the same port, data and configuration. */
  @Override
  public void restart() {
    try {
      Files.writeString(config, configForPort.apply(port()), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + config, e);
    }
    super.restart();
    awaitReady();
  }

  private void awaitReady() {
    await("Prometheus /-/ready on 127.0.0.1:" + port())
        .atMost(START_TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> send("GET", "/-/ready").statusCode() == 200);
  }

  private HttpResponse<String> send(String method, String pathAndQuery) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUri() + pathAndQuery))
            .timeout(Duration.ofSeconds(30))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + pathAndQuery + " on Prometheus failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
