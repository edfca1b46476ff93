package com.aicompanion.monitoring.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.aicompanion.monitoring.testsupport.AlertmanagerServer;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Issue 13 items 4 and 6 for alerts: a real Alertmanager behind a relay that goes silent
 * (connections accepted, nothing answered) and then forwards again. The outage and the recovery are
 * lines of the application's log naming Alertmanager's URL, the alert arrives after, and close
 * keeps its deadline while Alertmanager is silent.
 */
class AlertDeliveryOutageTest {
  private static AlertmanagerServer alertmanager;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger notifierLogger = (Logger) LoggerFactory.getLogger(AlertNotifier.class);
  private TcpRelay relay;

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

  @BeforeEach
  void capture() {
    appender.start();
    notifierLogger.addAppender(appender);
    relay = TcpRelay.start(alertmanager.baseUri().getPort());
  }

  @AfterEach
  void release() {
    notifierLogger.detachAppender(appender);
    relay.close();
  }

  private String logged() {
    return appender.list.stream()
        .map(e -> e.getLevel() + " " + e.getFormattedMessage())
        .collect(Collectors.joining("\n"));
  }

  private static List<JsonNode> active(String alertname) {
    URI uri =
        URI.create(
            alertmanager.baseUri()
                + "/api/v2/alerts?active=true&filter=alertname%3D%22"
                + alertname
                + "%22");
    var response = TestHttp.send(HttpRequest.newBuilder(uri).GET().build());
    List<JsonNode> alerts = new java.util.ArrayList<>();
    if (response.statusCode() == 200) {
      TestHttp.json(response.body()).forEach(alerts::add);
    }
    return alerts;
  }

  @Test
  void aSilentAlertmanagerIsAWarnNamingItThenARecoveryAndTheAlertArrives() {
    URI url = URI.create("http://127.0.0.1:" + relay.port());
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    relay.stopForwarding();
    try (AlertNotifier alerts =
        AlertNotifier.builder(url)
            .service("outage-test")
            .environment("test")
            .meterRegistry(meters)
            .retryBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
            .build()) {
      alerts.fire(Alert.builder("OutageSilent").severity(Severity.CRITICAL).build());

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> logged().contains("WARN") && logged().contains(url.toString()));
      relay.resumeForwarding();

      await().atMost(Duration.ofSeconds(60)).until(() -> active("OutageSilent").size() == 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> logged().contains("works again"));
      assertThat(
              appender.list.stream()
                  .filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                  .count())
          .as(logged())
          .isEqualTo(1);
    }
  }

  /**
   * The recovery line says how long Alertmanager was unreachable: here at least the 5 s timeout.
   */
  @Test
  void theRecoveryLineCountsTheOutageFromTheFailedAttemptsStart() {
    URI url = URI.create("http://127.0.0.1:" + relay.port());
    relay.stopForwarding();
    try (AlertNotifier alerts =
        AlertNotifier.builder(url)
            .service("outage-test")
            .environment("test")
            .retryBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
            .build()) {
      alerts.fire(Alert.builder("OutageDuration").severity(Severity.CRITICAL).build());
      await().atMost(Duration.ofSeconds(30)).until(() -> logged().contains("WARN"));
      relay.resumeForwarding();
      await().atMost(Duration.ofSeconds(30)).until(() -> logged().contains("works again"));

      java.util.regex.Matcher down =
          java.util.regex.Pattern.compile("works again after ([0-9.]+)(ms|s) down")
              .matcher(logged());
      assertThat(down.find()).as(logged()).isTrue();
      double seconds =
          Double.parseDouble(down.group(1)) / (down.group(2).equals("ms") ? 1000.0 : 1.0);
      assertThat(seconds).as(logged()).isGreaterThanOrEqualTo(5.0);
    }
  }

  @Test
  void closeKeepsItsDeadlineWhileAlertmanagerIsSilent() {
    URI url = URI.create("http://127.0.0.1:" + relay.port());
    relay.stopForwarding();
    AlertNotifier alerts =
        AlertNotifier.builder(url)
            .service("outage-test")
            .environment("test")
            .retryBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
            .build();
    alerts.fire(Alert.builder("OutageClose").severity(Severity.CRITICAL).build());
    await().pollDelay(Duration.ofMillis(300)).until(() -> true);

    long start = System.nanoTime();
    alerts.close();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(took).as(logged()).isLessThan(Duration.ofMillis(6000));
    assertThat(logged()).contains(url.toString());
  }
}
