package com.aicompanion.monitoring.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.Monitoring;
import com.aicompanion.monitoring.testsupport.AlertmanagerServer;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Alerts to a real Alertmanager that the test starts, stops and starts again. */
class AlertNotifierAlertmanagerTest {
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

  /** Active (not resolved) alerts that Alertmanager lists with {@code alertname}. */
  static List<JsonNode> activeAlerts(String alertname) {
    return activeAlerts(alertmanager.baseUri(), alertname);
  }

  /** Active (not resolved) alerts that the Alertmanager at {@code base} lists. */
  static List<JsonNode> activeAlerts(URI base, String alertname) {
    URI uri =
        URI.create(
            base
                + "/api/v2/alerts?active=true&silenced=false&inhibited=false&unprocessed=true&filter=alertname%3D%22"
                + alertname
                + "%22");
    var response = TestHttp.send(HttpRequest.newBuilder(uri).GET().build());
    if (response.statusCode() != 200) {
      return List.of();
    }
    List<JsonNode> alerts = new ArrayList<>();
    TestHttp.json(response.body()).forEach(alerts::add);
    alerts.removeIf(a -> !"active".equals(a.path("status").path("state").asText()));
    return alerts;
  }

  private static AlertNotifier notifier(SimpleMeterRegistry meters) {
    return AlertNotifier.builder(alertmanager.baseUri())
        .service("ai-companion")
        .environment("test")
        .meterRegistry(meters)
        .retryBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
        .build();
  }

  @Test
  void firedAlertIsListedWithOurLabelsAndDisappearsAfterResolve() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (AlertNotifier alerts = notifier(meters)) {
      Alert alert =
          Alert.builder("LlmBudgetExceeded")
              .severity(Severity.WARNING)
              .summary("LLM spend is \"over\" budget")
              .label("model", "gpt-4o")
              .build();

      alerts.fire(alert);

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> activeAlerts("LlmBudgetExceeded").size() == 1);
      JsonNode listed = activeAlerts("LlmBudgetExceeded").get(0);
      assertThat(listed.path("labels").path("service").asText()).isEqualTo("ai-companion");
      assertThat(listed.path("labels").path("environment").asText()).isEqualTo("test");
      assertThat(listed.path("labels").path("severity").asText()).isEqualTo("warning");
      assertThat(listed.path("labels").path("model").asText()).isEqualTo("gpt-4o");
      assertThat(listed.path("annotations").path("summary").asText())
          .isEqualTo("LLM spend is \"over\" budget");

