package com.aicompanion.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The endpoint server never keeps a JVM alive, and close() is over for every caller it returns to.
 */
class BatchJobExitTest {

  /** A batch job: starts monitoring, does nothing, returns from main. */
  public static final class BatchJob {
    public static void main(String[] args) {
      Monitoring.builder("batch").metricsHost("127.0.0.1").metricsPort(0).start();
    }
  }

  @Test
  void aJvmWhoseMainReturnsExitsAlthoughTheEndpointServerRuns() throws Exception {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classpath,
                BatchJob.class.getName())
            .redirectErrorStream(true)
            .start();
    child.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the child JVM exited").isTrue();
    assertThat(child.exitValue()).isZero();
  }

  @Test
  void aSecondConcurrentCloseReturnsOnlyOnceTheFirstIsDone() throws Exception {
    Monitoring monitoring =
        TestMonitoring.builder("close-twice")
            .config("test.modules", "a")
            .config("test.drain", "true")
            .shutdownDrain(Duration.ofMillis(800))
            .start();
    int port = monitoring.metricsAddress().getPort();
    try (LogCapture log = LogCapture.of(Monitoring.class)) {
      CompletableFuture<Void> first = CompletableFuture.runAsync(monitoring::close);
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> TestMonitoring.get(monitoring, "/test-ready").statusCode() == 503);
      monitoring.close();
      // the first close logs "closed" as its last step: the second returned after it
      assertThat(log.messages()).contains("Monitoring for close-twice closed");
      assertThat(portAnswers(port)).as("the endpoint server is stopped").isFalse();
      first.join();
    }
  }

  private static boolean portAnswers(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
