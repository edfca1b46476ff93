package com.aicompanion.monitoring.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The result of one probe: the overall status and each check's reported result, by name.
 *
 * <pre>{@code
 * HealthReport report = health.check(CheckOptions.Group.READINESS);
 * if (report.status() == CheckResult.Status.FAIL) { ... }
 * report.checks().get("postgres").observedValue();   // latency in ms
 * }</pre>
 *
 * <p>The overall status is the worst of the checks' reported statuses ({@code pass} without
 * checks); a non-critical check's failure is already reported as {@code warn}.
 */
public final class HealthReport {
  private final CheckResult.Status status;
  private final Map<String, CheckResult> checks;

  HealthReport(Map<String, CheckResult> checks) {
    CheckResult.Status worst = CheckResult.Status.PASS;
    for (CheckResult result : checks.values()) {
      worst = worst.worst(result.status());
    }
    this.status = worst;
    this.checks = Collections.unmodifiableMap(new LinkedHashMap<>(checks));
  }

  public CheckResult.Status status() {
    return status;
  }

  /** Each check's result, in name order. */
  public Map<String, CheckResult> checks() {
    return checks;
  }

  @Override
  public String toString() {
    return status.text() + " " + checks;
  }
}
