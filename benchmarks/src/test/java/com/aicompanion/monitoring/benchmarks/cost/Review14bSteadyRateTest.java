package com.aicompanion.monitoring.benchmarks.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.aicompanion.monitoring.benchmarks.cost.SteadyRate.Reading;
import com.aicompanion.monitoring.benchmarks.cost.SteadyRate.Window;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Review 14b of {@link SteadyRate}: window orders, window lengths, thread sets and clock values the
 * authors' tests do not try.
 */
class Review14bSteadyRateTest {
  private static final long MS = 1_000_000L;
  private static final long SECOND = 1_000 * MS;

  /**
   * One child's readings, built window by window: each window has a length and the CPU (in ns) each
   * named thread used in it; the total is the sum of the threads (every thread lives throughout
   * unless a window says otherwise).
   */
  private static final class Run {
    final List<Window> windows = new ArrayList<>();
    final List<Reading> readings = new ArrayList<>();
    final Map<String, Long> threadCpu = new LinkedHashMap<>();
    final Map<String, String> threadKind = new LinkedHashMap<>();
    long now;
    long total;

    Run(long start, String... tidKinds) {
      now = start;
      for (int i = 0; i < tidKinds.length; i += 2) {
        threadKind.put(tidKinds[i], tidKinds[i + 1]);
        threadCpu.put(tidKinds[i], 0L);
      }
      record();
    }

    /**
     * A window of {@code nanos} in which thread {@code tidNanos[2k]} used {@code tidNanos[2k+1]}.
     */
    Run window(Window window, long nanos, Object... tidNanos) {
      now += nanos;
      for (int i = 0; i < tidNanos.length; i += 2) {
        String tid = (String) tidNanos[i];
        long used = (Long) tidNanos[i + 1];
        threadCpu.merge(tid, used, Long::sum);
        total += used;
      }
      windows.add(window);
      record();
      return this;
    }

    private void record() {
      Map<String, ChatProcess.ThreadCpu> threads = new LinkedHashMap<>();
      threadCpu.forEach(
          (tid, cpu) ->
              threads.put(
                  tid, new ChatProcess.ThreadCpu(threadKind.get(tid), Duration.ofNanos(cpu))));
      readings.add(new Reading(now, Duration.ofNanos(total), threads));
    }

    SteadyRate.Result of(int child) {
      return SteadyRate.of(windows, readings, child);
    }
  }

  /**
   * The javadoc promises "the us per request of each cycle's slice", and RequestCost reads it as
   * {@code usPerRequestByCycle().get(cycle - 1)}; but the list has one entry per slice of the child
   * and ignores {@link Window#cycle()}. A child without a slice in cycle 1 (here child 0 only has
   * the load in cycle 2) gets cycle 2's figure at index 0 and nothing at index 1: RequestCost would
   * put it in cycle 1's row, and throw at cycle 2's. Expected: index {@code cycle - 1} holds that
   * cycle's figure (-1 for a cycle without requests, as for a slice without requests).
   */
  @Test
  void theFigureOfACycleIsAtThatCyclesIndexEvenWhenTheChildHadNoSliceInAnEarlierCycle() {
    Run run =
        new Run(0, "1", "request", "3", "other")
            .window(Window.idle(), SECOND, "3", 10 * MS)
            .window(Window.slice(1, 1, 1_000), SECOND, "3", 10 * MS)
            .window(Window.slice(0, 2, 1_000), SECOND, "1", 100 * MS, "3", 10 * MS)
            .window(Window.settle(), SECOND, "3", 10 * MS)
            .window(Window.idle(), SECOND, "3", 10 * MS);

    SteadyRate.Result result = run.of(0);

    // cycle 2's slice: 100 ms request + 10 ms idle work, tail 10 - 10 = 0: 110 us per request
    assertThat(result.usPerRequestByCycle()).hasSize(2);
    assertThat(result.usPerRequestByCycle().get(1)).isCloseTo(110.0, within(1e-6));
  }

  /**
   * A slice as the very last window (no window after it, so no tail) is counted alone without
   * reading past the readings; the idle rate still comes from the earlier idle window.
   */
  @Test
  void aSliceAsTheLastWindowCountsWithoutATail() {
    Run run =
        new Run(0, "1", "request", "3", "other")
            .window(Window.idle(), SECOND, "3", 10 * MS)
            .window(Window.slice(0, 1, 1_000), SECOND, "1", 100 * MS, "3", 10 * MS);

    SteadyRate.Result result = run.of(0);

    assertThat(result.cpuUsPerRequest()).isCloseTo(110.0, within(1e-6));
    assertThat(result.usPerRequestByCycle()).containsExactly(110.0);
  }

