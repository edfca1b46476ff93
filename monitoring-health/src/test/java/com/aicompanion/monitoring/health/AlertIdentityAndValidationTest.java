package com.aicompanion.monitoring.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.aicompanion.monitoring.Monitoring;
import com.aicompanion.monitoring.testsupport.AlertmanagerServer;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Issue 15, cases 9-11 and the routing labels, against a real Alertmanager: annotation names it
 * refuses, a clock stepped back before a resolve, identity by the full label set, a severity
 * change, a base URL with a path, and the team/service/environment labels.
 */
class AlertIdentityAndValidationTest {
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

  private static List<JsonNode> activeAlerts(URI base, String alertname) {
    return AlertNotifierAlertmanagerTest.activeAlerts(base, alertname);
  }

  /** A clock the test can step back. */
  private static final class SteppingClock extends Clock {
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    void stepBack(Duration by) {
      offset.updateAndGet(o -> o.minus(by));
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

  private static AlertNotifier.Builder notifier(URI url, SimpleMeterRegistry meters) {
    return AlertNotifier.builder(url)
        .service("ai-companion")
        .environment("test")
        .meterRegistry(meters)
        .retryBackoff(Duration.ofMillis(100), Duration.ofMillis(500));
  }

  private static double count(SimpleMeterRegistry meters, String outcome) {
    return meters.get("monitoring_alerts").tag("outcome", outcome).counter().count();
  }

  @Test
  void alertmanagerRefusesAHyphenatedAnnotationNameWhichFireRenamesLogsOnceAndCounts() {
    // the rule is Alertmanager's: the same annotation posted raw is refused with 400
    String raw =
        "[{\"labels\":{\"alertname\":\"RawHyphen\"},\"annotations\":{\"runbook-url\":\"x\"}}]";
    var answer =
        TestHttp.send(
            HttpRequest.newBuilder(URI.create(alertmanager.baseUri() + "/api/v2/alerts"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(raw))
                .build());
    assertThat(answer.statusCode()).isEqualTo(400);

    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Logger logger = (Logger) LoggerFactory.getLogger(AlertNotifier.class);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    logger.addAppender(log);
    try (AlertNotifier alerts = notifier(alertmanager.baseUri(), meters).build()) {
      Alert alert =
          Alert.builder("RunbookHyphen")
              .summary("s")
              .annotation("runbook-url", "http://runbooks/x")
              .build();
      alerts.fire(alert);
      alerts.fire(alert);

      await().atMost(Duration.ofSeconds(20)).until(() -> activeAlerts("RunbookHyphen").size() == 1);
      JsonNode listed = activeAlerts("RunbookHyphen").get(0);
      assertThat(listed.path("annotations").path("runbook_url").asText())
          .isEqualTo("http://runbooks/x");
      assertThat(listed.path("annotations").has("runbook-url")).isFalse();
      assertThat(count(meters, "rejected")).isZero();
      assertThat(meters.get("monitoring_alert_annotations_renamed").counter().count())
          .isEqualTo(2.0);
      assertThat(log.list)
          .map(ILoggingEvent::getFormattedMessage)
          .filteredOn(m -> m.contains("runbook-url"))
          .singleElement()
          .satisfies(
              m ->
                  assertThat(m)
                      .contains("[a-zA-Z_][a-zA-Z0-9_]*")
                      .contains("sent as \"runbook_url\"")
                      .contains("RunbookHyphen"));
      alerts.resolve(alert);
      await().atMost(Duration.ofSeconds(20)).until(() -> activeAlerts("RunbookHyphen").isEmpty());
    } finally {
      logger.detachAppender(log);
    }
  }

  @Test
  void aLabelNameAlertmanagerRefusesThrowsAtBuildNamingTheRuleAndTheFix() {
    assertThatThrownBy(() -> Alert.builder("X").label("model-name", "gpt"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"model-name\"")
        .hasMessageContaining("[a-zA-Z_][a-zA-Z0-9_]*")
        .hasMessageContaining("\"model_name\"");
  }

  @Test
  void aResolveAfterTheClockSteppedBackThreeSecondsEndsTheAlert() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    SteppingClock clock = new SteppingClock();
    try (AlertNotifier alerts = notifier(alertmanager.baseUri(), meters).clock(clock).build()) {
      Alert alert = Alert.builder("ClockStep").build();
      alerts.fire(alert);
      await().atMost(Duration.ofSeconds(20)).until(() -> activeAlerts("ClockStep").size() == 1);

      clock.stepBack(Duration.ofSeconds(3));
      alerts.resolve(alert);

      await().atMost(Duration.ofSeconds(20)).until(() -> activeAlerts("ClockStep").isEmpty());
      assertThat(count(meters, "rejected")).isZero();
      assertThat(count(meters, "sent")).isEqualTo(2.0);
    }
  }

  @Test
  void aFiringAlertResentAfterTheClockSteppedBackPastItsEndIsNotRefused() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    SteppingClock clock = new SteppingClock();
    try (AlertNotifier alerts =
        notifier(alertmanager.baseUri(), meters)
            .clock(clock)
            .resendInterval(Duration.ofMillis(200))
            .build()) {
      Alert alert = Alert.builder("ClockStepFiring").build();
      alerts.fire(alert);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> activeAlerts("ClockStepFiring").size() == 1);

      // further back than endsAt's four resend intervals: endsAt from the stepped clock alone
      // would fall before startsAt, which Alertmanager refuses (400); the notifier keeps it after
      double sent = count(meters, "sent");
      clock.stepBack(Duration.ofSeconds(3));
      await().atMost(Duration.ofSeconds(20)).until(() -> count(meters, "sent") >= sent + 3);

      assertThat(count(meters, "rejected")).isZero();
      alerts.resolve(alert);
      await().atMost(Duration.ofSeconds(20)).until(() -> activeAlerts("ClockStepFiring").isEmpty());
    }
  }

