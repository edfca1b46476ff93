package com.aicompanion.monitoring.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one {@link HealthCheck} run: a status, an optional human-readable output and an
 * optional observed value with its unit (e.g. latency in {@code ms}).
 *
 * <pre>{@code
 * return CheckResult.pass().observed(12.5, "ms");
 * return CheckResult.fail("connection refused");
 * }</pre>
 *
 * <p>Results that {@link HealthRegistry} reports also carry when the check finished ({@link
 * #time()}) and how long it ran ({@link #duration()}).
 */
public final class CheckResult {
  /** Status values of the health-check format, ordered from best to worst. */
  public enum Status {
    PASS,
    WARN,
    FAIL;

    /** {@code pass}, {@code warn} or {@code fail}, as written in JSON and in metric labels. */
    public String text() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The worse of the two. */
    public Status worst(Status other) {
      return compareTo(other) >= 0 ? this : other;
    }
  }

  private static final CheckResult PASS =
      new CheckResult(Status.PASS, null, null, null, null, null);

  private final Status status;
  private final String output;
  private final Double observedValue;
  private final String observedUnit;
  private final Instant time;
  private final Duration duration;
  private final boolean failed;

  private CheckResult(
      Status status,
      String output,
      Double observedValue,
      String observedUnit,
      Instant time,
      Duration duration) {
    this(status, output, observedValue, observedUnit, time, duration, status == Status.FAIL);
  }

  private CheckResult(
      Status status,
      String output,
      Double observedValue,
      String observedUnit,
      Instant time,
      Duration duration,
      boolean failed) {
    this.failed = failed;
    this.status = status;
    this.output = output;
    this.observedValue = observedValue;
    this.observedUnit = observedUnit;
    this.time = time;
    this.duration = duration;
  }

  public static CheckResult pass() {
    return PASS;
  }

  /** Works, but degraded; {@code output} says how. */
  public static CheckResult warn(String output) {
    return new CheckResult(Status.WARN, output, null, null, null, null);
  }

  /** Does not work; {@code output} says why (shown only where health details are allowed). */
  public static CheckResult fail(String output) {
    return new CheckResult(Status.FAIL, output, null, null, null, null);
  }

  /** This result with an observed value, e.g. {@code observed(12.5, "ms")}. */
  public CheckResult observed(double value, String unit) {
    return new CheckResult(status, output, value, Objects.requireNonNull(unit, "unit"), time, null);
  }

  public Status status() {
    return status;
  }

  /** The output, or null. */
  public @Nullable String output() {
    return output;
  }

  /** The observed value, or null. */
  public @Nullable Double observedValue() {
    return observedValue;
  }

  /** The observed value's unit, or null. */
  public @Nullable String observedUnit() {
    return observedUnit;
  }

  /** When the check finished (or timed out); null for a result not yet reported by a registry. */
  public @Nullable Instant time() {
    return time;
  }

  /** How long the check ran; null for a result not yet reported by a registry. */
  public @Nullable Duration duration() {
    return duration;
  }

  /** This result as reported: stamped, and a non-critical failure lowered to {@code warn}. */
  CheckResult reported(Instant finished, Duration ran, boolean critical) {
    Status shown = status == Status.FAIL && !critical ? Status.WARN : status;
    return new CheckResult(shown, output, observedValue, observedUnit, finished, ran, failed);
  }

  /**
   * Whether the check itself failed: true for {@code fail}, and for a non-critical check's failure
   * reported as {@code warn}.
   */
  boolean failed() {
    return failed;
  }

  @Override
  public String toString() {
    return status.text()
        + (output == null ? "" : " (" + output + ")")
        + (observedValue == null ? "" : " " + observedValue + " " + observedUnit);
  }
}
