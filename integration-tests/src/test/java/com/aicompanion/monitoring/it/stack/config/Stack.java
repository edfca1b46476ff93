package com.aicompanion.monitoring.it.stack.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code stack/} directory and a runner for the command-line tools that check it.
 *
 * <pre>{@code
 * Stack.Result result = Stack.run(Map.of(), null, "promtool", "check", "rules", rules.toString());
 * }</pre>
 */
final class Stack {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();

  /** The exit code and everything the command printed (stdout and stderr). */
  record Result(int exitCode, String output) {}

  private Stack() {}

  /** {@code stack/} of the repository: walks up from the working directory. */
  static Path dir() {
    return com.aicompanion.monitoring.it.stack.Repository.stack();
  }

  static Path file(String relative) {
    return dir().resolve(relative);
  }

  static String read(Path path) {
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode yaml(Path path) {
    try {
      return YAML.readTree(path.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(Path path) {
    try {
      return JSON.readTree(path.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs {@code command} in {@code workDir} (null: {@code stack/}), with {@code env} added to (or,
   * for keys mapped to null, removed from) this process's environment.
   */
  static Result run(Map<String, String> env, Path workDir, String stdin, List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command));
    builder.directory((workDir == null ? dir() : workDir).toFile());
    builder.redirectErrorStream(true);
    env.forEach(
        (key, value) -> {
          if (value == null) {
            builder.environment().remove(key);
          } else {
            builder.environment().put(key, value);
          }
        });
    try {
      Process process = builder.start();
      if (stdin != null) {
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish within 120s");
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static Result run(String... command) {
    return run(Map.of(), null, null, List.of(command));
  }
}
