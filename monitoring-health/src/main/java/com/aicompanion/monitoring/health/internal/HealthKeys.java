package com.aicompanion.monitoring.health.internal;

import com.aicompanion.monitoring.ConfigKey;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The keys monitoring-health reads; the same defaults apply with {@code Monitoring} and with a
 * {@code HealthRegistry} built alone.
 *
 * <pre>{@code
 * Duration cache = config.get(HealthKeys.CACHE_INTERVAL);   // MONITORING_HEALTH_CACHE_INTERVAL
 * }</pre>
 */
public final class HealthKeys {
  public static final ConfigKey<String> DETAILS =
      ConfigKey.oneOf(
          "health.details",
          "authorized",
          "Who sees check details: never, authorized (callers with the endpoint token; nobody when"
              + " no token is set) or always",
          "never",
          "authorized",
          "always");
  public static final ConfigKey<Duration> CACHE_INTERVAL =
      ConfigKey.duration(
          "health.cache.interval",
          Duration.ofSeconds(1),
          "How long a check's result is reused, so that probes cannot stampede a dependency");
  public static final ConfigKey<Duration> REFRESH_INTERVAL =
      ConfigKey.duration(
          "health.refresh.interval",
          Duration.ofSeconds(10),
          "How often every check runs in the background (keeps metrics and alerts current); 0 = off");
  public static final ConfigKey<URI> ALERTMANAGER_URL =
      ConfigKey.url("alertmanager.url", "Send app-side alerts to this Alertmanager; unset = off");

  public static final ConfigKey<String> ALERTS_TEAM =
      ConfigKey.string(
          "alerts.team",
          "backend",
          "The team label of the alerts the application sends (HealthCheckFailed and those fired"
              + " with AlertNotifier); Alertmanager routes on it. An alert's own team label wins."
              + " Lower case, matching [a-z][a-z0-9_-]* (routes match exact names); other values"
              + " are refused at start");

  public static final List<ConfigKey<?>> ALL =
      List.of(DETAILS, CACHE_INTERVAL, REFRESH_INTERVAL, ALERTMANAGER_URL, ALERTS_TEAM);

  private HealthKeys() {}
}
