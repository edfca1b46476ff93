package com.aicompanion.monitoring.test;

import com.aicompanion.monitoring.health.CheckResult;
import com.aicompanion.monitoring.health.HealthReport;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a {@link HealthReport}: the overall status, the HTTP status that answers it, and
 * each check's status and output.
 *
 * <pre>{@code
 * import static com.aicompanion.monitoring.test.HealthAssert.assertThat;
 *
 * HealthReport report = monitoring.get(HealthRegistry.class).check(CheckOptions.Group.READINESS);
 * assertThat(report).hasStatus(Status.WARN).hasHttpStatus(200).hasChecks("postgres", "cache");
 * assertThat(report).check("cache").hasStatus(Status.WARN).hasOutputContaining("refused");
 * assertThat(report).check("postgres").hasStatus(Status.PASS).hasObservedUnit("ms");
 * }</pre>
 *
 * <p>A failure shows every check as {@code name: status (output)}. Needs monitoring-health.
 */
public final class HealthAssert extends AbstractAssert<HealthAssert, HealthReport> {
  private HealthAssert(HealthReport report) {
    super(report, HealthAssert.class);
  }

  /**
   * Assertions on {@code report}.
   *
   * @throws NullPointerException when {@code report} is null
   */
  public static HealthAssert assertThat(HealthReport report) {
    Objects.requireNonNull(report, "assertThat(report): report is null");
    return new HealthAssert(report);
  }

  /**
   * Checks the overall status (the worst of the checks').
   *
   * @throws AssertionError showing every check when it differs
   */
  public HealthAssert hasStatus(CheckResult.Status expected) {
    if (actual.status() != expected) {
      failWithMessage(
          "%nExpected the health status %s, but it is %s:%n%s",
          expected.text(), actual.status().text(), checks());
    }
    return this;
  }

  /**
   * Checks the HTTP status that answers the report: 200 for pass and warn, 503 for fail.
   *
   * @throws AssertionError showing every check when it differs
   */
  public HealthAssert hasHttpStatus(int expected) {
    if (actual.httpStatus() != expected) {
      failWithMessage(
          "%nExpected HTTP status %s, but the report answers %s (status %s):%n%s",
          expected, actual.httpStatus(), actual.status().text(), checks());
    }
    return this;
  }

  /**
   * Checks that the report holds exactly the checks {@code names}, in any order.
   *
   * @throws AssertionError naming the missing and unexpected checks
   */
  public HealthAssert hasChecks(String... names) {
    Set<String> expected = new TreeSet<>(Arrays.asList(names));
    Set<String> present = new TreeSet<>(actual.checks().keySet());
    if (!expected.equals(present)) {
      Set<String> missing = new TreeSet<>(expected);
      missing.removeAll(present);
      Set<String> unexpected = new TreeSet<>(present);
      unexpected.removeAll(expected);
      failWithMessage(
          "%nExpected the checks %s, but the report has %s (missing %s, unexpected %s)",
          expected, present, missing, unexpected);
    }
    return this;
  }

  /**
   * Checks that the report has no check named {@code name}.
   *
   * @throws AssertionError showing that check otherwise
   */
  public HealthAssert doesNotHaveCheck(String name) {
    CheckResult result = actual.checks().get(name);
    if (result != null) {
      failWithMessage("%nExpected no check %s, but the report has %s", name, line(name, result));
    }
    return this;
  }

  /**
   * The check named {@code name}, for {@link CheckResultAssert}'s checks.
   *
   * @throws AssertionError naming the checks that exist when there is none of that name
   */
  public CheckResultAssert check(String name) {
    Objects.requireNonNull(name, "check(name): name is null");
    CheckResult result = actual.checks().get(name);
    if (result == null) {
      failWithMessage("%nExpected a check named %s, but the report has:%n%s", name, checks());
    }
    return new CheckResultAssert(name, result);
  }

  private String checks() {
    if (actual.checks().isEmpty()) {
      return "  (no checks)";
    }
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, CheckResult> e : actual.checks().entrySet()) {
      b.append("  ").append(line(e.getKey(), e.getValue())).append('\n');
    }
    return b.toString();
  }

  static String line(String name, CheckResult result) {
    return name
        + ": "
        + result.status().text()
        + (result.output() == null ? "" : " (" + result.output() + ")");
  }
}
