package com.aicompanion.monitoring.it.stack.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stack's Alertmanager configuration on a real Alertmanager ({@link AlertmanagerUnderTest}):
 * each inhibit rule mutes only the alerts it explains, and the application's own alerts reach the
 * team's receiver with a title that has no empty fields.
 */
class AlertmanagerInhibitionAndDeliveryTest {
  private static AlertmanagerUnderTest alertmanager;

  @BeforeAll
  static void start() throws Exception {
    alertmanager = AlertmanagerUnderTest.start();
  }

  @AfterAll
  static void stop() {
    if (alertmanager != null) {
      alertmanager.close();
    }
  }

  @Test
  void serviceDownMutesOnlyTheAlertsOfTheSameInstance() {
    Map<String, String> down =
        labels("ServiceDown", "critical", "job=svc-a", "instance=a:8000", "environment=prod");
    Map<String, String> sameInstance =
        labels("JvmHeapHigh", "warning", "job=svc-a", "instance=a:8000", "environment=prod");
    Map<String, String> otherInstance =
        labels("JvmHeapHigh", "warning", "job=svc-a", "instance=b:8000", "environment=prod");
    Map<String, String> otherJob =
        labels("JvmHeapHigh", "warning", "job=svc-other", "instance=a:8000", "environment=prod");

    alertmanager.post(down, sameInstance, otherInstance, otherJob);

    awaitInhibited(sameInstance, true);
    assertInhibited(otherInstance, false);
    assertInhibited(otherJob, false);
    assertInhibited(down, false);
  }

  @Test
  void postgresDownMutesOnlyTheDatabaseHealthCheckOfItsEnvironment() {
    Map<String, String> postgresDown =
        labels(
            "PostgresDown",
            "critical",
            "job=postgres",
            "instance=postgres-exporter:9187",
            "environment=pg-prod",
            "service=svc-pg");
    Map<String, String> databaseCheck =
        labels(
            "HealthCheckFailing",
            "warning",
            "job=svc-pg",
            "service=svc-pg",
            "instance=a:8000",
            "environment=pg-prod",
            "check=database");
    Map<String, String> databaseCheckSentByTheApp =
        labels(
            "HealthCheckFailed",
            "critical",
            "service=svc-pg",
            "environment=pg-prod",
            "check=database");
    Map<String, String> unrelatedCheck =
        labels(
            "HealthCheckFailing",
            "warning",
            "job=svc-pg",
            "service=svc-pg",
            "instance=a:8000",
            "environment=pg-prod",
            "check=llm-provider");
    Map<String, String> otherEnvironment =
        labels(
            "HealthCheckFailing",
            "warning",
            "job=svc-pg",
            "service=svc-pg",
            "instance=a:8000",
            "environment=pg-dev",
            "check=database");
    Map<String, String> cacheCheck =
        labels(
            "HealthCheckFailing",
            "warning",
            "job=svc-pg",
            "service=svc-pg",
            "instance=a:8000",
            "environment=pg-prod",
            "check=cache");

    alertmanager.post(
        postgresDown,
        databaseCheck,
        databaseCheckSentByTheApp,
        unrelatedCheck,
        otherEnvironment,
        cacheCheck);

    awaitInhibited(databaseCheck, true);
    assertInhibited(databaseCheckSentByTheApp, true);
    assertInhibited(unrelatedCheck, false);
    assertInhibited(otherEnvironment, false);
    assertInhibited(cacheCheck, false);
  }

  @Test
  void redisDownMutesTheCacheCheckOnly() {
    Map<String, String> redisDown =
        labels(
            "RedisDown",
            "critical",
            "job=redis",
            "instance=redis-exporter:9121",
            "environment=redis-prod",
            "service=svc-r");
    Map<String, String> cacheCheck =
        labels(
            "HealthCheckFailing",
            "warning",
            "job=svc-r",
            "service=svc-r",
            "instance=a:8000",
            "environment=redis-prod",
            "check=cache");
    Map<String, String> databaseCheck =
        labels(
            "HealthCheckFailing",
            "warning",
            "job=svc-r",
            "service=svc-r",
            "instance=a:8000",
            "environment=redis-prod",
            "check=database");

    alertmanager.post(redisDown, cacheCheck, databaseCheck);

    awaitInhibited(cacheCheck, true);
    assertInhibited(databaseCheck, false);
  }

  @Test
  void aCriticalAlertMutesItsWarningOnlyInTheSameEnvironment() {
    Map<String, String> critical =
        labels("HighErrorRatio", "critical", "job=svc-e", "environment=prod");
    Map<String, String> warning =
        labels("HighErrorRatio", "warning", "job=svc-e", "environment=prod");
    Map<String, String> warningElsewhere =
        labels("HighErrorRatio", "warning", "job=svc-e", "environment=dev");
    Map<String, String> otherAlert =
        labels("HighLatencyP95", "warning", "job=svc-e", "environment=prod");

    alertmanager.post(critical, warning, warningElsewhere, otherAlert);

    awaitInhibited(warning, true);
    assertInhibited(warningElsewhere, false);
    assertInhibited(otherAlert, false);
  }

