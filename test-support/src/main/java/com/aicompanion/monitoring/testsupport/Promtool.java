package com.aicompanion.monitoring.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Prometheus's promtool (Debian package {@code prometheus}). */
public final class Promtool {
  /** The exit code and everything promtool printed. */
  public record Result(int exitCode, String output) {}

  private Promtool() {}

  /** {@code promtool check metrics}, reading the exposition text from stdin. */
  public static Result checkMetrics(String exposition) {
    return run(exposition, "check", "metrics");
  }

  /** {@code promtool <args>}, with {@code stdin} as input (may be null). */
  public static Result run(String stdin, String... args) {
    List<String> command = new ArrayList<>();
    command.add(ExternalTool.require("promtool", "prometheus").toString());
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (stdin != null) {
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(
            "promtool " + String.join(" ", args) + " did not finish within 60s");
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new AssertionError("cannot run promtool", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