  @Test
  void aLabelValueWithACommaDoesNotCollideWithTwoLabels() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (AlertNotifier alerts = notifier(alertmanager.baseUri(), meters).build()) {
      Alert oneLabel = Alert.builder("Collide").label("a", "1, b=2").build();
      Alert twoLabels = Alert.builder("Collide").label("a", "1").label("b", "2").build();
      alerts.fire(oneLabel);
      alerts.fire(twoLabels);
      await().atMost(Duration.ofSeconds(20)).until(() -> activeAlerts("Collide").size() == 2);
      assertThat(alerts.active()).hasSize(2);

      alerts.resolve(oneLabel);

      await().atMost(Duration.ofSeconds(20)).until(() -> activeAlerts("Collide").size() == 1);
      JsonNode left = activeAlerts("Collide").get(0);
      assertThat(left.path("labels").path("a").asText()).isEqualTo("1");
      assertThat(left.path("labels").path("b").asText()).isEqualTo("2");
      alerts.resolve(twoLabels);
      await().atMost(Duration.ofSeconds(20)).until(() -> activeAlerts("Collide").isEmpty());
    }
  }

  @Test
  void firingAsWarningThenCriticalLeavesOnlyTheCriticalAlert() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (AlertNotifier alerts = notifier(alertmanager.baseUri(), meters).build()) {
      alerts.fire(Alert.builder("Escalates").severity(Severity.WARNING).label("x", "1").build());
      await().atMost(Duration.ofSeconds(20)).until(() -> activeAlerts("Escalates").size() == 1);

      alerts.fire(Alert.builder("Escalates").severity(Severity.CRITICAL).label("x", "1").build());

      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                List<JsonNode> listed = activeAlerts("Escalates");
                return listed.size() == 1
                    && listed.get(0).path("labels").path("severity").asText().equals("critical");
              });
      assertThat(alerts.active())
          .singleElement()
          .extracting(Alert::severity)
          .isEqualTo(Severity.CRITICAL);

      // resolving by name and labels ends it whatever the severity
      alerts.resolve(Alert.builder("Escalates").label("x", "1").build());
      await().atMost(Duration.ofSeconds(20)).until(() -> activeAlerts("Escalates").isEmpty());
    }
  }

  @Test
  void anEmptyLabelValueIsNoLabelAsInAlertmanager() {
    Alert empty = Alert.builder("E").label("check", "").build();
    assertThat(empty.labels()).isEmpty();
  }

  @Test
  void aBaseUrlWithAPathKeepsItOnAnAlertmanagerServedUnderThatPrefix() {
    try (AlertmanagerServer prefixed =
        AlertmanagerServer.start(List.of("--web.route-prefix=/am"))) {
      URI base = URI.create(prefixed.baseUri() + "/am");
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      try (AlertNotifier alerts = notifier(base, meters).build()) {
        alerts.fire(Alert.builder("UnderPrefix").build());

        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> activeAlerts(base, "UnderPrefix").size() == 1);
        assertThat(count(meters, "rejected")).isZero();
      }
    }
    assertThat(AlertNotifier.alertsEndpoint(URI.create("http://am:9093/am/")))
        .hasToString("http://am:9093/am/api/v2/alerts");
    assertThat(AlertNotifier.alertsEndpoint(URI.create("http://am:9093")))
        .hasToString("http://am:9093/api/v2/alerts");
  }

  @Test
  void teamServiceAndEnvironmentComeFromConfigurationAndAnAlertsOwnLabelWins() {
    try (Monitoring monitoring =
        TestHttp.monitoring("routed-service")
            .environment("staging")
            .config("alertmanager.url", alertmanager.baseUri().toString())
            .config("alerts.team", "payments")
            .start()) {
      // before any alert: the counters are there at 0, so increase() sees the first event
      String scrape = TestHttp.scrape(monitoring);
      for (String outcome : List.of("sent", "failed", "rejected", "dropped")) {
        assertThat(scrape).contains("monitoring_alerts_total{outcome=\"" + outcome + "\"} 0.0");
      }
      assertThat(scrape).contains("monitoring_alert_annotations_renamed_total 0.0");
      AlertNotifier alerts = monitoring.get(AlertNotifier.class);
      alerts.fire(Alert.builder("Routed").build());
      alerts.fire(Alert.builder("RoutedOwnTeam").label("team", "ml").build());

      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  activeAlerts("Routed").size() == 1 && activeAlerts("RoutedOwnTeam").size() == 1);
      JsonNode routed = activeAlerts("Routed").get(0).path("labels");
      assertThat(routed.path("team").asText()).isEqualTo("payments");
      assertThat(routed.path("service").asText()).isEqualTo("routed-service");
      assertThat(routed.path("environment").asText()).isEqualTo("staging");
      assertThat(activeAlerts("RoutedOwnTeam").get(0).path("labels").path("team").asText())
          .isEqualTo("ml");
      alerts.resolve(Alert.builder("Routed").build());
      alerts.resolve(Alert.builder("RoutedOwnTeam").label("team", "ml").build());
      await().atMost(Duration.ofSeconds(20)).until(() -> activeAlerts("Routed").isEmpty());
    }
  }

  @Test
  void aBlankTeamIsRefusedNamingTheFix() {
    assertThatThrownBy(() -> AlertNotifier.builder(null).team(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[a-z][a-z0-9_-]*")
        .hasMessageContaining("\"backend\"");
  }

  @Test
  void aTeamTheRoutesCannotMatchIsRefusedNamingValueRuleAndFix() {
    // Alertmanager's routes match team="backend" exactly: "Backend" would reach the fallback
    for (String bad : List.of("Backend", "BACKEND", "back end", "9team", "-ops", "team.ai", "ä")) {
      assertThatThrownBy(() -> AlertNotifier.builder(null).team(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("\"" + bad + "\"")
          .hasMessageContaining("MONITORING_ALERTS_TEAM")
          .hasMessageContaining("[a-z][a-z0-9_-]*");
    }
    assertThatThrownBy(() -> AlertNotifier.builder(null).team("Backend"))
        .hasMessageContaining("e.g. \"backend\"");
    assertThatThrownBy(() -> AlertNotifier.builder(null).team("Data Science"))
        .hasMessageContaining("e.g. \"data-science\"");
    for (String good : List.of("backend", "ai", "platform", "data-science", "team_2")) {
      assertThat(AlertNotifier.builder(null).team(good).build().isEnabled()).isFalse();
    }
  }

  @Test
  void aMisspelledTeamInTheConfigurationStopsTheStart() {
    assertThatThrownBy(
            () ->
                TestHttp.monitoring("team-typo")
                    .config("alertmanager.url", alertmanager.baseUri().toString())
                    .config("alerts.team", "Backend")
                    .start()
                    .close())
        .hasStackTraceContaining("\"Backend\"")
        .hasStackTraceContaining("[a-z][a-z0-9_-]*");
  }
}
