package com.aicompanion.monitoring.benchmarks.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.aicompanion.monitoring.benchmarks.cost.SteadyRate.Reading;
import com.aicompanion.monitoring.benchmarks.cost.SteadyRate.Window;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Steady-rate accounting on readings built by hand: a child whose idle work is 10 ms of CPU a
 * second on its "other" thread, whose slices cost 100 us per request on its request thread and
 * whose spans leave after the slice on its export thread.
 */
class SteadyRateTest {
  private static final long SECOND = 1_000_000_000L;

  /** Child 0's readings as the windows pass, one second each, from its threads' CPU. */
  private static final class Timeline {
    final List<Window> windows = new ArrayList<>();
    final List<Reading> readings = new ArrayList<>();
    long now;
    long request;
    long spans;
    long other;

    Timeline() {
      record();
    }

    Timeline window(Window window, long requestMs, long spansMs) {
      now += SECOND;
      request += requestMs;
      spans += spansMs;
      other += 10; // the idle work: 10 ms a second, always
      windows.add(window);
      record();
      return this;
    }

    private void record() {
      readings.add(
          new Reading(
              now,
              Duration.ofMillis(request + spans + other),
              Map.of(
                  "1", new ChatProcess.ThreadCpu("request", Duration.ofMillis(request)),
                  "2", new ChatProcess.ThreadCpu("spans", Duration.ofMillis(spans)),
                  "3", new ChatProcess.ThreadCpu("other", Duration.ofMillis(other)))));
    }
  }

  @Test
  void aSliceCountsItsExportTailButTheIdleWorkOnlyForItsOwnSeconds() {
    // idle; slice of child 0 (1,000 requests: 100 ms of request CPU, 20 ms of spans); child 1's
    // slice, in which child 0's last spans leave (5 ms); settle; idle
    Timeline t =
        new Timeline()
            .window(Window.idle(), 0, 0)
            .window(Window.slice(0, 1, 1_000), 100, 20)
            .window(Window.slice(1, 1, 1_000), 0, 5)
            .window(Window.settle(), 0, 0)
            .window(Window.idle(), 0, 0);

    SteadyRate.Result result = SteadyRate.of(t.windows, t.readings, 0);

    // (100 + 20 + 10 idle in the slice) + (5 tail + 10 idle - 10 idle) = 135 ms for 1,000 requests
    assertThat(result.requests()).isEqualTo(1_000);
    assertThat(result.cpuUsPerRequest()).isCloseTo(135.0, within(1e-6));
    assertThat(result.kindUsPerRequest("request")).isCloseTo(100.0, within(1e-6));
    assertThat(result.kindUsPerRequest("spans")).isCloseTo(25.0, within(1e-6));
    assertThat(result.kindUsPerRequest("other")).isCloseTo(10.0, within(1e-6));
    assertThat(result.idleCpuMsPerSecond()).isCloseTo(10.0, within(1e-6));
    assertThat(result.usPerRequestByCycle()).containsExactly(135.0);
  }

  @Test
  void aNextSliceOfTheSameChildAlreadyHoldsTheTail() {
    // two modes: a cycle ends and the next begins with the same child
    Timeline t =
        new Timeline()
            .window(Window.idle(), 0, 0)
            .window(Window.slice(0, 1, 1_000), 100, 20)
            .window(Window.slice(0, 2, 1_000), 100, 25)
            .window(Window.settle(), 0, 5)
            .window(Window.idle(), 0, 0);

    SteadyRate.Result result = SteadyRate.of(t.windows, t.readings, 0);

    // 130 + 135 for the two slices, plus the last tail of 5: 270 ms for 2,000 requests, not 280
    assertThat(result.requests()).isEqualTo(2_000);
    assertThat(result.cpuUsPerRequest()).isCloseTo(135.0, within(1e-6));
    assertThat(result.usPerRequestByCycle()).containsExactly(130.0, 140.0);
  }

  @Test
  void anotherChildsSlicesCountOnlyForThatChild() {
    Timeline t =
        new Timeline()
            .window(Window.idle(), 0, 0)
            .window(Window.slice(1, 1, 1_000), 0, 0)
            .window(Window.settle(), 0, 0)
            .window(Window.idle(), 0, 0);

    SteadyRate.Result result = SteadyRate.of(t.windows, t.readings, 0);

    assertThat(result.requests()).isZero();
    assertThat(result.cpuUsPerRequest()).isEqualTo(-1.0);
  }

  @Test
  void withoutAnIdleWindowOrWithReadingsMissingItRefuses() {
    Timeline noIdle = new Timeline().window(Window.slice(0, 1, 1_000), 100, 20);
    assertThatThrownBy(() -> SteadyRate.of(noIdle.windows, noIdle.readings, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no idle window");

    Timeline t = new Timeline().window(Window.idle(), 0, 0);
    assertThatThrownBy(() -> SteadyRate.of(t.windows, t.readings.subList(0, 1), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 readings for 1 windows");
  }
}
