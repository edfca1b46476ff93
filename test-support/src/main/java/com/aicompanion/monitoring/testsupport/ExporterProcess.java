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

/**
 * A real Prometheus exporter from Debian's packages on 127.0.0.1 and a free port: node ({@code
 * prometheus-node-exporter}), Redis ({@code prometheus-redis-exporter}) or PostgreSQL ({@code
 * prometheus-postgres-exporter}). Ready when {@code /metrics} answers 200 and, for the Redis and
 * PostgreSQL exporters, reports its server up.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start("s3cret");
 *     ExporterProcess exporter = ExporterProcess.redis(redis.port(), "s3cret")) {
 *   String target = exporter.target();        // "127.0.0.1:<port>", for a scrape config
 *   URI metrics = exporter.metricsUri();      // http://127.0.0.1:<port>/metrics
 * }
 * }</pre>
 */
public final class ExporterProcess extends LocalServer {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private ExporterProcess(Path dir, ServerProcess server) {
    super(dir, server, START_TIMEOUT);
  }

  /**
   * {@code prometheus-node-exporter} without the systemd collector (no systemd in test machines)
   * and without the textfile collector's system directory.
   */
  public static ExporterProcess node() {
    Path program = ExternalTool.require("prometheus-node-exporter", "prometheus-node-exporter");
    Path dir = tempDir("node-exporter");
    int port = FreePort.find();
    List<String> command =
        List.of(
            program.toString(),
            "--web.listen-address=127.0.0.1:" + port,
            "--no-collector.systemd",
            "--no-collector.textfile",
            "--log.level=warn");
    return start("node-exporter", command, dir, port, null);
  }

  /**
   * {@code prometheus-redis-exporter} for Redis on 127.0.0.1:{@code redisPort}; {@code password}
   * (may be null) is passed in the exporter's {@code REDIS_PASSWORD} environment variable.
   */
  public static ExporterProcess redis(int redisPort, String password) {
    Path program = ExternalTool.require("prometheus-redis-exporter", "prometheus-redis-exporter");
    Path dir = tempDir("redis-exporter");
    int port = FreePort.find();
    List<String> command = new ArrayList<>();
    if (password != null) {
      // REDIS_PASSWORD keeps the password off the exporter's command line
      command.add(ExternalTool.require("env", "coreutils").toString());
      command.add("REDIS_PASSWORD=" + password);
    }
    command.add(program.toString());
    command.add("--redis.addr=redis://127.0.0.1:" + redisPort);
    command.add("--web.listen-address=127.0.0.1:" + port);
    return start("redis-exporter", command, dir, port, "redis_up 1");
  }

  /**
   * {@code prometheus-postgres-exporter} for PostgreSQL on 127.0.0.1:{@code postgresPort} (database
   * {@code postgres}, no TLS), with the connection in {@code DATA_SOURCE_NAME}.
   */
  public static ExporterProcess postgres(int postgresPort, String user, String password) {
    Path program =
        ExternalTool.require("prometheus-postgres-exporter", "prometheus-postgres-exporter");
    Path env = ExternalTool.require("env", "coreutils");
    Path dir = tempDir("postgres-exporter");
    int port = FreePort.find();
    String dsn =
        "postgresql://"
            + URLEncoder.encode(user, StandardCharsets.UTF_8)
            + ":"
            + URLEncoder.encode(password, StandardCharsets.UTF_8)
            + "@127.0.0.1:"
            + postgresPort
            + "/postgres?sslmode=disable";
    // ServerProcess takes no environment: env(1) sets it and execs the exporter
    List<String> command =
        List.of(
            env.toString(),
            "DATA_SOURCE_NAME=" + dsn,
            program.toString(),
            "--web.listen-address=127.0.0.1:" + port,
            "--log.level=warn");
    return start("postgres-exporter", command, dir, port, "pg_up 1");
  }

  /** {@code 127.0.0.1:<port>}, as a scrape target. */
  public String target() {
    return "127.0.0.1:" + port();
  }

  /** {@code http://127.0.0.1:<port>/metrics}. */
  public URI metricsUri() {
    return URI.create("http://" + target() + "/metrics");
  }

  private static ExporterProcess start(
      String name, List<String> command, Path dir, int port, String upLine) {
    ServerProcess server = ServerProcess.start(name, command, dir, port, START_TIMEOUT);
    ExporterProcess exporter = new ExporterProcess(dir, server);
    try {
      await(name + " /metrics" + (upLine == null ? "" : " with " + upLine))
          .atMost(START_TIMEOUT)
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(
              () -> {
                HttpResponse<String> r =
                    HTTP.send(
                        HttpRequest.newBuilder(exporter.metricsUri())
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                        HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200
                    && (upLine == null || r.body().lines().anyMatch(l -> l.startsWith(upLine)));
              });
    } catch (RuntimeException | Error e) {
      String tail = server.tail();
      exporter.close();
      throw new AssertionError(name + " is not ready: " + e.getMessage() + "\n" + tail, e);
    }
    return exporter;
  }

  private static Path tempDir(String name) {
    try {
      return Files.createTempDirectory(name + "-test");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for " + name, e);
    }
  }
}
