package com.aicompanion.monitoring.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Redis server (Debian package {@code redis-server}) on 127.0.0.1 and a free port, without
 * persistence, optionally protected by a password.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start("s3cret")) {
 *   new Socket("127.0.0.1", redis.port());
 *   redis.stop();
 *   redis.restart();
 * }
 * }</pre>
 */
public final class RedisServer extends LocalServer {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final String password;

  private RedisServer(Path dir, ServerProcess server, String password) {
    super(dir, server, START_TIMEOUT);
    this.password = password;
  }

  /** Starts Redis without a password. */
  public static RedisServer start() {
    return start(null);
  }

  /** Starts Redis; {@code password} (may be null) becomes {@code requirepass}. */
  public static RedisServer start(String password) {
    Path program = ExternalTool.require("redis-server", "redis-server");
    try {
      Path dir = Files.createTempDirectory("redis-test");
      int port = FreePort.find();
      List<String> command = new ArrayList<>();
      command.addAll(
          List.of(
              program.toString(),
              "--port",
              String.valueOf(port),
              "--bind",
              "127.0.0.1",
              "--save",
              "",
              "--appendonly",
              "no",
              "--dir",
              dir.toString()));
      if (password != null) {
        command.add("--requirepass");
        command.add(password);
      }
      ServerProcess server = ServerProcess.start("redis", command, dir, port, START_TIMEOUT);
      return new RedisServer(dir, server, password);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare a Redis directory", e);
    }
  }

  /** The {@code requirepass} password, or null. */
  public String password() {
    return password;
  }
}
