package com.aicompanion.monitoring.internal;

import com.aicompanion.monitoring.internal.RecordingErrors.Reason;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.HistogramSupport;
import io.micrometer.core.instrument.internal.DefaultMeter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One Prometheus name space per registry: every meter, whether the facade, a binder or the user
 * registered it, claims the names it will be exposed under, and a meter whose names clash with
 * another meter's is denied before it reaches the registry, so that a scrape can never fail.
 *
 * <pre>{@code
 * NameSpace names = NameSpace.install(registry, errors);   // before the first meter registers
 * }</pre>
 *
 * <p>The names a meter claims are its family names as the registry's naming convention writes them
 * (Micrometer's {@code PrometheusNamingConvention}) and every sample name the exposition formats
 * derive from them: {@code _total} and {@code _created} for counters; {@code _count}, {@code _sum},
 * {@code _created}, {@code _bucket} (and a gauge histogram's {@code _gcount}, {@code _gsum}) for
 * timers and distribution summaries, plus their {@code _max} gauge family; {@code _info} for info
 * gauges; and the families of a custom meter's statistics. OpenMetrics forbids one family's name to
 * equal another family's name or sample name; Prometheus' text parser and client_java's scrape fail
 * on it. Meters of one family (same Prometheus name, Micrometer name and type) share their names.
 *
 * <p>Registration runs under the registry's own lock, which calls {@link #accept} and then, once
 * the meter exists, the meter-added listener; a claim becomes binding only then, so that a filter
 * after this one that denies the meter leaves no claim behind. A meter that was accepted by an
 * earlier filter without reaching this one is claimed when it is added; if it clashes it is
 * reported (it cannot be refused any more).
 *
 * <p>A denial is counted in {@code monitoring_metric_errors_total{reason="name_conflict"}} and
 * logged once, except while the facade registers (it reports with its own words through {@link
 * #takeRejection()}).
 */
public final class NameSpace implements MeterFilter {
  /** The owner of a set of exposed names: one Prometheus family of one meter type. */
  private record Owner(String family, String micrometerName, Meter.Type type) {
    String describe() {
      return "the "
          + typeName(type)
          + " \""
          + family
          + "\" (registered as \""
          + micrometerName
          + "\")";
    }
  }

  /** What a meter would claim. */
  private record Claim(Meter.Id id, Owner owner, Set<String> names) {}

  private final MeterRegistry registry;
  private final NamingConvention convention;
  private final RecordingErrors errors;

  /**
   * Meters that turned out to break the exposition only once created (a filter after this one gave
   * a timer another shape than its family's, or reserved labels): removed by {@link #sweep()}
   * before the next scrape and after each facade registration.
   */
  private final java.util.concurrent.ConcurrentLinkedQueue<Meter> doomed =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  /** The doomed meters, whose removal must not release names they never held. */
  private final Set<Meter> neverCommitted = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Exposed name -> its owner. Guarded by this. */
  private final Map<String, Owner> owners = new HashMap<>();

  /** Owner -> the number of meters that hold its names. Guarded by this. */
  private final Map<Owner, Integer> holders = new HashMap<>();

  /**
   * Owner -> whether its meters publish histogram buckets: one family must not mix summaries and
   * histograms (client_java cannot merge the two kinds of data point; the scrape fails). Guarded by
   * this.
   */
  private final Map<Owner, Boolean> histograms = new HashMap<>();

  /** The claim that {@link #accept} approved and the meter-added listener has not seen yet. */
  private Claim pending;

  /** The reason and message of the current thread's last refused registration. */
  private final ThreadLocal<String[]> rejection = new ThreadLocal<>();

  private final ThreadLocal<Boolean> facadeRegistering = new ThreadLocal<>();

  private NameSpace(MeterRegistry registry, RecordingErrors errors) {
    this.registry = registry;
    this.convention = registry.config().namingConvention();
    this.errors = errors;
  }

  /**
   * Installs the guard on {@code registry} as a filter and as meter-added, meter-removed and
   * registration-failed listener. The meters the registry already holds are claimed first.
   */
  public static NameSpace install(MeterRegistry registry, RecordingErrors errors) {
    NameSpace names = new NameSpace(registry, errors);
    for (Meter meter : registry.getMeters()) {
      names.commit(names.claimFor(meter.getId()), meter);
    }
    registry.config().meterFilter(names);
    registry.config().onMeterAdded(names::added);
    registry.config().onMeterRemoved(names::removed);
    registry.config().onMeterRegistrationFailed(names::registrationFailed);
    return names;
  }

  /**
   * Runs {@code registration} as the facade's: denials are not reported here but left for {@link
   * #takeRejection()}.
   */
  public <T> T asFacade(java.util.function.Supplier<T> registration) {
    facadeRegistering.set(Boolean.TRUE);
    rejection.remove();
    try {
      return registration.get();
    } finally {
      facadeRegistering.remove();
      sweep();
    }
  }

  /**
   * Removes the meters found to break the exposition after they were created; the scrape calls it
   * first. Cheap when there are none.
   */
  public void sweep() {
    Meter meter;
    while ((meter = doomed.poll()) != null) {
      registry.remove(meter);
    }
  }

  /**
   * Why the registry refused or did not expose the meter the current thread registered last, or
   * {@code null}; clears it.
   */
  public String takeRejection() {
    String[] why = rejection.get();
    return why == null ? null : why[1];
  }

  /** The reason of {@link #takeRejection()}'s refusal, or null; clears both. */
  public Reason takeRejectionReason() {
    String[] why = rejection.get();
    rejection.remove();
    return why == null ? null : Reason.valueOf(why[0]);
  }

  /**
   * The family name the registry's naming convention gives a meter of {@code type} named {@code
   * name}: what Prometheus will show (before the format's sample suffixes).
   */
  public String familyName(String name, Meter.Type type, String baseUnit) {
    return convention.name(name, type, baseUnit);
  }

  @Override
  public MeterFilterReply accept(Meter.Id id) {
    String reserved = reservedLabel(id, true, true);
    if (reserved != null) {
      deny(Reason.INVALID_LABELS, reserved);
      return MeterFilterReply.DENY;
    }
    Claim claim = claimFor(id);
    synchronized (this) {
      String conflict = conflict(claim);
      if (conflict != null) {
        pending = null;
        deny(Reason.NAME_CONFLICT, conflict);
        return MeterFilterReply.DENY;
      }
      pending = claim;
    }
    return MeterFilterReply.NEUTRAL;
  }

  private void added(Meter meter) {
    String problem = createdProblem(meter);
    if (problem != null) {
      // the filters after this one made it break the exposition: it is removed before any scrape
      doom(meter);
      deny(Reason.NAME_CONFLICT, problem);
      synchronized (this) {
        pending = null;
      }
      return;
    }
    synchronized (this) {
      Claim approved = pending;
      pending = null;
      Claim claim =
          approved != null && approved.id().equals(meter.getId())
              ? approved
              : claimFor(meter.getId());
      if (meter instanceof DefaultMeter) {
        claim = withStatistics(claim, meter);
      }
      String conflict = conflict(claim);
      if (conflict == null) {
        commit(claim, meter);
        return;
      }
      doom(meter);
      deny(Reason.NAME_CONFLICT, conflict);
    }
  }

  /**
   * What the created meter would break, known only now that every filter has shaped it: a histogram
   * or summary whose family has the other shape, or a label that its shape reserves.
   */
  private String createdProblem(Meter meter) {
    if (!(meter instanceof HistogramSupport distribution)) {
      return null;
    }
    var snapshot = distribution.takeSnapshot();
    boolean histogram = snapshot.histogramCounts().length > 0;
    String reserved =
        reservedLabel(meter.getId(), histogram, snapshot.percentileValues().length > 0);
    if (reserved != null) {
      return reserved;
    }
    Owner owner = ownerOf(meter.getId());
    Boolean familyHistogram;
    synchronized (this) {
      familyHistogram = histograms.get(owner);
    }
    if (familyHistogram == null || familyHistogram == histogram) {
      return null;
    }
    return "Metric \""
        + meter.getId().getName()
        + "\" was registered "
        + (histogram ? "with" : "without")
        + " histogram buckets (a MeterFilter configured it so), but the other series of "
        + owner.describe()
        + (familyHistogram ? " publish buckets" : " publish none")
        + ": Prometheus cannot mix a histogram and a summary in one family, so it is removed;"
        + " give every series of a metric the same histogram settings";
  }

  /**
   * The message for a label key that Prometheus reserves in a timer's or summary's family ({@code
   * le} for histogram buckets, {@code quantile} for summary quantiles), or null.
   */
  private static String reservedLabel(Meter.Id id, boolean histogram, boolean quantiles) {
    Meter.Type type = id.getType();
    if (type != Meter.Type.TIMER
        && type != Meter.Type.DISTRIBUTION_SUMMARY
        && type != Meter.Type.LONG_TASK_TIMER) {
      return null;
    }
    for (io.micrometer.core.instrument.Tag tag : id.getTagsAsIterable()) {
      boolean le = histogram && tag.getKey().equals("le");
      boolean quantile = quantiles && tag.getKey().equals("quantile");
      if (le || quantile) {
        return "Metric \""
            + id.getName()
            + "\" ("
            + typeName(type)
            + ") has the label \""
            + tag.getKey()
            + "\", which Prometheus reserves for "
            + (le ? "histogram buckets" : "summary quantiles")
            + ": rename the label";
      }
    }
    return null;
  }

  /** A custom meter is exposed by statistic, whatever type it declares. */
  private Claim withStatistics(Claim claim, Meter meter) {
    String family = claim.owner().family();
    Set<String> names = new LinkedHashSet<>(claim.names());
    for (io.micrometer.core.instrument.Measurement m : meter.measure()) {
      switch (m.getStatistic()) {
        case TOTAL, TOTAL_TIME -> FamilyKind.COUNTER.addNames(family + "_sum", names);
        case COUNT -> FamilyKind.COUNTER.addNames(family, names);
        case MAX -> FamilyKind.GAUGE.addNames(family + "_max", names);
        case VALUE, UNKNOWN -> FamilyKind.GAUGE.addNames(family + "_value", names);
        case ACTIVE_TASKS -> FamilyKind.GAUGE.addNames(family + "_active_count", names);
        case DURATION -> FamilyKind.GAUGE.addNames(family + "_duration_sum", names);
      }
    }
    return new Claim(claim.id(), claim.owner(), names);
  }

  private void doom(Meter meter) {
    neverCommitted.add(meter);
    doomed.add(meter);
  }

  private synchronized void removed(Meter meter) {
    if (neverCommitted.remove(meter)) {
      return;
    }
    Owner owner = ownerOf(meter.getId());
    Integer count = holders.get(owner);
    if (count == null) {
      return;
    }
    if (count > 1) {
      holders.put(owner, count - 1);
      return;
    }
    holders.remove(owner);
    histograms.remove(owner);
    owners.values().removeIf(owner::equals);
  }

  private void registrationFailed(Meter.Id id, String reason) {
    deny(
        Reason.REGISTRY_REJECTED,
        "Metric \""
            + id.getName()
            + "\" was not registered by the meter registry: "
            + (reason == null ? "no reason given" : reason));
  }

  private void deny(Reason reason, String message) {
    if (facadeRegistering.get() != null) {
      rejection.set(new String[] {reason.name(), message});
    } else {
      errors.refuse(reason, message);
    }
  }

  private synchronized void commit(Claim claim, Meter meter) {
    for (String name : claim.names()) {
      owners.putIfAbsent(name, claim.owner());
    }
    holders.merge(claim.owner(), 1, Integer::sum);
    if (meter instanceof HistogramSupport distribution) {
      histograms.putIfAbsent(
          claim.owner(), distribution.takeSnapshot().histogramCounts().length > 0);
    }
  }

  /**
   * Aligns a timer's or summary's histogram with its family's: the first meter of a family decides
   * whether the family is a histogram (buckets) or a summary, and a later meter of the family that
   * asks otherwise is given the family's shape, with a WARN, so that the scrape stays valid.
   */
  @Override
  public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
    Owner owner = ownerOf(id);
    Boolean histogram;
    synchronized (this) {
      histogram = histograms.get(owner);
    }
    if (histogram == null || histogram == config.isPublishingHistogram()) {
      return config;
    }
    errors.warnOnce(
        "Metric \""
            + id.getName()
            + "\" was registered "
            + (histogram ? "without" : "with")
            + " histogram buckets, but the other series of "
            + owner.describe()
            + (histogram ? " publish buckets" : " publish none")
            + ": it follows its family, since Prometheus cannot mix a histogram and a summary in"
            + " one family; register every series of a metric with the same histogram settings");
    DistributionStatisticConfig.Builder shape =
        DistributionStatisticConfig.builder().percentilesHistogram(histogram);
    if (!histogram) {
      shape.serviceLevelObjectives(new double[0]);
    }
    return shape.build().merge(config);
  }

  /** The message for the first name of {@code claim} that another owner holds, or null. */
  private String conflict(Claim claim) {
    for (String name : claim.names()) {
      Owner owner = owners.get(name);
      if (owner != null && !owner.equals(claim.owner())) {
        return "Metric \""
            + claim.id().getName()
            + "\" ("
            + typeName(claim.id().getType())
            + ", exposed as "
            + String.join(", ", exposedFamilies(claim))
            + ") clashes with "
            + owner.describe()
            + ": both would expose \""
            + name
            + "\", and a scrape with two families of one name fails; use another name";
      }
    }
    return null;
  }

  private List<String> exposedFamilies(Claim claim) {
    List<String> families = new ArrayList<>();
    for (Family f : families(claim.id())) {
      families.add(f.name());
    }
    return families;
  }

  private Claim claimFor(Meter.Id id) {
    List<Family> families = families(id);
    Set<String> names = new LinkedHashSet<>();
    for (Family f : families) {
      f.kind().addNames(f.name(), names);
    }
    return new Claim(id, new Owner(families.get(0).name(), id.getName(), id.getType()), names);
  }

  /** The owner of {@code id}'s names: its primary family, Micrometer name and type. */
  private Owner ownerOf(Meter.Id id) {
    String family = convention.name(id.getName(), id.getType(), id.getBaseUnit());
    return new Owner(family, id.getName(), id.getType());
  }

  /** The Prometheus families a meter is exposed as, its primary family first. */
  private List<Family> families(Meter.Id id) {
    String family = convention.name(id.getName(), id.getType(), id.getBaseUnit());
    return switch (id.getType()) {
      case COUNTER -> List.of(new Family(family, FamilyKind.COUNTER));
      case GAUGE ->
          List.of(
              new Family(
                  family, id.getName().endsWith(".info") ? FamilyKind.INFO : FamilyKind.GAUGE));
      case TIMER, DISTRIBUTION_SUMMARY, LONG_TASK_TIMER ->
          List.of(
              new Family(family, FamilyKind.DISTRIBUTION),
              new Family(family + "_max", FamilyKind.GAUGE));
      case OTHER ->
          List.of(
              new Family(family, FamilyKind.COUNTER),
              new Family(family + "_sum", FamilyKind.COUNTER),
              new Family(family + "_max", FamilyKind.GAUGE),
              new Family(family + "_value", FamilyKind.GAUGE),
              new Family(family + "_active_count", FamilyKind.GAUGE),
              new Family(family + "_duration_sum", FamilyKind.GAUGE));
    };
  }

  private record Family(String name, FamilyKind kind) {}

  /** A Prometheus family type and the sample names the text and OpenMetrics formats give it. */
  private enum FamilyKind {
    COUNTER("_total", "_created"),
    GAUGE(),
    INFO("_info"),
    /** A summary or a histogram (classic or gauge histogram): which depends on its config. */
    DISTRIBUTION("_count", "_sum", "_created", "_bucket", "_gcount", "_gsum");

    private final String[] suffixes;

    FamilyKind(String... suffixes) {
      this.suffixes = suffixes;
    }

    void addNames(String family, Set<String> names) {
      names.add(family);
      for (String suffix : suffixes) {
        names.add(family + suffix);
      }
    }
  }

  static String typeName(Meter.Type type) {
    return switch (type) {
      case COUNTER -> "counter";
      case GAUGE -> "gauge";
      case TIMER -> "timer";
      case DISTRIBUTION_SUMMARY -> "distribution summary";
      case LONG_TASK_TIMER -> "long task timer";
      case OTHER -> "custom meter";
    };
  }
}
