package com.aicompanion.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.internal.RecordingErrors;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, case 2: a counter registered at its first increment gives {@code increase(...) = 0} for
 * that increment, so the library registers the counters whose label values are known up front at 0
 * when it starts.
 */
class CountersStartAtZeroTest {
  @Test
  void metricErrorsOfEveryReasonAreExposedAtZeroRightAfterStart() {
    try (Monitoring monitoring = TestMonitoring.builder("zero-test").start()) {
      String scrape = TestMonitoring.scrape(monitoring);

      assertThat(RecordingErrors.Reason.values()).hasSizeGreaterThan(5);
      for (RecordingErrors.Reason reason : RecordingErrors.Reason.values()) {
        assertThat(scrape)
            .contains(
                "monitoring_metric_errors_total{reason=\""
                    + reason.name().toLowerCase(Locale.ROOT)
                    + "\"} 0.0");
      }
    }
  }

  @Test
  void theFirstRefusalCountsOneOnTheSeriesThatWasAlreadyThere() {
    try (Monitoring monitoring = TestMonitoring.builder("zero-test").start()) {
      monitoring.monitor().incrementCounter("bad name!");

      String scrape = TestMonitoring.scrape(monitoring);

      assertThat(scrape).contains("monitoring_metric_errors_total{reason=\"invalid_name\"} 1.0");
      assertThat(
              Arrays.stream(scrape.split("\n"))
                  .filter(
                      l -> l.startsWith("monitoring_metric_errors_total{reason=\"invalid_name\"")))
          .hasSize(1);
    }
  }
}
