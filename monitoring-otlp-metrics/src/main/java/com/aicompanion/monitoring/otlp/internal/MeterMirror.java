package com.aicompanion.monitoring.otlp.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Mirrors each meter of the monitoring (Prometheus) registry into the OTLP registry as a meter that
 * reads the source when the OTLP registry pushes: counters as cumulative counters, gauges as
 * gauges, timers as count and total time ({@code FunctionTimer}), distribution summaries as count
 * and sum counters. The source keeps being the one place meters are recorded and named, so the
 * name-space rules of {@code /metrics} hold for the push too; what the mirror cannot carry is a
 * timer's histogram buckets (see the module README).
 */
final class MeterMirror {
  private final MeterRegistry source;
  private final MeterRegistry target;
  private final Map<Meter.Id, Meter[]> mirrors = new ConcurrentHashMap<>();

  MeterMirror(MeterRegistry source, MeterRegistry target) {
    this.source = source;
    this.target = target;
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
      return of(
          FunctionTimer.builder(
                  id.getName(),
                  t,
                  Timer::count,
                  x -> x.totalTime(TimeUnit.SECONDS),
                  TimeUnit.SECONDS)
              .tags(id.getTags())
              .description(description)
              .register(target));
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
      return of(
          FunctionCounter.builder(id.getName() + ".count", s, DistributionSummary::count)
              .tags(id.getTags())
              .description(description)
              .register(target),
          FunctionCounter.builder(id.getName() + ".sum", s, DistributionSummary::totalAmount)
              .tags(id.getTags())
              .description(description)
              .baseUnit(id.getBaseUnit())
              .register(target));
    }
    return new Meter[0]; // a custom Meter: not mirrored
  }

  private static Meter[] of(Meter... meters) {
    return meters;
  }
}
