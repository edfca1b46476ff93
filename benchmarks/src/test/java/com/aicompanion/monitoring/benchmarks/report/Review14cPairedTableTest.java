package com.aicompanion.monitoring.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Review 14c: PairedTable with odd but plausible paired.json files. */
class Review14cPairedTableTest {
  private static final String COMPARISON =
      """
      {"name":"%s","anchor":"a.b[exporter=otlp]","ours":"a.c[exporter=otlp]","goal_ratio":1.1,
       "anchor_us":[99.996],"ours_us":[150.0],"ratios":[1.5],"median_anchor_us":99.996,
       "median_ours_us":150.0,"median_ratio":1.5,"min_ratio":1.5,"max_ratio":1.5,
       "pairs_above_goal":1,"met":false}
      """;

  private static String file(String comparison) {
    return """
        {"started":"2026-11-30T07:27:05Z","finished":"2026-11-30T07:36:00Z","pairs":1,
         "fork":"15 x 1 s warm-up, 5 x 1 s measured, one thread","comparisons":[%s]}
        """
        .formatted(comparison);
  }

  private static Map<String, Object> json(String text) throws Exception {
    return new ObjectMapper().readValue(text, new TypeReference<>() {});
  }

  @Test
  void aNameWithoutADescriptionIsShownAsItIs() throws Exception {
    String md = new PairedTable(json(file(COMPARISON.formatted("server-new")))).markdown();
    assertThat(md).contains("| server-new | `a.b[exporter=otlp]` | `a.c[exporter=otlp]` |");
    assertThat(md).contains("| 1 of 1 | - | ≤ 1.1x: **missed** |");
  }

  @Test
  void aTimeJustUnder100UsIsFormattedLike100() throws Exception {
    // us(): 99.996 rounds to 100 but takes the two-decimals branch: "100.00 us" beside "150 us"
    String md = new PairedTable(json(file(COMPARISON.formatted("client")))).markdown();
    assertThat(md).contains("| 100 us | 150 us |");
  }

  @Test
  void aComparisonWithoutRatiosFailsNamingTheKey() throws Exception {
    String c = COMPARISON.formatted("client").replace("\"ratios\":[1.5],", "");
    PairedTable table = new PairedTable(json(file(c)));
    assertThatThrownBy(table::markdown)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ratios");
  }

  @Test
  void aFileWithoutComparisonsFailsNamingTheKey() throws Exception {
    PairedTable table =
        new PairedTable(json("{\"started\":\"s\",\"finished\":\"f\",\"pairs\":1,\"fork\":\"x\"}"));
    assertThatThrownBy(table::markdown)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("comparisons");
  }

  @Test
  void aFileWithoutPairsFailsNamingTheKeyRatherThanPrintingNull() throws Exception {
    String text = file(COMPARISON.formatted("client")).replace("\"pairs\":1,", "");
    assertThat(text).doesNotContain("\"pairs\"");
    PairedTable table = new PairedTable(json(text));
    assertThatThrownBy(table::markdown)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pairs");
  }

  @Test
  void aMissingNumberInOfMediansIsNamed() throws Exception {
    String c =
        COMPARISON
            .formatted("client")
            .replace(
                "\"met\":false}",
                "\"met\":false,\"of_medians\":{\"min_ratio\":1,\"max_ratio\":2}}");
    PairedTable table = new PairedTable(json(file(c)));
    assertThatThrownBy(table::markdown)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("median_ratio");
  }

  @Test
  void aComparisonWithoutMetFailsRatherThanShowingMissed() throws Exception {
    // median 1.05 <= goal 1.1: the goal is met, yet without "met" the table says "missed"
    String c =
        COMPARISON
            .formatted("client")
            .replace("\"median_ratio\":1.5", "\"median_ratio\":1.05")
            .replace(",\"met\":false", "");
    String md;
    try {
      md = new PairedTable(json(file(c))).markdown();
    } catch (IllegalArgumentException refused) {
      assertThat(refused).hasMessageContaining("met");
      return;
    }
    assertThat(md).doesNotContain("**missed**");
  }
}
