package com.aicompanion.monitoring.otlp.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.core.instrument.distribution.HistogramSupport;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Mirrors each meter of the monitoring (Prometheus) registry into the OTLP registry as a meter that
 * reads the source when the OTLP registry pushes: counters as cumulative counters, gauges as
 * gauges, timers and distribution summaries as histograms with the buckets of {@code /metrics}
 * (through {@link HistogramFill}) and a {@code .max} gauge. The source keeps being the one place
 * meters are recorded and named, so the name-space and cardinality rules of {@code /metrics} hold
 * for the push too, and the recording path does not know the push exists.
 *
 * <pre>{@code
 * new MeterMirror(prometheusRegistry, otlpRegistry, fill).start();
 * }</pre>
 */
final class MeterMirror {
  private final MeterRegistry source;
  private final MeterRegistry target;
  private final HistogramFill fill;
  private final Map<Meter.Id, Meter[]> mirrors = new ConcurrentHashMap<>();

  MeterMirror(MeterRegistry source, MeterRegistry target, HistogramFill fill) {
    this.source = source;
    this.target = target;
    this.fill = fill;
  }

  void start() {
    source.config().onMeterAdded(this::add);
    source.config().onMeterRemoved(this::remove);
    source.getMeters().forEach(this::add);
  }

  private void add(Meter meter) {
    mirrors.computeIfAbsent(meter.getId(), id -> mirror(meter));
  }

  private void remove(Meter meter) {
    Meter[] mirrored = mirrors.remove(meter.getId());
    if (mirrored != null) {
      for (Meter m : mirrored) {
        target.remove(m);
        fill.remove(keyOf(m.getId()));
      }
    }
  }

  private Meter[] mirror(Meter meter) {
    Meter.Id id = meter.getId();
    String description = id.getDescription();
    if (meter instanceof Counter c) {
      return of(
          FunctionCounter.builder(id.getName(), c, Counter::count)
              .tags(id.getTags())
              .description(description)
              .baseUnit(id.getBaseUnit())
              .register(target));
    }
    if (meter instanceof FunctionCounter c) {
      return of(
          FunctionCounter.builder(id.getName(), c, FunctionCounter::count)
              .tags(id.getTags())
              .description(description)
              .baseUnit(id.getBaseUnit())
              .register(target));
    }
    if (meter instanceof TimeGauge g) {
      return of(
          TimeGauge.builder(id.getName(), g, TimeUnit.SECONDS, x -> x.value(TimeUnit.SECONDS))
              .tags(id.getTags())
              .description(description)
              .register(target));
    }
    if (meter instanceof Gauge g) {
      return of(
          Gauge.builder(id.getName(), g, Gauge::value)
              .tags(id.getTags())
              .description(description)
              .baseUnit(id.getBaseUnit())
              .register(target));
    }
    if (meter instanceof Timer t) {
      return histogram(
          id,
          t,
          true,
          null,
          Gauge.builder(id.getName() + ".max", t, x -> x.max(TimeUnit.SECONDS))
              .tags(id.getTags())
              .description(description)
              .baseUnit("seconds"));
    }
    if (meter instanceof FunctionTimer t) {
      return of(
          FunctionTimer.builder(
                  id.getName(),
                  t,
                  x -> (long) x.count(),
                  x -> x.totalTime(TimeUnit.SECONDS),
                  TimeUnit.SECONDS)
              .tags(id.getTags())
              .description(description)
              .register(target));
    }
    if (meter instanceof LongTaskTimer t) {
      return of(
          Gauge.builder(id.getName() + ".active", t, LongTaskTimer::activeTasks)
              .tags(id.getTags())
              .description(description)
              .register(target));
    }
    if (meter instanceof DistributionSummary s) {
      return histogram(
          id,
          s,
          false,
          id.getBaseUnit() == null ? "" : id.getBaseUnit(),
          Gauge.builder(id.getName() + ".max", s, DistributionSummary::max)
              .tags(id.getTags())
              .description(description)
              .baseUnit(id.getBaseUnit()));
    }
    return new Meter[0]; // a custom Meter: not mirrored
  }

  /**
   * A timer or distribution summary: a function timer that the OTLP registry encodes as a histogram
   * data point, whose buckets {@link HistogramFill} fills from {@code source} at push time, and its
   * {@code .max} gauge, as {@code /metrics} has {@code _max}.
   */
  private Meter[] histogram(
      Meter.Id id, HistogramSupport source, boolean timeBased, String unit, Gauge.Builder<?> max) {
    FunctionTimer frame =
        FunctionTimer.builder(
                id.getName(),
                source,
                x -> x.takeSnapshot().count(),
                x ->
                    timeBased ? x.takeSnapshot().total(TimeUnit.SECONDS) : x.takeSnapshot().total(),
                TimeUnit.SECONDS)
            .tags(id.getTags())
            .description(id.getDescription())
            .register(target);
    fill.add(keyOf(frame.getId()), source, timeBased, unit);
    return of(frame, max.register(target));
  }

  /** The key of a meter's data point as the OTLP registry will name it. */
  private String keyOf(Meter.Id id) {
    NamingConvention convention = target.config().namingConvention();
    Map<String, String> attributes = new java.util.TreeMap<>();
    for (Tag tag : id.getConventionTags(convention)) {
      attributes.put(tag.getKey(), tag.getValue());
    }
    return HistogramFill.key(id.getConventionName(convention), attributes);
  }

  private static Meter[] of(Meter... meters) {
    return meters;
  }
}