  /**
   * The idle rate of two idle windows of different lengths is their CPU over their time (weighted
   * by length), not the mean of two rates: 10 ms in 1 s and 60 ms in 3 s is 17.5 ms/s (the mean of
   * rates would be 15). The tail then takes off 17.5 ms/s times its own length (2 s: 35 ms).
   */
  @Test
  void idleWindowsOfDifferentLengthsGiveTheRateOfTheirTotal() {
    Run run =
        new Run(0, "1", "request", "2", "spans", "3", "other")
            .window(Window.idle(), SECOND, "3", 10 * MS)
            .window(Window.slice(0, 1, 1_000), SECOND, "1", 100 * MS, "3", 10 * MS)
            .window(Window.settle(), 2 * SECOND, "2", 5 * MS, "3", 40 * MS)
            .window(Window.idle(), 3 * SECOND, "3", 60 * MS);

    SteadyRate.Result result = run.of(0);

    assertThat(result.idleCpuMsPerSecond()).isCloseTo(17.5, within(1e-9));
    // 110 + (45 - 35) = 120 ms for 1,000 requests
    assertThat(result.cpuUsPerRequest()).isCloseTo(120.0, within(1e-6));
    assertThat(result.kindUsPerRequest("spans")).isCloseTo(5.0, within(1e-6));
    assertThat(result.kindUsPerRequest("other")).isCloseTo(15.0, within(1e-6));
  }

  /**
   * Three children as RequestCost runs them (cycle c: children c%3, (c+1)%3, (c+2)%3, a settle
   * after the last cycle, idle at both ends): each child's tail is the window after each of its
   * slices, whatever that window is (another child's slice or the settle), and its per-cycle
   * figures come in cycle order. Each child here uses 100 us per request in its slices, exports 5
   * ms in the window after, and 10 ms/s of idle work always.
   */
  @Test
  void threeChildrenSideBySideEachCountTheirOwnSlicesAndTails() {
    int children = 3;
    int cycles = 2;
    List<Window> windows = new ArrayList<>();
    windows.add(Window.idle());
    for (int c = 0; c < cycles; c++) {
      for (int i = 0; i < children; i++) {
        windows.add(Window.slice((c + i) % children, c + 1, 1_000 + 100L * c));
      }
    }
    windows.add(Window.settle());
    windows.add(Window.idle());
    for (int child = 0; child < children; child++) {
      Run run = new Run(0, "1", "request", "2", "spans", "3", "other");
      Window previous = null;
      for (Window w : windows) {
        long request =
            w.kind() == SteadyRate.Kind.SLICE && w.owner() == child ? w.requests() * 100_000 : 0;
        long spans =
            previous != null
                    && previous.kind() == SteadyRate.Kind.SLICE
                    && previous.owner() == child
                ? 5 * MS
                : 0;
        run.window(w, SECOND, "1", request, "2", spans, "3", 10 * MS);
        previous = w;
      }

      SteadyRate.Result result = run.of(child);

      assertThat(result.requests()).isEqualTo(2_100);
      // cycle 1: (100 + 10 + 5) ms / 1,000; cycle 2: (110 + 10 + 5) ms / 1,100
      assertThat(result.usPerRequestByCycle()).hasSize(2);
      assertThat(result.usPerRequestByCycle().get(0)).isCloseTo(115.0, within(1e-6));
      assertThat(result.usPerRequestByCycle().get(1)).isCloseTo(125_000.0 / 1_100, within(1e-6));
      assertThat(result.kindUsPerRequest("request")).isCloseTo(100.0, within(1e-6));
      assertThat(result.kindUsPerRequest("spans")).isCloseTo(10_000.0 / 2_100, within(1e-6));
    }
  }

  /**
   * When every thread lives throughout, the kinds add up to the total (within the rounding of the
   * idle work taken off each kind separately: a few ns per tail), even with idle windows and tails
   * of lengths that do not divide evenly. This is what the by-thread table's "counted as the total"
   * relies on.
   */
  @Test
  void withEveryThreadLivingThroughoutTheKindsAddUpToTheTotal() {
    Run run =
        new Run(0, "1", "request", "2", "spans", "3", "other", "4", "gc", "5", "jit")
            .window(Window.idle(), 7_777_777_777L, "3", 77_777_777L, "4", 3_333_333L, "5", 1L)
            .window(
                Window.slice(0, 1, 997),
                1_234_567_891L,
                "1",
                123_456_789L,
                "2",
                9_999_999L,
                "3",
                12_345_679L,
                "4",
                7_000_001L,
                "5",
                50_000_003L)
            .window(Window.slice(1, 1, 1_003), 999_999_999L, "2", 3_333_331L, "3", 9_999_997L)
            .window(Window.slice(0, 2, 1_001), 1_111_111_111L, "1", 100_000_007L, "3", 11_111_113L)
            .window(Window.settle(), 3_141_592_653L, "2", 4_444_447L, "3", 31_415_923L)
            .window(Window.idle(), 5_000_000_003L, "3", 50_000_011L, "4", 1_111_111L);

    SteadyRate.Result result = run.of(0);

    long kinds = result.kinds().values().stream().mapToLong(Duration::toNanos).sum();
    assertThat(kinds).isCloseTo(result.cpu().toNanos(), within(2L * ChatProcess.KINDS.size()));
    assertThat(result.kinds().keySet()).containsExactlyInAnyOrderElementsOf(ChatProcess.KINDS);
  }

