package com.aicompanion.monitoring.benchmarks.paired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Review 14c: PairedComparison's arithmetic with extreme but valid values, and option parsing. */
class Review14cPairedComparisonTest {
  @Test
  void twoLargeButFiniteScoresAreAccepted() {
    // add() promises to refuse only scores that are not positive finite numbers; both are finite
    PairedComparison c = new PairedComparison("client", "a", "b", 1.1);
    c.add(1e308, 1e308);
    assertThat(c.ratios()).containsExactly(1.0);
  }

  @Test
  void theMedianOfTwoLargeValuesDoesNotOverflow() {
    assertThat(PairedComparison.median(new double[] {1e308, 1.5e308}))
        .isCloseTo(1.25e308, within(1e295));
  }

  @Test
  void tinyAndHugeScoresGiveFiniteSummaries() {
    PairedComparison c = new PairedComparison("filter", "a", "b", 1.1);
    c.add(1e-3, 2e-3);
    c.add(1e6, 1.05e6);
    c.add(5e-324, 5e-324); // the smallest positive double: ratio 1
    assertThat(c.ratios()).containsExactly(new double[] {2.0, 1.05, 1.0}, within(1e-12));
    assertThat(c.medianRatio()).isCloseTo(1.05, within(1e-12));
    assertThat(c.met()).isTrue();
    assertThat(c.toJson()).containsEntry("pairs_above_goal", 1L).containsEntry("met", true);
  }

  @Test
  void anEvenCountOfEqualRatiosHasThatRatioAsMedianAndTheGoalIsJudgedOnIt() {
    PairedComparison c = new PairedComparison("listener", "a", "b", 1.1);
    c.add(10, 11); // 1.1 exactly? 11/10 in binary is 1.1 (the same double as the literal)
    c.add(20, 22);
    assertThat(c.medianRatio()).isEqualTo(1.1);
    assertThat(c.met()).as("at the bound the goal is met").isTrue();
  }

  @Test
  void optionsMayComeAfterTheFileAndTheLastRepeatedOneWins() {
    PairedRuns.Options o =
        PairedRuns.Options.parse("out.json", "--pairs=2", "--pairs=4", "--only=filter");
    assertThat(o.output()).isEqualTo(Path.of("out.json"));
    assertThat(o.pairs()).isEqualTo(4);
    assertThat(o.only()).isEqualTo(Set.of("filter"));
  }

  @Test
  void anEmptyPairsValueIsRefusedNamingTheOption() {
    assertThatThrownBy(() -> PairedRuns.Options.parse("o.json", "--pairs="))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--pairs");
  }

  @Test
  void aNumberTooLargeForAnIntIsRefusedAsTooLargeNotAsBelowOne() {
    // 99999999999 is a whole number of at least 1: the message must name the bound it breaks
    assertThatThrownBy(() -> PairedRuns.Options.parse("o.json", "--pairs=99999999999"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("99999999999")
        .hasMessageContaining("at most " + Integer.MAX_VALUE);
  }

  @Test
  void anEmptyOnlyIsRefusedAndSaysItWasEmpty() {
    assertThatThrownBy(() -> PairedRuns.Options.parse("o.json", "--only="))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--only")
        .hasMessageContaining("filter-no-socket");
  }

  @Test
  void aLeadingCommaInOnlyIsTreatedLikeATrailingOne() {
    // "--only=client," is accepted (String.split drops trailing empty strings), so
    // "--only=,client" should be too, or both refused
    Set<String> trailing = PairedRuns.Options.parse("o.json", "--only=client,").only();
    assertThat(trailing).isEqualTo(Set.of("client"));
    assertThat(PairedRuns.Options.parse("o.json", "--only=,client").only())
        .isEqualTo(Set.of("client"));
  }

  @Test
  void quickOverridesPairsWhicheverComesFirst() {
    assertThat(PairedRuns.Options.parse("--quick", "o.json", "--pairs=5").pairs()).isEqualTo(1);
    assertThat(PairedRuns.Options.parse("--quick", "o.json", "--pairs=5").quick()).isTrue();
  }
}
