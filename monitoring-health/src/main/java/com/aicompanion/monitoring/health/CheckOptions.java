package com.aicompanion.monitoring.health;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How {@link HealthRegistry} runs one check: critical or not, its timeout, how long its result is
 * reused, and the probe groups it belongs to. Immutable: every method returns a copy.
 *
 * <pre>{@code
 * CheckOptions.critical().timeout(Duration.ofSeconds(2)).cacheInterval(Duration.ofSeconds(5));
 * CheckOptions.nonCritical();                           // a failure reports warn, not fail
 * CheckOptions.critical().groups(Group.LIVENESS, Group.READINESS);
 * }</pre>
 */
public final class CheckOptions {
  /**
   * Probe groups: {@code /health/live} runs the liveness checks, {@code /health/ready} readiness.
   */
  public enum Group {
    LIVENESS,
    READINESS
  }

  /** The default timeout of a check run. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  private final boolean critical;
  private final Duration timeout;
  private final Duration cacheInterval;
  private final Set<Group> groups;

  private CheckOptions(
      boolean critical, Duration timeout, Duration cacheInterval, Set<Group> groups) {
    this.critical = critical;
    this.timeout = timeout;
    this.cacheInterval = cacheInterval;
    this.groups = groups;
  }

  /**
   * A check whose failure fails the service (503) and, with an {@link AlertNotifier}, fires {@code
   * HealthCheckFailed}. Defaults: timeout 2s, the registry's cache interval, group readiness.
   */
  public static CheckOptions critical() {
    return new CheckOptions(true, DEFAULT_TIMEOUT, null, Set.of(Group.READINESS));
  }

  /**
   * A check whose failure is reported as {@code warn} (200). Other defaults as {@link #critical()}.
   */
  public static CheckOptions nonCritical() {
    return new CheckOptions(false, DEFAULT_TIMEOUT, null, Set.of(Group.READINESS));
  }

  /**
   * How long one run may take before it is reported as {@code fail} with {@code timed out after
   * ...}; default 2s.
   *
   * @throws IllegalArgumentException when not positive
   */
  public CheckOptions timeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout(" + timeout + ") must be positive, e.g. 2s");
    }
    return new CheckOptions(critical, timeout, cacheInterval, groups);
  }

  /**
   * How long a result is reused before the check runs again; default the registry's interval
   * ({@code MONITORING_HEALTH_CACHE_INTERVAL}, 1s). Zero runs the check on every probe.
   *
   * @throws IllegalArgumentException when negative
   */
  public CheckOptions cacheInterval(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative()) {
      throw new IllegalArgumentException("cacheInterval(" + interval + ") must not be negative");
    }
    return new CheckOptions(critical, timeout, interval, groups);
  }

  /**
   * The probe groups; default readiness only. A check in no group still appears in {@code /health}.
   */
  public CheckOptions groups(Group... groups) {
    Set<Group> set = EnumSet.noneOf(Group.class);
    set.addAll(Arrays.asList(groups));
    return new CheckOptions(critical, timeout, cacheInterval, Set.copyOf(set));
  }

  public boolean isCritical() {
    return critical;
  }

  public Duration timeout() {
    return timeout;
  }

  /** The check's own cache interval, or null for the registry's. */
  public @Nullable Duration cacheInterval() {
    return cacheInterval;
  }

  public Set<Group> groups() {
    return groups;
  }

  @Override
  public String toString() {
    return (critical ? "critical" : "non-critical")
        + ", timeout "
        + timeout
        + ", cache "
        + (cacheInterval == null ? "registry default" : cacheInterval)
        + ", groups "
        + groups;
  }
}