  /**
   * A thread that appears only in a later reading (started during a slice, e.g. an OkHttp
   * connection thread) counts all its CPU in the window it appeared in, under its kind.
   */
  @Test
  void aThreadStartedDuringASliceCountsAllItsCpuThere() {
    Run run = new Run(0, "3", "other");
    run.window(Window.idle(), SECOND, "3", 10 * MS);
    run.threadKind.put("9", "spans");
    run.window(Window.slice(0, 1, 1_000), SECOND, "3", 10 * MS, "9", 7 * MS);
    run.window(Window.settle(), SECOND, "3", 10 * MS, "9", 2 * MS);
    run.window(Window.idle(), SECOND, "3", 10 * MS);

    SteadyRate.Result result = run.of(0);

    assertThat(result.kindUsPerRequest("spans")).isCloseTo(9.0, within(1e-6));
    assertThat(result.cpuUsPerRequest()).isCloseTo(19.0, within(1e-6));
  }

  /**
   * {@link System#nanoTime()} may be anywhere in the long range, and may pass Long.MAX_VALUE during
   * a run: window lengths are differences, so a run across the wrap gives the same figures as one
   * that starts at 0.
   */
  @Test
  void readingsAcrossTheNanoTimeWrapGiveTheSameFigures() {
    long[] starts = {0, Long.MAX_VALUE - SECOND / 2, Long.MIN_VALUE + 5, -3 * SECOND};
    List<SteadyRate.Result> results = new ArrayList<>();
    for (long start : starts) {
      Run run =
          new Run(start, "1", "request", "2", "spans", "3", "other")
              .window(Window.idle(), SECOND, "3", 10 * MS)
              .window(Window.slice(0, 1, 1_000), SECOND, "1", 100 * MS, "3", 10 * MS)
              .window(Window.settle(), 2 * SECOND, "2", 5 * MS, "3", 25 * MS)
              .window(Window.idle(), SECOND, "3", 10 * MS);
      results.add(run.of(0));
    }
    for (SteadyRate.Result r : results) {
      assertThat(r.cpu()).isEqualTo(results.get(0).cpu());
      assertThat(r.kinds()).isEqualTo(results.get(0).kinds());
      assertThat(r.idleCpuMsPerSecond()).isCloseTo(10.0, within(1e-9));
    }
    // 110 + (30 - 20) = 120 ms
    assertThat(results.get(0).cpuUsPerRequest()).isCloseTo(120.0, within(1e-6));
  }

  /**
   * A slice in which the child answered nothing has -1 for its cycle (not a division by zero), and
   * the other slices' figures are unaffected; hours of CPU (large nanos) keep their precision.
   */
  @Test
  void aSliceWithoutRequestsHasMinusOneForItsCycleAndLargeFiguresStayExact() {
    long hour = 3_600 * SECOND;
    Run run =
        new Run(1L << 60, "1", "request", "3", "other")
            .window(Window.idle(), hour, "3", 36 * SECOND)
            .window(Window.slice(0, 1, 0), hour, "3", 36 * SECOND)
            .window(Window.slice(1, 1, 1_000), hour, "3", 36 * SECOND)
            .window(Window.slice(0, 2, 1_000_000), hour, "1", 1_000 * SECOND, "3", 36 * SECOND)
            .window(Window.settle(), hour, "3", 36 * SECOND)
            .window(Window.idle(), hour, "3", 36 * SECOND);

    SteadyRate.Result result = run.of(0);

    assertThat(result.usPerRequestByCycle().get(0)).isEqualTo(-1.0);
    // (1,000 s + 36 s) / 1,000,000 requests = 1,036 us
    assertThat(result.usPerRequestByCycle().get(1)).isCloseTo(1_036.0, within(1e-9));
    assertThat(result.idleCpuMsPerSecond()).isCloseTo(10.0, within(1e-12));
  }
}
