package com.aicompanion.monitoring.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToIntFunction;

/**
 * The health metrics, with series that never change their labels while a check is registered, so
 * that no scrape can see a series removed and re-registered (a duplicate label set, or one check in
 * two states):
 *
 * <ul>
 *   <li>{@code health_check_status{check,critical}}: one series per check, registered at its first
 *       result and updated in place: 1 pass, 0.5 warn, 0 when the check fails, critical or not (a
 *       non-critical failure is {@code warn} in {@code /health} but 0 here, so that alert rules see
 *       it); {@code critical} is {@code "true"} or {@code "false"}, fixed per registration, so
 *       rules can tell the two apart without a second series.
 *   <li>{@code health_check_duration_seconds{check,status}}: a timer per status the check has
 *       reported; series are only ever added.
 *   <li>{@code health_check_abandoned_runs{check}}: runs that overran their timeout, ignored the
 *       interrupt and still hold a thread.
 * </ul>
 */
final class CheckMetrics {
  /** The value of {@code health_check_status} for a warning check. */
  static final double WARN_VALUE = 0.5;

  private final MeterRegistry registry;
  private final Map<String, CheckMeters> checks = new ConcurrentHashMap<>();

  CheckMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Registers the series that exist from registration on. */
  <T> void register(String check, boolean critical, T entry, ToIntFunction<T> abandoned) {
    CheckMeters meters = new CheckMeters(critical);
    meters.all.add(
        Gauge.builder("health_check_abandoned_runs", entry, e -> abandoned.applyAsInt(e))
            .description(
                "Runs of the health check that overran their timeout, ignored the interrupt and"
                    + " still hold a thread")
            .tags("check", check)
            .strongReference(true)
            .register(registry));
    checks.put(check, meters);
  }

  void record(String check, CheckResult result) {
    CheckMeters meters = checks.get(check);
    if (meters == null) {
      return; // unregistered meanwhile
    }
    meters.value =
        result.failed()
            ? 0.0
            : switch (result.status()) {
              case PASS -> 1.0;
              case WARN -> WARN_VALUE;
              case FAIL -> 0.0;
            };
    if (meters.status == null) {
      synchronized (meters) {
        if (meters.status == null) {
          meters.status =
              Gauge.builder("health_check_status", meters, m -> m.value)
                  .description(
                      "1 when the health check passes, 0.5 when it warns, 0 when it fails (critical"
                          + " or not)")
                  .tags("check", check, "critical", Boolean.toString(meters.critical))
                  .strongReference(true)
                  .register(registry);
          meters.all.add(meters.status);
        }
      }
    }
    if (result.duration() != null) {
      Timer timer =
          Timer.builder("health_check_duration")
              .description("How long health checks ran")
              .tags("check", check, "status", result.status().text())
              .register(registry);
      timer.record(result.duration());
      meters.all.addIfAbsent(timer);
    }
  }

  void remove(String check) {
    CheckMeters meters = checks.remove(check);
    if (meters != null) {
      for (Meter meter : new ArrayList<>(meters.all)) {
        registry.remove(meter);
      }
    }
  }

  private static final class CheckMeters {
    final boolean critical;
    final CopyOnWriteArrayList<Meter> all = new CopyOnWriteArrayList<>();
    volatile double value = Double.NaN;
    volatile Gauge status;

    CheckMeters(boolean critical) {
      this.critical = critical;
    }
  }
}
