package com.aicompanion.monitoring.testsupport;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A real server a test runs as a child process in a temporary directory of its own, on 127.0.0.1
 * and a free port: the lifecycle that every launcher here shares. {@link #close()} kills the
 * process and deletes the directory.
 */
public abstract class LocalServer implements AutoCloseable {
  private final Path dir;
  private final ServerProcess server;
  private final Duration startTimeout;

  protected LocalServer(Path dir, ServerProcess server, Duration startTimeout) {
    this.dir = dir;
    this.server = server;
    this.startTimeout = startTimeout;
  }

  public int port() {
    return server.port();
  }

  public boolean isRunning() {
    return server.isAlive();
  }

  /** Kills the server; {@link #restart()} starts it again on the same port and directory. */
  public void stop() {
    server.stop();
  }

  /** Starts the stopped server again on the same port and directory. */
  public void restart() {
    server.start(startTimeout);
  }

  /** The server's last log lines, for failure messages. */
  public String tail() {
    return server.tail();
  }

  @Override
  public void close() {
    server.stop();
    TempDirs.deleteRecursively(dir);
  }

  protected final Path dir() {
    return dir;
  }

  protected final ServerProcess process() {
    return server;
  }
}
