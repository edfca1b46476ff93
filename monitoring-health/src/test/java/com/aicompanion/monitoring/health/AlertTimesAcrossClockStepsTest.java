package com.aicompanion.monitoring.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The times the sender writes, for every direction the clock can step between fire, resend and
 * resolve: Alertmanager must take a resolve as ended now, never refuse it (endsAt before startsAt),
 * and never take a firing alert as ended.
 */
class AlertTimesAcrossClockStepsTest {
  private static final Duration RESEND = Duration.ofMinutes(1);
  private static final List<Duration> STEPS =
      List.of(
          Duration.ofDays(-1),
          Duration.ofMinutes(-30),
          Duration.ofSeconds(-3),
          Duration.ZERO,
          Duration.ofSeconds(3),
          Duration.ofMinutes(30),
          Duration.ofDays(1));

  private final ObjectMapper json = new ObjectMapper();

  private static AlertSender sender() {
    return new AlertSender(
        URI.create("http://127.0.0.1:9/api/v2/alerts"),
        Map.of("service", "svc"),
        10,
        RESEND,
        Duration.ofMillis(1),
        Duration.ofMillis(1),
        Clock.systemUTC(),
        new SimpleMeterRegistry(),
        s -> {});
  }

  private JsonNode rendered(AlertSender sender, AlertSender.Posting posting, Instant now)
      throws Exception {
    byte[] body = AlertSender.render(List.of(sender.encode(posting)), now, RESEND);
    return json.readTree(body).get(0);
  }

  @Test
  void aResolveEndsAtOrBeforeNowAndNeverBeforeItsStartWhicheverWayTheClockStepped()
      throws Exception {
    AlertSender sender = sender();
    try {
      Instant now = Instant.parse("2026-11-29T12:00:00Z");
      Alert alert = Alert.builder("Stepped").build();
      for (Duration fired : STEPS) {
        for (Duration resolved : STEPS) {
          // started at now+fired, resolved at now+resolved (as the clock read then), sent at now
          AlertSender.Posting posting =
              new AlertSender.Posting(alert, now.plus(fired), now.plus(resolved));
          JsonNode sent = rendered(sender, posting, now);
          Instant startsAt = Instant.parse(sent.path("startsAt").asText());
          Instant endsAt = Instant.parse(sent.path("endsAt").asText());
          String at = "fired at " + fired + ", resolved at " + resolved;
          assertThat(endsAt).as(at).isBeforeOrEqualTo(now);
          assertThat(endsAt).as(at).isEqualTo(resolved.isNegative() ? now.plus(resolved) : now);
          assertThat(startsAt).as(at).isBeforeOrEqualTo(endsAt);
          assertThat(startsAt).as(at).isEqualTo(min(now.plus(fired), endsAt));
        }
      }
    } finally {
      sender.close();
    }
  }

  @Test
  void aFiringAlertStartsNoLaterThanNowAndEndsFourResendsAheadWhicheverWayTheClockStepped()
      throws Exception {
    AlertSender sender = sender();
    try {
      Instant now = Instant.parse("2026-11-29T12:00:00Z");
      Alert alert = Alert.builder("Stepped").build();
      for (Duration fired : STEPS) {
        JsonNode sent =
            rendered(sender, new AlertSender.Posting(alert, now.plus(fired), null), now);
        Instant startsAt = Instant.parse(sent.path("startsAt").asText());
        Instant endsAt = Instant.parse(sent.path("endsAt").asText());
        assertThat(startsAt).as("fired at " + fired).isEqualTo(min(now.plus(fired), now));
        assertThat(endsAt).as("fired at " + fired).isEqualTo(now.plus(RESEND.multipliedBy(4)));
      }
    } finally {
      sender.close();
    }
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
