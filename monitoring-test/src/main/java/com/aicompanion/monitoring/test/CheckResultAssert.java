package com.aicompanion.monitoring.test;

import com.aicompanion.monitoring.health.CheckResult;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.AbstractDoubleAssert;
import org.assertj.core.api.Assertions;

/**
 * Assertions on one check's result in a health report: status, output and observed value.
 *
 * <pre>{@code
 * HealthAssert.assertThat(report).check("postgres")
 *     .hasStatus(CheckResult.Status.FAIL)
 *     .hasOutputContaining("timed out after 2s");
 * HealthAssert.assertThat(report).check("postgres").observedValue().isLessThan(100.0);
 * }</pre>
 *
 * <p>Obtain one from {@link HealthAssert#check(String)}. A non-critical check's failure is reported
 * as {@code warn}.
 */
public final class CheckResultAssert extends AbstractAssert<CheckResultAssert, CheckResult> {
  private final String name;

  CheckResultAssert(String name, CheckResult result) {
    super(result, CheckResultAssert.class);
    this.name = name;
  }

  /**
   * Checks the reported status.
   *
   * @throws AssertionError showing the check when it differs
   */
  public CheckResultAssert hasStatus(CheckResult.Status expected) {
    if (actual.status() != expected) {
      failWithMessage(
          "%nExpected check %s to be %s, but it is %s",
          name, expected.text(), HealthAssert.line(name, actual));
    }
    return this;
  }

  /**
   * Checks the output exactly ({@code null} for none).
   *
   * @throws AssertionError showing the check when it differs
   */
  public CheckResultAssert hasOutput(String expected) {
    if (!Objects.equals(actual.output(), expected)) {
      failWithMessage(
          "%nExpected check %s's output \"%s\", but it is \"%s\"", name, expected, actual.output());
    }
    return this;
  }

  /**
   * Checks that the output contains {@code text}.
   *
   * @throws AssertionError showing the check when it has no output or another one
   */
  public CheckResultAssert hasOutputContaining(String text) {
    if (actual.output() == null || !actual.output().contains(text)) {
      failWithMessage(
          "%nExpected check %s's output to contain \"%s\", but it is %s",
          name, text, actual.output() == null ? "absent" : "\"" + actual.output() + "\"");
    }
    return this;
  }

  /**
   * Checks the unit of the observed value, e.g. {@code ms}.
   *
   * @throws AssertionError when the unit differs or there is no observed value
   */
  public CheckResultAssert hasObservedUnit(String expected) {
    if (!Objects.equals(actual.observedUnit(), expected)) {
      failWithMessage(
          "%nExpected check %s's observed unit %s, but it is %s",
          name, expected, actual.observedUnit());
    }
    return this;
  }

  /**
   * The observed value (e.g. latency in ms) for any AssertJ number assertion.
   *
   * @throws AssertionError when the check reported no observed value
   */
  public AbstractDoubleAssert<?> observedValue() {
    if (actual.observedValue() == null) {
      failWithMessage("%nExpected check %s to have an observed value, but it has none", name);
    }
    return Assertions.assertThat(actual.observedValue().doubleValue())
        .as("check " + name + " observedValue");
  }
}