  @Test
  void theApplicationsCriticalHealthAlertReachesItsTeamWithACompleteTitle() {
    alertmanager.post(
        labels(
            "HealthCheckFailed",
            "critical",
            "team=backend",
            "service=chat-deliver",
            "environment=prod",
            "check=database"));

    JsonNode webhook = awaitDelivery("webhook", "HealthCheckFailed", "chat-deliver");
    JsonNode slack = awaitDelivery("slack", "HealthCheckFailed", "chat-deliver");

    assertThat(webhook.path("receiver").asText()).isEqualTo("backend-critical");
    assertThat(title(slack))
        .isEqualTo("[FIRING:1] HealthCheckFailed (critical, backend, chat-deliver, prod)");
    assertThat(slack.path("channel").asText()).isEqualTo("#backend-alerts");
  }

  @Test
  void anAlertWithoutTeamPagesThePlatformTeamAndItsTitleHasNoEmptyField() {
    alertmanager.post(
        labels(
            "HealthCheckFailed",
            "critical",
            "service=chat-noteam",
            "environment=prod",
            "check=database"));

    JsonNode webhook = awaitDelivery("webhook", "HealthCheckFailed", "chat-noteam");
    JsonNode slack = awaitDelivery("slack", "HealthCheckFailed", "chat-noteam");

    assertThat(webhook.path("receiver").asText()).isEqualTo("platform-critical");
    assertThat(title(slack))
        .isEqualTo("[FIRING:1] HealthCheckFailed (critical, chat-noteam, prod)")
        .doesNotContain(", )")
        .doesNotContain("()")
        .doesNotContain(", ,");
  }

  @Test
  void theLlmBudgetWarningOfTheApplicationGoesToTheTeamsChat() {
    alertmanager.post(
        labels(
            "LlmBudgetExceeded",
            "warning",
            "team=backend",
            "service=chat-budget",
            "environment=dev"));

    JsonNode webhook = awaitDelivery("webhook", "LlmBudgetExceeded", "chat-budget");
    JsonNode slack = awaitDelivery("slack", "LlmBudgetExceeded", "chat-budget");

    assertThat(webhook.path("receiver").asText()).isEqualTo("backend-slack");
    assertThat(title(slack))
        .isEqualTo("[FIRING:1] LlmBudgetExceeded (warning, backend, chat-budget, dev)");
  }

  private static Map<String, String> labels(String alertname, String severity, String... more) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("alertname", alertname);
    labels.put("severity", severity);
    for (String pair : more) {
      String[] kv = pair.split("=", 2);
      labels.put(kv[0], kv[1]);
    }
    return labels;
  }

  private static String title(JsonNode slack) {
    return slack.path("attachments").path(0).path("title").asText();
  }

  /** The body of the first delivery by {@code integration} of {@code alertname} of a service. */
  private static JsonNode awaitDelivery(String integration, String alertname, String service) {
    JsonNode[] found = new JsonNode[1];
    await(integration + " delivery of " + alertname + " for " + service)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              for (AlertmanagerUnderTest.Delivery d : alertmanager.deliveries()) {
                if (d.integration().equals(integration) && mentions(d, alertname, service)) {
                  found[0] = d.body();
                  return true;
                }
              }
              return false;
            });
    return found[0];
  }

  private static boolean mentions(
      AlertmanagerUnderTest.Delivery d, String alertname, String service) {
    String text = d.body().toString();
    return text.contains(alertname) && text.contains(service);
  }

  private static void awaitInhibited(Map<String, String> labels, boolean inhibited) {
    await(labels + (inhibited ? " inhibited" : " not inhibited"))
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> isInhibited(labels) == inhibited);
  }

  private static void assertInhibited(Map<String, String> labels, boolean inhibited) {
    assertThat(isInhibited(labels))
        .as("%s inhibited (Alertmanager log:\n%s)", labels, alertmanager.tail())
        .isEqualTo(inhibited);
  }

  private static boolean isInhibited(Map<String, String> labels) {
    Map<String, String> wanted = new TreeMap<>(labels);
    List<JsonNode> alerts = alertmanager.alerts();
    for (JsonNode alert : alerts) {
      Map<String, String> got = new TreeMap<>();
      alert.path("labels").properties().forEach(e -> got.put(e.getKey(), e.getValue().asText()));
      if (got.equals(wanted)) {
        return alert.path("status").path("inhibitedBy").size() > 0;
      }
    }
    throw new AssertionError("Alertmanager does not hold " + labels + "; it holds " + alerts);
  }
}
