package com.aicompanion.monitoring.benchmarks.paired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PairedComparisonTest {
  @Test
  void eachPairGivesItsOwnRatioAndTheFigureIsTheirMedian() {
    PairedComparison c = new PairedComparison("client", "raw", "wrapped", 1.1);
    // a machine that slows down from pair to pair: the pairs' ratios stay near 1.02
    c.add(100, 102);
    c.add(200, 204);
    c.add(150, 180);
    c.add(300, 303);

    assertThat(c.ratios()).containsExactly(new double[] {1.02, 1.02, 1.2, 1.01}, within(1e-9));
    assertThat(c.medianRatio()).isCloseTo(1.02, within(1e-9));
    assertThat(c.met()).isTrue();
  }

  @Test
  void medianOfAnOddCountIsTheMiddleValue() {
    assertThat(PairedComparison.median(new double[] {3, 1, 2})).isEqualTo(2);
    assertThat(PairedComparison.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    assertThatThrownBy(() -> PairedComparison.median(new double[0]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no pair");
  }

  @Test
  void theGoalIsMetAtItsBoundAndMissedAboveIt() {
    PairedComparison atBound = new PairedComparison("filter", "a", "b", 1.1);
    atBound.add(100, 110);
    assertThat(atBound.met()).isTrue();

    PairedComparison above = new PairedComparison("filter", "a", "b", 1.1);
    above.add(100, 110.5);
    above.add(100, 200);
    above.add(100, 90);
    assertThat(above.medianRatio()).isCloseTo(1.105, within(1e-9));
    assertThat(above.met()).isFalse();
  }

  @Test
  void aForkThatMeasuredNothingIsRefusedWithTheValues() {
    PairedComparison c = new PairedComparison("listener", "a", "b", 1.1);
    assertThatThrownBy(() -> c.add(0, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("listener")
        .hasMessageContaining("0.0");
    assertThatThrownBy(() -> c.add(5, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> c.add(Double.POSITIVE_INFINITY, 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> c.add(-3, 5)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theJsonCarriesEveryPairAndTheSummary() {
    PairedComparison c = new PairedComparison("client", "raw[x]", "wrapped[x]", 1.1);
    c.add(200, 210);
    c.add(100, 120);
    c.add(400, 404);

    Map<String, Object> json = c.toJson();
    assertThat(json)
        .containsEntry("name", "client")
        .containsEntry("anchor", "raw[x]")
        .containsEntry("ours", "wrapped[x]")
        .containsEntry("anchor_us", List.of(200.0, 100.0, 400.0))
        .containsEntry("ours_us", List.of(210.0, 120.0, 404.0))
        .containsEntry("median_anchor_us", 200.0)
        .containsEntry("median_ours_us", 210.0)
        .containsEntry("pairs_above_goal", 1L)
        .containsEntry("met", true);
    assertThat((double) json.get("median_ratio")).isCloseTo(1.05, within(1e-9));
    assertThat((double) json.get("min_ratio")).isCloseTo(1.01, within(1e-9));
    assertThat((double) json.get("max_ratio")).isCloseTo(1.2, within(1e-9));
  }
}
