package com.aicompanion.monitoring.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Prometheus Alertmanager (Debian package {@code prometheus-alertmanager}) on 127.0.0.1 and
 * a free port, clustering off, with a receiver that notifies nobody: alerts are only listed by its
 * API ({@code GET /api/v2/alerts}).
 *
 * <pre>{@code
 * try (AlertmanagerServer alertmanager = AlertmanagerServer.start()) {
 *   URI base = alertmanager.baseUri();       // http://127.0.0.1:<port>
 *   alertmanager.stop();
 *   alertmanager.restart();                  // same port; alerts are held in memory only
 * }
 * }</pre>
 */
public final class AlertmanagerServer extends LocalServer {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** A route to a receiver without integrations; resolve_timeout is Alertmanager's default. */
  private static final String CONFIG =
      """
      route:
        receiver: nobody
        group_wait: 1s
        group_interval: 1s
        repeat_interval: 1h
      receivers:
        - name: nobody
      """;

  private AlertmanagerServer(Path dir, ServerProcess server) {
    super(dir, server, START_TIMEOUT);
  }

  public static AlertmanagerServer start() {
    return start(List.of());
  }

  /**
   * An Alertmanager started with extra command-line flags, e.g. {@code
   * List.of("--web.route-prefix=/am")}.
   */
  public static AlertmanagerServer start(List<String> extraFlags) {
    Path program = ExternalTool.require("prometheus-alertmanager", "prometheus-alertmanager");
    try {
      Path dir = Files.createTempDirectory("alertmanager-test");
      Path config = dir.resolve("alertmanager.yml");
      Files.writeString(config, CONFIG, StandardCharsets.UTF_8);
      Path storage = Files.createDirectories(dir.resolve("data"));
      int port = FreePort.find();
      List<String> command =
          new java.util.ArrayList<>(
              List.of(
                  program.toString(),
                  "--config.file=" + config,
                  "--storage.path=" + storage,
                  "--web.listen-address=127.0.0.1:" + port,
                  "--cluster.listen-address="));
      command.addAll(extraFlags);
      ServerProcess server = ServerProcess.start("alertmanager", command, dir, port, START_TIMEOUT);
      return new AlertmanagerServer(dir, server);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare an Alertmanager directory", e);
    }
  }

  /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + port());
  }
}
