package com.aicompanion.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** close() drains: readiness answers 503 for the drain period while the rest still answers. */
class GracefulCloseTest {
  private static final Duration DRAIN = Duration.ofMillis(1500);

  private static Monitoring start(String service, boolean readiness, Duration drain) {
    Properties properties = new Properties();
    properties.setProperty("monitoring.test.modules", "a");
    properties.setProperty("monitoring.test.drain", Boolean.toString(readiness));
    return TestMonitoring.builder(service, Map.of(), properties).shutdownDrain(drain).start();
  }

  @Test
  void readinessAnswers503ForTheDrainPeriodWhileMetricsAnswerThenTheServerStops() {
    Monitoring monitoring = start("drain-test", true, DRAIN);
    assertThat(TestMonitoring.get(monitoring, "/test-ready").statusCode()).isEqualTo(200);
    List<Integer> metricsDuringDrain = new CopyOnWriteArrayList<>();
    try (LogCapture log = LogCapture.of(Monitoring.class)) {
      long start = System.nanoTime();
      CompletableFuture<Void> closing = CompletableFuture.runAsync(monitoring::close);

      await("readiness answers 503")
          .atMost(Duration.ofSeconds(1))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> TestMonitoring.get(monitoring, "/test-ready").statusCode() == 503);
      metricsDuringDrain.add(TestMonitoring.get(monitoring, "/metrics").statusCode());
      assertThat(closing).isNotDone();
      assertThat(TestMonitoring.get(monitoring, "/test-ready").statusCode()).isEqualTo(503);
      metricsDuringDrain.add(TestMonitoring.get(monitoring, "/metrics").statusCode());

      closing.join();
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(took).isGreaterThanOrEqualTo(DRAIN);
      assertThat(metricsDuringDrain).containsOnly(200);
      assertThatThrownBy(() -> rawGet(monitoring, "/metrics")).isInstanceOf(ConnectException.class);
      assertThat(log.messages())
          .anyMatch(m -> m.startsWith("Monitoring for drain-test is draining for PT1.5S"))
          .last()
          .isEqualTo("Monitoring for drain-test closed");
      assertThat(log.warnings()).anyMatch(m -> m.contains("drain action failed"));
    }
  }

  @Test
  void closeDoesNotWaitWhenNoModuleServesReadiness() {
    Monitoring monitoring = start("no-drain-test", false, Duration.ofSeconds(30));
    long start = System.nanoTime();

    monitoring.close();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aZeroDrainClosesAtOnce() {
    Monitoring monitoring = start("zero-drain-test", true, Duration.ZERO);
    long start = System.nanoTime();

    monitoring.close();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aBadDrainValueNamesTheKeyAndTheFix() {
    Monitoring.Builder builder =
        TestMonitoring.builder(
            "bad-drain", Map.of("MONITORING_SHUTDOWN_DRAIN", "soon"), new Properties());

    assertThatThrownBy(builder::start)
        .isInstanceOf(MonitoringException.class)
        .hasMessageContaining("MONITORING_SHUTDOWN_DRAIN=soon is not a duration");
    assertThatThrownBy(() -> Monitoring.builder("x").shutdownDrain(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shutdownDrain(PT-1S)");
  }

  private static void rawGet(Monitoring monitoring, String path)
      throws IOException, InterruptedException {
    TestMonitoring.HTTP.send(
        HttpRequest.newBuilder(TestMonitoring.uri(monitoring, path))
            .timeout(Duration.ofSeconds(2))
            .build(),
        HttpResponse.BodyHandlers.discarding());
  }
}
