package com.aicompanion.monitoring.it.shutdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real JVM with every module, sent SIGTERM: readiness answers 503 ("shutting down") for the drain
 * period while {@code /metrics} and liveness still answer, then the port is closed; the
 * application's hook line and the library's "closed" line both reach stdout.
 */
class GracefulShutdownTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final List<String> output = new CopyOnWriteArrayList<>();
  private Process child;
  private Thread reader;

  @AfterEach
  void stopChild() {
    if (child != null && child.isAlive()) {
      child.destroyForcibly();
    }
  }

  @Test
  void sigtermDrainsReadinessThenClosesAndEveryLastLineReachesTheLog() throws Exception {
    int port = startChild();
    Observed observed = terminateAndWatch(port);

    assertThat(observed.readiness).as("readiness after SIGTERM").contains(503);
    assertThat(observed.readinessBodies).anyMatch(b -> b.contains("shutting down"));
    assertThat(observed.metrics).as("/metrics during the drain").isNotEmpty().containsOnly(200);
    assertThat(observed.liveness).as("liveness during the drain").isNotEmpty().containsOnly(200);
    assertThat(observed.drained503).isGreaterThan(ShutdownChild.DRAIN.minusSeconds(1));
    assertThat(observed.refusedAtEnd).as("connection refused after the drain").isTrue();
    assertThat(output).anyMatch(l -> l.contains(ShutdownChild.APP_LAST_LINE));
    assertThat(output).anyMatch(l -> l.contains("Monitoring for shutdown-child closed"));
  }

  @Test
  void withTheLibraryHookOffTheApplicationClosesLastAndItsLineComesFirst() throws Exception {
    int port = startChild("own-hook");
    Observed observed = terminateAndWatch(port);

    assertThat(observed.readiness).contains(503);
    assertThat(observed.refusedAtEnd).isTrue();
    int appLine = indexOf(ShutdownChild.APP_LAST_LINE);
    int closed = indexOf("Monitoring for shutdown-child closed");
    assertThat(appLine).as("application line in %s", output).isNotNegative();
    assertThat(closed).as("closed line in %s", output).isGreaterThan(appLine);
  }

  private int indexOf(String text) {
    for (int i = 0; i < output.size(); i++) {
      if (output.get(i).contains(text)) {
        return i;
      }
    }
    return -1;
  }

  /** What the probes saw between SIGTERM and the end of the child. */
  private static final class Observed {
    final List<Integer> readiness = new ArrayList<>();
    final List<String> readinessBodies = new ArrayList<>();
    final List<Integer> metrics = new ArrayList<>();
    final List<Integer> liveness = new ArrayList<>();
    Duration drained503 = Duration.ZERO;
    boolean refusedAtEnd;
  }

  private int startChild(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ShutdownChild.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder
        .environment()
        .keySet()
        .removeIf(k -> k.startsWith("MONITORING_") || k.startsWith("OTEL_"));
    child = builder.start();
    reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  output.add(line);
                }
              } catch (IOException e) {
                output.add("reader failed: " + e);
              }
            },
            "child-output");
    reader.setDaemon(true);
    reader.start();
    await("the child's port")
        .atMost(Duration.ofSeconds(60))
        .until(() -> output.stream().anyMatch(l -> l.startsWith("PORT ")) || !child.isAlive());
    String portLine =
        output.stream()
            .filter(l -> l.startsWith("PORT "))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the child did not start: " + output));
    int port = Integer.parseInt(portLine.substring(5).trim());
    await("readiness answers 200")
        .atMost(Duration.ofSeconds(10))
        .until(() -> status(port, "/health/ready") == 200);
    return port;
  }

  /**
   * Sends SIGTERM with {@code kill} ({@link Process#destroy()} would close the child's output pipe
   * at once, and its last lines with it) and probes until the port is closed.
   */
  private Observed terminateAndWatch(int port) throws Exception {
    Observed observed = new Observed();
    Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(child.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0)
        .as("kill -TERM")
        .isTrue();
    long start = System.nanoTime();
    Long first503 = null;
    long last503 = 0;
    long deadline = start + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      HttpResponse<String> ready = get(port, "/health/ready");
      if (ready == null) {
        observed.refusedAtEnd = true;
        break;
      }
      observed.readiness.add(ready.statusCode());
      if (ready.statusCode() == 503) {
        observed.readinessBodies.add(ready.body());
        long now = System.nanoTime();
        first503 = first503 == null ? now : first503;
        last503 = now;
        // well inside the drain period, before any module closes
        if (now - first503 < ShutdownChild.DRAIN.minusSeconds(1).toNanos()) {
          observed.metrics.add(status(port, "/metrics"));
          observed.liveness.add(status(port, "/health/live"));
        }
      }
      Thread.sleep(100);
    }
    if (first503 != null) {
      observed.drained503 = Duration.ofNanos(last503 - first503);
    }
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the child ends").isTrue();
    await("the child's last output").atMost(Duration.ofSeconds(5)).until(() -> !reader.isAlive());
    return observed;
  }

  private static int status(int port, String path) {
    HttpResponse<String> response = get(port, path);
    return response == null ? -1 : response.statusCode();
  }

  /** The answer, or null when the connection is refused. */
  private static HttpResponse<String> get(int port, String path) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofSeconds(5))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      return null;
    } catch (IOException e) {
      // the server went away mid-answer: treat as closed
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
