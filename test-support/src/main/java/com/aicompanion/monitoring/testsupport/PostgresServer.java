package com.aicompanion.monitoring.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server (Debian package {@code postgresql}) in its own temporary data directory,
 * listening on 127.0.0.1 and a free port, with a password-protected superuser.
 *
 * <pre>{@code
 * try (PostgresServer db = PostgresServer.start()) {
 *   DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
 *   db.stop();   // "the database went away"
 *   db.restart(); // same data, same port
 * }
 * }</pre>
 *
 * <p>PostgreSQL refuses to run as root, so when the test runs as root, {@code initdb} and {@code
 * postgres} run as the user {@code postgres} through {@code runuser}, and the data directory is
 * handed to that user. Durability is switched off ({@code fsync=off}) to start quickly.
 */
public final class PostgresServer implements AutoCloseable {
  private static final String BIN_DIRS = "/usr/lib/postgresql/*/bin";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Path dir;
  private final Path pgCtl;
  private final ServerProcess server;
  private final String password;

  private PostgresServer(Path dir, Path pgCtl, ServerProcess server, String password) {
    this.dir = dir;
    this.pgCtl = pgCtl;
    this.server = server;
    this.password = password;
  }

  /** Initializes a fresh cluster in a temporary directory and starts it. */
  public static PostgresServer start() {
    Path initdb = ExternalTool.require("initdb", "postgresql", BIN_DIRS);
    Path postgres = ExternalTool.require("postgres", "postgresql", BIN_DIRS);
    Path pgCtl = ExternalTool.require("pg_ctl", "postgresql", BIN_DIRS);
    String password = "test-" + Long.toHexString(System.nanoTime());
    try {
      Path dir = Files.createTempDirectory("postgres-test");
      Path data = dir.resolve("data");
      Path sockets = Files.createDirectories(dir.resolve("sockets"));
      Path passwordFile = dir.resolve("password");
      Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
      if (isRoot()) {
        giveToPostgresUser(dir);
      }
      run(
          dir,
          asPostgres(
              List.of(
                  initdb.toString(),
                  "-D",
                  data.toString(),
                  "-U",
                  "postgres",
                  "--pwfile=" + passwordFile,
                  "--auth-local=trust",
                  "--auth-host=scram-sha-256",
                  "--no-sync",
                  "--encoding=UTF8",
                  "--locale=C")));
      int port = FreePort.find();
      List<String> command =
          asPostgres(
              List.of(
                  postgres.toString(),
                  "-D",
                  data.toString(),
                  "-p",
                  String.valueOf(port),
                  "-k",
                  sockets.toString(),
                  "-c",
                  "listen_addresses=127.0.0.1",
                  "-c",
                  "fsync=off",
                  "-c",
                  "full_page_writes=off",
                  "-c",
                  "synchronous_commit=off"));
      ServerProcess server = ServerProcess.start("postgres", command, dir, port, START_TIMEOUT);
      return new PostgresServer(dir, pgCtl, server, password);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare a PostgreSQL data directory", e);
    }
  }

  /** {@code jdbc:postgresql://127.0.0.1:<port>/postgres}. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + server.port() + "/postgres";
  }

  public String user() {
    return "postgres";
  }

  public String password() {
    return password;
  }

  public int port() {
    return server.port();
  }

  public boolean isRunning() {
    return server.isAlive();
  }

  /**
   * Stops the server at once, as a crash would ({@code pg_ctl stop -m immediate}: connections are
   * cut, no checkpoint), so that it can be started again; the data directory stays for {@link
   * #restart()}. Killing the process tree instead could leave {@code postmaster.pid} behind.
   */
  public void stop() {
    if (server.isAlive()) {
      try {
        run(
            dir,
            asPostgres(
                List.of(
                    pgCtl.toString(),
                    "stop",
                    "-D",
                    dir.resolve("data").toString(),
                    "-m",
                    "immediate",
                    "-w",
                    "-t",
                    "30")));
      } catch (AssertionError e) {
        // fall back to killing the process tree below
      }
    }
    server.stop();
  }

  /** Starts the stopped server again on the same port with the same data. */
  public void restart() {
    server.start(START_TIMEOUT);
  }

  /** The server's last log lines, for failure messages. */
  public String tail() {
    return server.tail();
  }

  /** Stops the server and deletes its data directory. */
  @Override
  public void close() {
    stop();
    TempDirs.deleteRecursively(dir);
  }

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static List<String> asPostgres(List<String> command) {
    if (!isRoot()) {
      return command;
    }
    List<String> wrapped = new ArrayList<>();
    wrapped.add(ExternalTool.require("runuser", "util-linux", "/usr/sbin", "/sbin").toString());
    wrapped.add("-u");
    wrapped.add("postgres");
    wrapped.add("--");
    wrapped.addAll(command);
    return wrapped;
  }

  private static void giveToPostgresUser(Path dir) throws IOException {
    UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
    UserPrincipal postgres = users.lookupPrincipalByName("postgres");
    try (var paths = Files.walk(dir)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        Files.setOwner(path, postgres);
      }
    }
  }

  private static void run(Path workDir, List<String> command) {
    try {
      Process process =
          new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(command.get(0) + " did not finish within 120s:\n" + output);
      }
      if (process.exitValue() != 0) {
        throw new AssertionError(
            String.join(" ", command) + " exited with " + process.exitValue() + ":\n" + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
