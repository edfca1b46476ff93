package com.aicompanion.monitoring.benchmarks.paired;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.util.ListStatistics;

/**
 * One comparison of {@link PairedRuns}: JMH's score (us per operation) of an anchor benchmark and
 * of ours, measured in pairs of adjacent forks, and the ratio ours / anchor of each pair. Pairing
 * adjacent forks cancels the machine's drift between minutes (a virtual machine whose speed moves
 * by a quarter within minutes), which runs of all forks of one benchmark, then all of the other,
 * would read as a difference.
 *
 * <pre>{@code
 * PairedComparison c = new PairedComparison("client", "raw", "wrapped", 1.1);
 * c.add(210.0, 214.0);   // anchor, ours: one pair of forks
 * c.medianRatio();       // 1.019...
 * }</pre>
 */
public final class PairedComparison {
  private final String name;
  private final String anchor;
  private final String ours;
  private final double goal;
  private final List<double[]> pairs = new ArrayList<>();

  /**
   * @param name what is compared, e.g. {@code client}
   * @param anchor the anchor benchmark as JMH names it, with its parameters
   * @param ours our benchmark, likewise
   * @param goal the largest median ratio ours / anchor that meets the goal, e.g. 1.1
   */
  public PairedComparison(String name, String anchor, String ours, double goal) {
    this.name = name;
    this.anchor = anchor;
    this.ours = ours;
    this.goal = goal;
  }

  /**
   * Adds one pair of forks' scores.
   *
   * @throws IllegalArgumentException when a score is not a positive finite number (a fork that
   *     measured nothing), or their ratio is not finite
   */
  public void add(double anchorScore, double oursScore) {
    if (!(anchorScore > 0 && Double.isFinite(anchorScore))
        || !(oursScore > 0 && Double.isFinite(oursScore))) {
      throw new IllegalArgumentException(
          name
              + ": a pair of scores must both be positive and finite, was "
              + anchorScore
              + " and "
              + oursScore);
    }
    if (!Double.isFinite(oursScore / anchorScore)) {
      throw new IllegalArgumentException(
          name + ": the ratio of " + oursScore + " to " + anchorScore + " is not a finite number");
    }
    pairs.add(new double[] {anchorScore, oursScore});
  }

  /** Ours / anchor for each pair, in the order measured. */
  public double[] ratios() {
    return pairs.stream().mapToDouble(p -> p[1] / p[0]).toArray();
  }

  /**
   * The median of the pairs' ratios.
   *
   * @throws IllegalStateException with no pair
   */
  public double medianRatio() {
    return median(ratios());
  }

  /** Whether the median ratio is at most the goal. */
  public boolean met() {
    return medianRatio() <= goal;
  }

  /**
   * The median of {@code values} (JMH's statistics: the mean of the two middle ones for an even
   * count).
   */
  static double median(double[] values) {
    if (values.length == 0) {
      throw new IllegalStateException("no pair measured");
    }
    return new ListStatistics(values).getPercentile(50);
  }

  /** The comparison as the JSON object {@link PairedRuns} writes and the report reads. */
  public Map<String, Object> toJson() {
    double[] ratios = ratios();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", name);
    json.put("anchor", anchor);
    json.put("ours", ours);
    json.put("goal_ratio", goal);
    json.put("anchor_us", pairs.stream().map(p -> p[0]).toList());
    json.put("ours_us", pairs.stream().map(p -> p[1]).toList());
    json.put("ratios", Arrays.stream(ratios).boxed().toList());
    json.put("median_anchor_us", median(pairs.stream().mapToDouble(p -> p[0]).toArray()));
    json.put("median_ours_us", median(pairs.stream().mapToDouble(p -> p[1]).toArray()));
    json.put("median_ratio", median(ratios));
    ListStatistics spread = new ListStatistics(ratios);
    json.put("min_ratio", spread.getMin());
    json.put("max_ratio", spread.getMax());
    json.put("pairs_above_goal", Arrays.stream(ratios).filter(r -> r > goal).count());
    json.put("met", met());
    return json;
  }
}
