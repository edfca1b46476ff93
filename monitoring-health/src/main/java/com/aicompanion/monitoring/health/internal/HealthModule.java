package com.aicompanion.monitoring.health.internal;

import com.aicompanion.monitoring.EndpointAccess;
import com.aicompanion.monitoring.MonitoringConfig;
import com.aicompanion.monitoring.MonitoringContext;
import com.aicompanion.monitoring.MonitoringModule;
import com.aicompanion.monitoring.health.AlertNotifier;
import com.aicompanion.monitoring.health.CheckOptions;
import com.aicompanion.monitoring.health.HealthRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
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
  static final String REFRESH_KEY = "health.refresh.interval";

  @Override
  public String name() {
    return "health";
  }

  @Override
  public int order() {
    return ORDER_HEALTH;
  }

  @Override
  public Set<String> configKeys() {
    return Set.of(REFRESH_KEY);
  }

  @Override
  public void start(MonitoringContext context) {
    MonitoringConfig config = context.config();
    HealthEndpoint.Details details =
        HealthEndpoint.Details.valueOf(
            config
                .oneOf("health.details", "authorized", "never", "authorized", "always")
                .toUpperCase(Locale.ROOT));
    Duration cache = config.duration("health.cache.interval", Duration.ofSeconds(1));
    Duration refresh = config.duration(REFRESH_KEY, Duration.ofSeconds(10));
    Optional<URI> alertmanager = config.uri("alertmanager.url");

    HealthRegistry registry =
        HealthRegistry.builder()
            .meterRegistry(context.registry())
            .cacheInterval(cache)
            .refreshInterval(refresh)
            .build();
    context.onClose("health checks", registry);
    AlertNotifier alerts =
        AlertNotifier.builder(alertmanager.orElse(null))
            .config(config)
            .meterRegistry(context.registry())
            .build();
    context.onClose("alerts", alerts);
    if (alerts.isEnabled()) {
      registry.addListener(alerts.healthListener());
    }

    String service = config.serviceName();
    String version = config.serviceVersion();
    context.route(
        "/health",
        EndpointAccess.PUBLIC,
        new HealthEndpoint(registry::check, details, service, version));
    context.route(
        "/health/live",
        EndpointAccess.PUBLIC,
        new HealthEndpoint(
            () -> registry.check(CheckOptions.Group.LIVENESS), details, service, version));
    HealthEndpoint ready =
        new HealthEndpoint(
            () -> registry.check(CheckOptions.Group.READINESS), details, service, version);
    // from close() on, readiness fails so that traffic drains while the server still answers
    AtomicBoolean draining = new AtomicBoolean();
    context.onDrain(() -> draining.set(true));
    String shuttingDown =
        new Json()
            .beginObject()
            .name("status")
            .value("fail")
            .name("serviceId")
            .value(service)
            .name("version")
            .value(version)
            .name("output")
            .value("shutting down")
            .endObject()
            .toString();
    context.route(
        "/health/ready",
        EndpointAccess.PUBLIC,
        (exchange, authorized) -> {
          if (!draining.get()) {
            ready.handle(exchange, authorized);
            return;
          }
          byte[] body = shuttingDown.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", HealthEndpoint.CONTENT_TYPE);
          boolean head = exchange.getRequestMethod().equals("HEAD");
          exchange.sendResponseHeaders(503, head ? -1 : body.length);
          if (!head) {
            exchange.getResponseBody().write(body);
          }
        });
    context.publish(HealthRegistry.class, registry);
    context.publish(AlertNotifier.class, alerts);
    LOG.debug(
        "Health endpoints ready (details {}, cache {}, alerts {})",
        details.name().toLowerCase(Locale.ROOT),
        cache,
        alerts.isEnabled() ? "on" : "off");
  }
}
