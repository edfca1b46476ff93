package com.aicompanion.monitoring.health.internal;

import com.aicompanion.monitoring.ConfigKey;
import com.aicompanion.monitoring.EndpointAccess;
import com.aicompanion.monitoring.MonitoringConfig;
import com.aicompanion.monitoring.MonitoringContext;
import com.aicompanion.monitoring.MonitoringModule;
import com.aicompanion.monitoring.health.AlertNotifier;
import com.aicompanion.monitoring.health.CheckOptions;
import com.aicompanion.monitoring.health.HealthDetails;
import com.aicompanion.monitoring.health.HealthRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health module of {@code Monitoring.start(...)}: publishes a {@link HealthRegistry} and an
 * {@link AlertNotifier}, serves {@code /health}, {@code /health/live} and {@code /health/ready},
 * and fires {@code HealthCheckFailed} for failing critical checks when Alertmanager is configured.
 *
 * <pre>{@code
 * Monitoring monitoring = Monitoring.start("ai-companion");   // found by ServiceLoader
 * monitoring.get(HealthRegistry.class).register("postgres", HealthChecks.jdbc(ds));
 * }</pre>
 */
public final class HealthModule implements MonitoringModule {
  private static final Logger LOG = LoggerFactory.getLogger(HealthModule.class);

  @Override
  public String name() {
    return "health";
  }

  @Override
  public int order() {
    return ORDER_HEALTH;
  }

  @Override
  public List<ConfigKey<?>> configKeys() {
    return HealthKeys.ALL;
  }

  @Override
  public void start(MonitoringContext context) {
    MonitoringConfig config = context.config();
    HealthDetails details =
        HealthDetails.valueOf(config.get(HealthKeys.DETAILS).toUpperCase(Locale.ROOT));
    boolean tokenConfigured = config.isSet(MonitoringConfig.ENDPOINT_TOKEN);
    if (details == HealthDetails.AUTHORIZED && !tokenConfigured) {
      LOG.info(
          "Health check details are hidden from every caller: MONITORING_HEALTH_DETAILS is"
              + " authorized (the default) and no MONITORING_ENDPOINT_TOKEN is set. Set"
              + " MONITORING_ENDPOINT_TOKEN to show them to callers that send Authorization: Bearer"
              + " <token>, or MONITORING_HEALTH_DETAILS=always to show them to everyone");
    }
    Duration cache = config.get(HealthKeys.CACHE_INTERVAL);
    Duration refresh = config.get(HealthKeys.REFRESH_INTERVAL);
    Optional<URI> alertmanager = config.find(HealthKeys.ALERTMANAGER_URL);

    String service = config.serviceName();
    String version = config.serviceVersion();
    HealthRegistry registry =
        HealthRegistry.builder()
            .serviceId(service)
            .version(version)
            .meterRegistry(context.registry())
            .cacheInterval(cache)
            .refreshInterval(refresh)
            .build();
    context.onClose("health checks", registry);
    // from close() on, readiness fails so that traffic drains while the server still answers
    context.onDrain(registry::drain);
    AlertNotifier alerts =
        AlertNotifier.builder(alertmanager.orElse(null))
            .config(config)
            .meterRegistry(context.registry())
            .build();
    context.onClose("alerts", alerts);
    if (alerts.isEnabled()) {
      registry.addListener(alerts.healthListener());
    }

    context.route(
        "/health",
        EndpointAccess.PUBLIC,
        new HealthEndpoint(registry::check, details, tokenConfigured));
    context.route(
        "/health/live",
        EndpointAccess.PUBLIC,
        new HealthEndpoint(
            () -> registry.check(CheckOptions.Group.LIVENESS), details, tokenConfigured));
    context.route(
        "/health/ready",
        EndpointAccess.PUBLIC,
        new HealthEndpoint(
            () -> registry.check(CheckOptions.Group.READINESS), details, tokenConfigured));
    context.publish(HealthRegistry.class, registry);
    context.publish(AlertNotifier.class, alerts);
    LOG.debug(
        "Health endpoints ready (details {}, cache {}, alerts {})",
        details.name().toLowerCase(Locale.ROOT),
        cache,
        alerts.isEnabled() ? "on" : "off");
  }
}
