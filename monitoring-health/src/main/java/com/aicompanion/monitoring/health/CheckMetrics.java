package com.aicompanion.monitoring.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code health_check_status{check,status}} (1 for pass and warn, 0 for fail; one series per check
 * whose status label follows the latest result) and {@code
 * health_check_duration_seconds{check,status}}.
 */
final class CheckMetrics {
  private final MeterRegistry registry;
  private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();

  CheckMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void record(String check, CheckResult result) {
    String status = result.status().text();
    if (result.duration() != null) {
      Timer.builder("health_check_duration")
          .description("How long health checks ran")
          .tags("check", check, "status", status)
          .register(registry)
          .record(result.duration());
    }
    double value = result.status() == CheckResult.Status.FAIL ? 0 : 1;
    gauges.compute(
        check,
        (name, old) -> {
          if (old != null && status.equals(old.getId().getTag("status"))) {
            return old;
          }
          if (old != null) {
            registry.remove(old);
          }
          return Gauge.builder("health_check_status", () -> value)
              .description("1 when the health check passes or warns, 0 when it fails")
              .tags("check", check, "status", status)
              .register(registry);
        });
  }

  void remove(String check) {
    Gauge gauge = gauges.remove(check);
    if (gauge != null) {
      registry.remove(gauge);
    }
    registry.find("health_check_duration").tag("check", check).meters().forEach(registry::remove);
  }
}
