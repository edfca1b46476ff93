package com.aicompanion.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicompanion.monitoring.internal.ShutdownSequence;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The module SPI through the real ServiceLoader, the component directory and the shutdown deadline.
 */
class ModuleLifecycleTest {

  @Test
  void modulesStartInOrderAndCloseInReverse() {
    Monitoring m = TestMonitoring.builder("lifecycle-order").config("test.modules", "a,b").start();
    assertThat(RecordingTestModule.EVENTS.get("lifecycle-order"))
        .containsExactly("start a", "start b");
    m.close();
    m.close();
    assertThat(RecordingTestModule.EVENTS.get("lifecycle-order"))
        .containsExactly("start a", "start b", "close b", "close a");
  }

  @Test
  void moduleThatFailsToStartClosesWhatStartedAndFreesThePort() {
    assertThatThrownBy(
            () ->
                TestMonitoring.builder("lifecycle-fail")
                    .config("test.modules", "a,b")
                    .config("test.fail", "b")
                    .start())
        .isInstanceOf(MonitoringException.class)
        .hasMessage("TEST_FAIL=b makes this part fail");
    assertThat(RecordingTestModule.EVENTS.get("lifecycle-fail"))
        .containsExactly("start a", "close a");
  }

  @Test
  void closerThatHangsIsAbandonedAtTheDeadlineAndTheRestStillClose() {
    Monitoring m =
        TestMonitoring.builder("lifecycle-hang")
            .config("test.modules", "a,b")
            .config("test.hang", "b")
            .shutdownTimeout(Duration.ofMillis(300))
            .start();
    long started = System.nanoTime();
    m.close();
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(took).isLessThan(Duration.ofSeconds(5));
    assertThat(RecordingTestModule.EVENTS.get("lifecycle-hang"))
        .containsExactly("start a", "start b", "close a");
  }

  @Test
  void publishedComponentsAndRoutesAreAvailable() {
    try (Monitoring m =
        TestMonitoring.builder("lifecycle-components")
            .config("test.modules", "a")
            .endpointToken("tok")
            .start()) {
      assertThat(m.get(StringBuilder.class)).hasToString("published by recording-test");
      assertThat(TestMonitoring.get(m, "/test-route").body()).isEqualTo("authorized=false");
      assertThat(
              TestMonitoring.send(
                      HttpRequest.newBuilder(TestMonitoring.uri(m, "/test-route"))
                          .header("Authorization", "Bearer tok")
                          .build())
                  .body())
          .isEqualTo("authorized=true");
      assertThatThrownBy(() -> m.get(Thread.class))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "No Thread is available: add the artifact com.aicompanion.monitoring:that provides java.lang.Thread to"
                  + " the classpath (running modules: recording-test, at-logging, at-tracing)");
    }
  }

  @Test
  void missingComponentNamesTheArtifactByPackage() {
    assertThat(Monitoring.artifactOf(com.aicompanion.monitoring.widgets.Widget.class))
        .isEqualTo("monitoring-widgets");
  }

  @Test
  void globalIsTheRunningInstanceAndFailsClearlyWithoutOne() {
    Monitoring m =
        Monitoring.builder("lifecycle-global")
            .sources(Map.of(), new Properties())
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .start();
    try {
      assertThat(Monitoring.global()).isSameAs(m);
    } finally {
      m.close();
    }
    assertThatThrownBy(Monitoring::global)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Monitoring has not been started (or was closed): call Monitoring.start(\"your-service\") in main() first");
  }

  @Test
  void shutdownSequenceRunsNewestFirstAndReportsFailures() {
    ShutdownSequence sequence = new ShutdownSequence();
    List<String> order = new ArrayList<>();
    sequence.add("first", () -> order.add("first"));
    sequence.add(
        "broken",
        () -> {
          throw new IllegalStateException("boom");
        });
    sequence.add("last", () -> order.add("last"));
    CountDownLatch never = new CountDownLatch(1);
    sequence.add("stuck", never::await);

    assertThat(sequence.run(Duration.ofMillis(200))).isEqualTo(2);
    assertThat(order).containsExactly("last", "first");
  }
}
