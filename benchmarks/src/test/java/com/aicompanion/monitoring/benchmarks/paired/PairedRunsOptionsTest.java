package com.aicompanion.monitoring.benchmarks.paired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PairedRunsOptionsTest {
  @Test
  void defaultsAreSixPairsOfEveryComparisonWarmedUpFor15Seconds() {
    PairedRuns.Options o = PairedRuns.Options.parse("out.json");
    assertThat(o.output()).isEqualTo(Path.of("out.json"));
    assertThat(o.pairs()).isEqualTo(6);
    assertThat(o.warmupSeconds()).isEqualTo(15);
    assertThat(o.only()).isEmpty();
    assertThat(o.quick()).isFalse();
  }

  @Test
  void pairsOnlyAndQuickAreRead() {
    PairedRuns.Options o =
        PairedRuns.Options.parse("--pairs=3", "--only=client,filter", "o.json", "--warmup=20");
    assertThat(o.pairs()).isEqualTo(3);
    assertThat(o.warmupSeconds()).isEqualTo(20);
    assertThat(o.only()).isEqualTo(Set.of("client", "filter"));
    assertThat(PairedRuns.Options.parse("o.json", "--only=client,client").only())
        .as("a name given twice")
        .isEqualTo(Set.of("client"));

    assertThat(PairedRuns.Options.parse("o.json", "--pairs=5", "--quick").pairs())
        .as("quick runs one short pair")
        .isEqualTo(1);
  }

  @Test
  void badOptionsAreRefusedNamingTheValueAndTheFix() {
    assertThatThrownBy(() -> PairedRuns.Options.parse("o.json", "--pairs=0"))
        .hasMessageContaining("--pairs")
        .hasMessageContaining("0");
    assertThatThrownBy(() -> PairedRuns.Options.parse("o.json", "--pairs=two"))
        .hasMessageContaining("two");
    assertThatThrownBy(() -> PairedRuns.Options.parse("o.json", "--warmup=-5"))
        .hasMessageContaining("--warmup")
        .hasMessageContaining("-5");
    assertThatThrownBy(() -> PairedRuns.Options.parse("o.json", "--only=client,server"))
        .hasMessageContaining("server")
        .hasMessageContaining("listener");
    assertThatThrownBy(() -> PairedRuns.Options.parse("o.json", "--pair=2"))
        .hasMessageContaining("--pair=2")
        .hasMessageContaining("--pairs=N");
    assertThatThrownBy(() -> PairedRuns.Options.parse()).hasMessageContaining("output file");
    assertThatThrownBy(() -> PairedRuns.Options.parse("a.json", "b.json"))
        .hasMessageContaining("b.json");
  }

  @Test
  void everyPlanNamesBenchmarksThatExist() throws Exception {
    for (PairedRuns.Plan plan : PairedRuns.PLANS) {
      for (String benchmark : new String[] {plan.anchor(), plan.ours()}) {
        int dot = benchmark.lastIndexOf('.');
        Class<?> type =
            Class.forName("com.aicompanion.monitoring.benchmarks." + benchmark.substring(0, dot));
        assertThat(type.getMethod(benchmark.substring(dot + 1))).as(benchmark).isNotNull();
        if (plan.exporter() != null) {
          assertThat(type.getField("exporter"))
              .as(benchmark + " has the exporter param")
              .isNotNull();
        }
      }
    }
  }
}