      alerts.resolve(alert);

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> activeAlerts("LlmBudgetExceeded").isEmpty());
      assertThat(alerts.active()).isEmpty();
      assertThat(meters.get("monitoring_alerts").tag("outcome", "sent").counter().count())
          .isEqualTo(2.0);
    }
  }

  @Test
  void alertFiredWhileAlertmanagerIsDownArrivesAfterItRestarts() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (AlertNotifier alerts = notifier(meters)) {
      alertmanager.stop();
      try {
        alerts.fire(Alert.builder("QueueStuck").severity(Severity.CRITICAL).build());
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    meters.get("monitoring_alerts").tag("outcome", "failed").counter().count()
                        >= 2);
      } finally {
        alertmanager.restart();
      }

      await().atMost(Duration.ofSeconds(30)).until(() -> activeAlerts("QueueStuck").size() == 1);
      assertThat(activeAlerts("QueueStuck").get(0).path("labels").path("severity").asText())
          .isEqualTo("critical");
      assertThat(meters.get("monitoring_alerts").tag("outcome", "sent").counter().count())
          .isEqualTo(1.0);
      alerts.resolve(Alert.builder("QueueStuck").severity(Severity.CRITICAL).build());
    }
  }

  /**
   * One alert Alertmanager refuses (400: an annotation name it does not allow) neither jams the
   * sender nor takes the alerts sent with it down: the batch is split, the refused alert is dropped
   * and counted as rejected with a WARN naming Alertmanager's message and the alert, the others
   * arrive, and later alerts still go through.
   */
  @Test
  void aRefusedAlertIsDroppedAndCountedWhileTheOthersInItsBatchArrive() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(AlertNotifier.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
        new ch.qos.logback.core.read.ListAppender<>();
    log.start();
    logger.addAppender(log);
    // the sender alone: the notifier renames the annotation name Alertmanager refuses, so only a
    // sender fed directly can still meet Alertmanager's 400
    AlertSender sender =
        new AlertSender(
            AlertNotifier.alertsEndpoint(alertmanager.baseUri()),
            java.util.Map.of("service", "ai-companion"),
            100,
            Duration.ofMinutes(1),
            Duration.ofMillis(100),
            Duration.ofMillis(500),
            java.time.Clock.systemUTC(),
            meters,
            s -> {});
    java.time.Instant now = java.time.Instant.now();
    try {
      Alert bad = Alert.builder("BadAnnotation").annotation("runbook-url", "http://x").build();
      alertmanager.stop();
      try {
        // queued together while Alertmanager is down, so that they go in one batch
        sender.offer(Alert.builder("GoodBefore").build(), now, null);
        sender.offer(bad, now, null);
        sender.offer(Alert.builder("GoodAfter").build(), now, null);
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    meters.get("monitoring_alerts").tag("outcome", "failed").counter().count()
                        >= 3);
      } finally {
        alertmanager.restart();
      }

      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  activeAlerts("GoodBefore").size() == 1 && activeAlerts("GoodAfter").size() == 1);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  meters.get("monitoring_alerts").tag("outcome", "rejected").counter().count()
                      == 1.0);
      assertThat(activeAlerts("BadAnnotation")).isEmpty();
      assertThat(meters.get("monitoring_alerts").tag("outcome", "sent").counter().count())
          .isEqualTo(2.0);
      assertThat(log.list)
          .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
          .anySatisfy(
              m ->
                  assertThat(m)
                      .contains("refused by")
                      .contains("Alertmanager answered HTTP 400")
                      .contains("\"alertname\":\"BadAnnotation\""));

      sender.offer(Alert.builder("LaterAlert").build(), now, null);
      await().atMost(Duration.ofSeconds(20)).until(() -> activeAlerts("LaterAlert").size() == 1);
      java.time.Instant end = java.time.Instant.now();
      sender.offer(Alert.builder("GoodBefore").build(), now, end);
      sender.offer(Alert.builder("GoodAfter").build(), now, end);
      sender.offer(Alert.builder("LaterAlert").build(), now, end);
    } finally {
      sender.close();
      logger.detachAppender(log);
    }
  }

  @Test
  void activeAlertsAreResentSoAlertmanagerKeepsThem() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (AlertNotifier alerts =
        AlertNotifier.builder(alertmanager.baseUri())
            .service("ai-companion")
            .meterRegistry(meters)
            .resendInterval(Duration.ofMillis(300))
            .build()) {
      alerts.fire(Alert.builder("DiskFilling").build());

      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> meters.get("monitoring_alerts").tag("outcome", "sent").counter().count() >= 4);
      assertThat(activeAlerts("DiskFilling")).hasSize(1);
      alerts.resolve(Alert.builder("DiskFilling").build());
      await().atMost(Duration.ofSeconds(20)).until(() -> activeAlerts("DiskFilling").isEmpty());
    }
  }

  @Test
  void failingCriticalCheckFiresHealthCheckFailedAndResolvesWhenItPasses() {
    AtomicReference<CheckResult> answer = new AtomicReference<>(CheckResult.fail("refused"));
    try (Monitoring monitoring =
        TestHttp.monitoring("alerting-service")
            .environment("test")
            .config("alertmanager.url", alertmanager.baseUri().toString())
            .config("health.refresh.interval", "200ms")
            .config("health.cache.interval", "0")
            .start()) {
      HealthRegistry health = monitoring.get(HealthRegistry.class);
      assertThat(monitoring.get(AlertNotifier.class).isEnabled()).isTrue();
      health.register("postgres", answer::get);
      health.register("cache", () -> CheckResult.fail("down"), CheckOptions.nonCritical());

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> activeAlerts("HealthCheckFailed").size() == 1);
      JsonNode fired = activeAlerts("HealthCheckFailed").get(0);
      assertThat(fired.path("labels").path("check").asText()).isEqualTo("postgres");
      assertThat(fired.path("labels").path("service").asText()).isEqualTo("alerting-service");
      assertThat(fired.path("labels").path("severity").asText()).isEqualTo("critical");
      // the labels Alertmanager's routes use: team by default backend
      assertThat(fired.path("labels").path("environment").asText()).isEqualTo("test");
      assertThat(fired.path("labels").path("team").asText()).isEqualTo("backend");
      assertThat(fired.path("annotations").path("description").asText()).isEqualTo("refused");

      answer.set(CheckResult.pass());

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> activeAlerts("HealthCheckFailed").isEmpty());
      assertThat(TestHttp.scrape(monitoring)).contains("monitoring_alerts_total{outcome=\"sent\"}");
    }
  }

  @Test
  void withoutAlertmanagerUrlTheNotifierIsOffAndAcceptsAlerts() {
    try (Monitoring monitoring = TestHttp.monitoring("no-alerts").start()) {
      AlertNotifier alerts = monitoring.get(AlertNotifier.class);
      alerts.fire(Alert.builder("Anything").build());

      assertThat(alerts.isEnabled()).isFalse();
      assertThat(alerts.active()).hasSize(1);
    }
  }
}
