package com.aicompanion.monitoring.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.testsupport.AlertmanagerServer;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Review of issue 15 (notifier, cases 9-11): inputs the other tests did not use. */
class AlertNotifierReviewTest {
  private static AlertmanagerServer alertmanager;

  @BeforeAll
  static void startAlertmanager() {
    alertmanager = AlertmanagerServer.start();
  }

  @AfterAll
  static void stopAlertmanager() {
    if (alertmanager != null) {
      alertmanager.close();
    }
  }

  private static List<JsonNode> activeAlerts(String alertname) {
    return AlertNotifierAlertmanagerTest.activeAlerts(alertmanager.baseUri(), alertname);
  }

  private static final class SteppingClock extends Clock {
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    void step(Duration by) {
      offset.updateAndGet(o -> o.plus(by));
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(offset.get());
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  private static AlertNotifier.Builder notifier(SimpleMeterRegistry meters) {
    return AlertNotifier.builder(alertmanager.baseUri())
        .service("ai-companion")
        .environment("test")
        .meterRegistry(meters)
        .retryBackoff(Duration.ofMillis(100), Duration.ofMillis(500));
  }

  private static double count(SimpleMeterRegistry meters, String outcome) {
    return meters.get("monitoring_alerts").tag("outcome", outcome).counter().count();
  }

  @Test
  void aResolveAfterTheClockSteppedForwardAndBackEndsTheAlertNow() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    SteppingClock clock = new SteppingClock();
    try (AlertNotifier alerts = notifier(meters).clock(clock).build()) {
      Alert alert = Alert.builder("ClockForwardThenBack").build();
      clock.step(Duration.ofMinutes(30)); // a wrong clock, corrected below (NTP step)
      alerts.fire(alert);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> activeAlerts("ClockForwardThenBack").size() == 1);

      clock.step(Duration.ofMinutes(-30));
      alerts.resolve(alert);

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> count(meters, "sent") + count(meters, "rejected") >= 2);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(activeAlerts("ClockForwardThenBack")).isEmpty());
    }
  }

  @Test
  void concurrentFireAndResolveLeaveAlertmanagerAgreeingWithTheApplication() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    int rounds = 300;
    try (AlertNotifier alerts = notifier(meters).build()) {
      for (int i = 0; i < rounds; i++) {
        Alert alert = Alert.builder("RaceFireResolve").label("n", Integer.toString(i)).build();
        CyclicBarrier start = new CyclicBarrier(2);
        Thread firer =
            new Thread(
                () -> {
                  join(start);
                  alerts.fire(alert);
                });
        Thread resolver =
            new Thread(
                () -> {
                  join(start);
                  Thread.onSpinWait();
                  alerts.resolve(alert);
                });
        firer.start();
        resolver.start();
        firer.join();
        resolver.join();
      }
      Set<String> app = new TreeSet<>();
      alerts.active().forEach(a -> app.add(a.labels().get("n")));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> count(meters, "sent") + count(meters, "dropped") >= rounds);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                Set<String> am = new TreeSet<>();
                activeAlerts("RaceFireResolve")
                    .forEach(a -> am.add(a.path("labels").path("n").asText()));
                assertThat(am).as("firing in Alertmanager vs active in the app").isEqualTo(app);
              });
    }
  }

  @Test
  void concurrentWarningAndCriticalFiringsLeaveAlertmanagerWithTheApplicationsSeverity()
      throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    int rounds = 200;
    try (AlertNotifier alerts = notifier(meters).build()) {
      for (int i = 0; i < rounds; i++) {
        String n = Integer.toString(i);
        CyclicBarrier start = new CyclicBarrier(2);
        Thread warning =
            new Thread(
                () -> {
                  join(start);
                  alerts.fire(
                      Alert.builder("RaceSeverity")
                          .severity(Severity.WARNING)
                          .label("n", n)
                          .build());
                });
        Thread critical =
            new Thread(
                () -> {
                  join(start);
                  alerts.fire(
                      Alert.builder("RaceSeverity")
                          .severity(Severity.CRITICAL)
                          .label("n", n)
                          .build());
                });
        warning.start();
        critical.start();
        warning.join();
        critical.join();
      }
      Set<String> app = new TreeSet<>();
      alerts.active().forEach(a -> app.add(a.labels().get("n") + "/" + a.severity().label()));
      assertThat(app).hasSize(rounds);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                Set<String> am = new TreeSet<>();
                activeAlerts("RaceSeverity")
                    .forEach(
                        a ->
                            am.add(
                                a.path("labels").path("n").asText()
                                    + "/"
                                    + a.path("labels").path("severity").asText()));
                assertThat(am).as("firing in Alertmanager vs active in the app").isEqualTo(app);
              });
    }
  }

  private static void join(CyclicBarrier barrier) {
    try {
      barrier.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aHugeAnnotationIsCountedAndDoesNotHoldBackTheOthers() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (AlertNotifier alerts = notifier(meters).build()) {
      alerts.fire(Alert.builder("HugeAnnotation").description("x".repeat(6 << 20)).build());
      alerts.fire(Alert.builder("AfterHuge").build());
      await().atMost(Duration.ofSeconds(20)).until(() -> activeAlerts("AfterHuge").size() == 1);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  activeAlerts("HugeAnnotation").size() == 1
                      || count(meters, "dropped") + count(meters, "rejected") >= 1);
    }
  }

  @Test
  void unusualButValidLabelsArriveAsGiven() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    List<String[]> labels = new ArrayList<>();
    labels.add(new String[] {"__meta", "reserved-looking"});
    labels.add(new String[] {"unicode", "Grüße ✓ 日本 \"quoted\" \\ back"});
    labels.add(new String[] {"long", "v".repeat(100_000)});
    labels.add(new String[] {"surrogate", "a\uD800b"});
    labels.add(new String[] {"ctl", "line1\nline2\u0000end"});
    try (AlertNotifier alerts = notifier(meters).build()) {
      for (String[] l : labels) {
        alerts.fire(Alert.builder("OddLabel_" + l[0]).label(l[0], l[1]).build());
      }
      alerts.fire(Alert.builder("OddLabelAfter").build());
      await().atMost(Duration.ofSeconds(20)).until(() -> activeAlerts("OddLabelAfter").size() == 1);
      for (String[] l : labels) {
        await()
            .atMost(Duration.ofSeconds(5))
            .untilAsserted(
                () ->
                    assertThat(
                            activeAlerts("OddLabel_" + l[0]).size() == 1
                                || count(meters, "rejected") > 0)
                        .as(l[0])
                        .isTrue());
      }
      assertThat(count(meters, "rejected")).isZero();
      JsonNode unicode = activeAlerts("OddLabel_unicode").get(0);
      assertThat(unicode.path("labels").path("unicode").asText()).isEqualTo(labels.get(1)[1]);
    }
  }
}
