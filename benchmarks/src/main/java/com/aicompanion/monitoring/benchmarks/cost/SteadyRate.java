package com.aicompanion.monitoring.benchmarks.cost;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a child's requests cost at a steady request rate, from CPU readings taken for all children
 * at every boundary between the windows of a side-by-side run: each slice of the child's load, plus
 * the window right after it (the export of the slice's last spans, which leave in batches up to 5 s
 * later) less the child's background work in that window, which its idle rate gives (an idle window
 * right after a slice is no tail: the harness lets the spans settle first; a next slice of the same
 * child already holds the tail in its own CPU). The background work of the slice's own seconds
 * stays in: at a steady rate a service does that work once per second of load, and no more.
 *
 * <pre>{@code
 * SteadyRate.Result full = SteadyRate.of(windows, readingsOfFull, 1);
 * double usPerRequest = full.cpuUsPerRequest();
 * }</pre>
 *
 * <p>Against counting whole cycles (everything the child did from the start to the end of a cycle
 * over the requests of its slice), this counts the child's idle work once instead of once per child
 * of the run; against counting the slices alone, it counts the tails of their export.
 */
final class SteadyRate {
  private SteadyRate() {}

  /** One child's CPU at one boundary: when ({@link System#nanoTime()}), its total and by thread. */
  record Reading(long nanos, Duration cpu, Map<String, ChatProcess.ThreadCpu> threads) {}

  /** What happened in a window: one child's slice of load, the settling after the last, or idle. */
  enum Kind {
    SLICE,
    SETTLE,
    IDLE
  }

  /**
   * One window between two boundaries: for a {@link Kind#SLICE} the index of the child that had the
   * load, its cycle (from 1) and how many requests it answered; else owner -1.
   */
  record Window(Kind kind, int owner, int cycle, long requests) {
    static Window slice(int owner, int cycle, long requests) {
      return new Window(Kind.SLICE, owner, cycle, requests);
    }

    static Window settle() {
      return new Window(Kind.SETTLE, -1, 0, 0);
    }

    static Window idle() {
      return new Window(Kind.IDLE, -1, 0, 0);
    }
  }

  /**
   * A child's steady-rate figures: its CPU (total and by kind of thread; a kind may come out a
   * little below zero, as the idle rate it subtracts is itself measured), the requests of its
   * slices, its idle CPU in ms per second, and the us per request of its slices in each cycle of
   * the run, at index {@code cycle - 1} (-1 for a cycle in which it answered no request).
   */
  record Result(
      Duration cpu,
      Map<String, Duration> kinds,
      long requests,
      double idleCpuMsPerSecond,
      List<Double> usPerRequestByCycle) {
    /** us of CPU per request; -1 without requests. */
    double cpuUsPerRequest() {
      return perRequest(cpu);
    }

    /** us of CPU per request in threads of {@code kind}; -1 without requests. */
    double kindUsPerRequest(String kind) {
      return perRequest(kinds.getOrDefault(kind, Duration.ZERO));
    }

    private double perRequest(Duration used) {
      return requests == 0 ? -1.0 : used.toNanos() / 1e3 / requests;
    }
  }

  /**
   * The figures of child {@code child} of a run of {@code windows}, given that child's readings at
   * every boundary ({@code readings.size() == windows.size() + 1}: before the first window and
   * after each).
   *
   * @throws IllegalArgumentException when the readings do not match the windows, or no idle window
   *     gives the child's idle rate
   */
  static Result of(List<Window> windows, List<Reading> readings, int child) {
    if (readings.size() != windows.size() + 1) {
      throw new IllegalArgumentException(
          readings.size()
              + " readings for "
              + windows.size()
              + " windows: one is needed before the first window and one after each");
    }
    long idleNanos = 0;
    Duration idleCpu = Duration.ZERO;
    Map<String, Duration> idleKinds = zeroKinds();
    for (int i = 0; i < windows.size(); i++) {
      if (windows.get(i).kind() == Kind.IDLE) {
        idleNanos += readings.get(i + 1).nanos() - readings.get(i).nanos();
        idleCpu = idleCpu.plus(used(readings, i));
        ChatProcess.byKind(readings.get(i).threads(), readings.get(i + 1).threads())
            .forEach((kind, d) -> idleKinds.merge(kind, d, Duration::plus));
      }
    }
    if (idleNanos <= 0) {
      throw new IllegalArgumentException("no idle window: the idle rate cannot be known");
    }
    Duration cpu = Duration.ZERO;
    Map<String, Duration> kinds = zeroKinds();
    long requests = 0;
    // per cycle (from 1): the CPU and requests of the child's slices in it
    Map<Integer, Duration> cycleCpu = new TreeMap<>();
    Map<Integer, Long> cycleRequests = new TreeMap<>();
    for (int i = 0; i < windows.size(); i++) {
      Window window = windows.get(i);
      if (window.kind() != Kind.SLICE || window.owner() != child) {
        continue;
      }
      Duration slice = used(readings, i);
      Map<String, Duration> sliceKinds =
          ChatProcess.byKind(readings.get(i).threads(), readings.get(i + 1).threads());
      // the window after the slice holds its export tail: counted less the idle work in it; a
      // next slice of this same child already counts the tail as its own CPU
      if (i + 1 < windows.size()
          && windows.get(i + 1).kind() != Kind.IDLE
          && !(windows.get(i + 1).kind() == Kind.SLICE && windows.get(i + 1).owner() == child)) {
        long afterNanos = readings.get(i + 2).nanos() - readings.get(i + 1).nanos();
        double share = (double) afterNanos / idleNanos;
        slice = slice.plus(used(readings, i + 1)).minus(scale(idleCpu, share));
        Map<String, Duration> after =
            ChatProcess.byKind(readings.get(i + 1).threads(), readings.get(i + 2).threads());
        for (String kind : ChatProcess.KINDS) {
          sliceKinds.merge(
              kind,
              after.getOrDefault(kind, Duration.ZERO).minus(scale(idleKinds.get(kind), share)),
              Duration::plus);
        }
      }
      cpu = cpu.plus(slice);
      sliceKinds.forEach((kind, d) -> kinds.merge(kind, d, Duration::plus));
      requests += window.requests();
      cycleCpu.merge(window.cycle(), slice, Duration::plus);
      cycleRequests.merge(window.cycle(), window.requests(), Long::sum);
    }
    int cycles = windows.stream().mapToInt(Window::cycle).max().orElse(0);
    List<Double> byCycle = new ArrayList<>();
    for (int cycle = 1; cycle <= cycles; cycle++) {
      long n = cycleRequests.getOrDefault(cycle, 0L);
      byCycle.add(n == 0 ? -1.0 : cycleCpu.get(cycle).toNanos() / 1e3 / n);
    }
    double idleMsPerSecond = idleCpu.toNanos() / 1e6 / (idleNanos / 1e9);
    return new Result(cpu, kinds, requests, idleMsPerSecond, byCycle);
  }

  private static Duration used(List<Reading> readings, int window) {
    return readings.get(window + 1).cpu().minus(readings.get(window).cpu());
  }

  private static Duration scale(Duration d, double factor) {
    return Duration.ofNanos(Math.round(d.toNanos() * factor));
  }

  private static Map<String, Duration> zeroKinds() {
    Map<String, Duration> kinds = new TreeMap<>();
    ChatProcess.KINDS.forEach(kind -> kinds.put(kind, Duration.ZERO));
    return kinds;
  }
}
