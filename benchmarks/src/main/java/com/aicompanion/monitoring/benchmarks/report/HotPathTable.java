package com.aicompanion.monitoring.benchmarks.report;

import com.aicompanion.monitoring.benchmarks.report.HotPaths.Row;
import com.aicompanion.monitoring.benchmarks.report.JmhResults.Result;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The hot-path table in Markdown: each call beside its anchor at 1 and 2 threads, the ratio, the
 * ratio to the {@code LongAdder} floor, and the target verdict at one thread.
 *
 * <pre>{@code
 * String md = new HotPathTable(jmh).markdown();
 * Set<String> missed = new HotPathTable(jmh).missedTargets();
 * }</pre>
 */
final class HotPathTable {
  private final JmhResults jmh;

  HotPathTable(JmhResults jmh) {
    this.jmh = jmh;
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("| hot path | call | threads | time | B/op | anchor | anchor time | anchor B/op")
        .append(" | ratio | vs floor | target (1 thread) |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Row row : HotPaths.ROWS) {
      for (int threads = 1; threads <= 2; threads++) {
        Optional<Result> ours = jmh.find(row.id(), threads);
        if (ours.isEmpty()) {
          continue;
        }
        Optional<Result> anchor =
            row.anchor() == null ? Optional.empty() : jmh.find(row.anchor(), threads);
        Optional<Result> floor = jmh.find(HotPaths.FLOOR, threads);
        md.append("| ")
            .append(row.section())
            .append(" | ")
            .append(row.call())
            .append(" | ")
            .append(threads)
            .append(" | ")
            .append(time(ours.get()))
            .append(" | ")
            .append(bytes(ours.get()))
            .append(" | ")
            .append(row.anchorCall())
            .append(" | ")
            .append(anchor.map(HotPathTable::time).orElse(""))
            .append(" | ")
            .append(anchor.map(HotPathTable::bytes).orElse(""))
            .append(" | ")
            .append(anchor.map(a -> ratio(ours.get(), a)).orElse(""))
            .append(" | ")
            .append(vsFloor(ours.get(), floor, row))
            .append(" | ")
            .append(threads == 1 ? verdict(row, ours.get(), anchor) : "")
            .append(" |\n");
      }
    }
    return md.toString();
  }

  /** The ids of ours whose target is missed at one thread. */
  Set<String> missedTargets() {
    Set<String> missed = new LinkedHashSet<>();
    for (Row row : HotPaths.ROWS) {
      Optional<Result> ours = jmh.find(row.id(), 1);
      Optional<Result> anchor = row.anchor() == null ? Optional.empty() : jmh.find(row.anchor(), 1);
      if (ours.isPresent() && verdict(row, ours.get(), anchor).contains("missed")) {
        missed.add(row.id());
      }
    }
    return missed;
  }

  /** Every result, also those no row names (new benchmarks show up here first). */
  String allResults() {
    StringBuilder md = new StringBuilder("| benchmark | threads | score | unit | B/op |\n");
    md.append("|---|---|---|---|---|\n");
    Set<String> seen = new HashSet<>();
    List<Result> all = new ArrayList<>(jmh.all());
    all.sort(
        (a, b) -> a.id().equals(b.id()) ? a.threads() - b.threads() : a.id().compareTo(b.id()));
    for (Result r : all) {
      seen.add(r.id());
      md.append("| `")
          .append(r.id())
          .append("` | ")
          .append(r.threads())
          .append(" | ")
          .append(fmt(r.score()))
          .append(" ± ")
          .append(fmt(r.error()))
          .append(" | ")
          .append(r.unit())
          .append(" | ")
          .append(bytes(r))
          .append(" |\n");
    }
    return md.toString();
  }

  static String verdict(Row row, Result ours, Optional<Result> anchor) {
    HotPaths.Target target = row.target();
    if (!target.isSet()) {
      return "";
    }
    boolean met = true;
    if (!Double.isNaN(target.maxRatio())) {
      if (anchor.isEmpty()) {
        return target.describe() + ": anchor not measured";
      }
      met = ours.score() / anchor.get().score() <= target.maxRatio();
    }
    if (!Double.isNaN(target.maxBytes())) {
      met &= ours.bytesPerOp() <= target.maxBytes();
    }
    if (!Double.isNaN(target.minOpsPerSecond())) {
      met &= ours.score() >= target.minOpsPerSecond();
    }
    return target.describe() + (met ? ": **met**" : ": **missed**");
  }

  private static String vsFloor(Result ours, Optional<Result> floor, Row row) {
    if (floor.isEmpty() || ours.throughput() || row.id().equals(HotPaths.FLOOR)) {
      return "";
    }
    return String.format(Locale.ROOT, "%.1fx", ours.score() / floor.get().score());
  }

  private static String ratio(Result ours, Result anchor) {
    double r = ours.throughput() ? anchor.score() / ours.score() : ours.score() / anchor.score();
    boolean overlap = Math.abs(ours.score() - anchor.score()) < ours.error() + anchor.error();
    return String.format(Locale.ROOT, "**%.2fx**", r) + (overlap ? " (errors overlap)" : "");
  }

  static String time(Result r) {
    return fmt(r.score()) + " ± " + fmt(r.error()) + " " + r.unit().replace("/op", "");
  }

  static String bytes(Result r) {
    return Double.isNaN(r.bytesPerOp()) ? "" : String.format(Locale.ROOT, "%.0f", r.bytesPerOp());
  }

  static String fmt(double v) {
    if (Double.isNaN(v)) {
      return "?";
    }
    double a = Math.abs(v);
    if (a >= 100_000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f", v);
  }
}
