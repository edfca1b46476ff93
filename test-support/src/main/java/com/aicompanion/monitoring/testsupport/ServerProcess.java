package com.aicompanion.monitoring.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real server started by a test: its own process, output in a log file, ready when its TCP port
 * on 127.0.0.1 accepts connections, killed with its children by {@link #close()}.
 */
public final class ServerProcess implements AutoCloseable {
  private final String name;
  private final List<String> command;
  private final Map<String, String> environment;
  private final Path log;
  private final int port;
  private Process process;

  private ServerProcess(
      String name, List<String> command, Map<String, String> environment, Path log, int port) {
    this.name = name;
    this.command = List.copyOf(command);
    this.environment = Map.copyOf(environment);
    this.log = log;
    this.port = port;
  }

  /**
   * Starts {@code command} and waits up to {@code timeout} for {@code port} to accept connections.
   *
   * @param workDir the working directory; the log goes to {@code <workDir>/<name>.log}
   */
  public static ServerProcess start(
      String name, List<String> command, Path workDir, int port, Duration timeout) {
    return start(name, command, Map.of(), workDir, port, timeout);
  }

  /**
   * As {@link #start(String, List, Path, int, Duration)}, with {@code environment} added to the
   * environment the process inherits (for programs that read settings from variables).
   */
  public static ServerProcess start(
      String name,
      List<String> command,
      Map<String, String> environment,
      Path workDir,
      int port,
      Duration timeout) {
    ServerProcess server =
        new ServerProcess(name, command, environment, workDir.resolve(name + ".log"), port);
    server.start(timeout);
    return server;
  }

  /** Starts the same command again (after {@link #stop()}), on the same port. */
  public void start(Duration timeout) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().putAll(environment);
      process =
          builder
              .directory(log.getParent().toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command, e);
    }
    try {
      await(name + " accepting connections on 127.0.0.1:" + port)
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new IllegalStateException(
                      name + " exited with " + process.exitValue() + ":\n" + tail());
                }
                return accepts(port);
              });
    } catch (RuntimeException | Error e) {
      stop();
      throw new AssertionError(name + " did not start: " + e.getMessage() + "\n" + tail(), e);
    }
  }

  public int port() {
    return port;
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Kills the process and its children and waits for them to exit. */
  public void stop() {
    Process p = process;
    if (p == null) {
      return;
    }
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    await(name + " releasing port " + port)
        .atMost(Duration.ofSeconds(30))
        .until(() -> !accepts(port));
    process = null;
  }

  /** The last lines the server printed, for failure messages. */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    stop();
  }

  public static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
