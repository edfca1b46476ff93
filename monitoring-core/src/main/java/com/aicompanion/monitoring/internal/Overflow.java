package com.aicompanion.monitoring.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * The cardinality guard's overflow side of one metric: the series whose label values are all {@code
 * OTHER}, made once, and {@code monitoring_cardinality_overflow_total{metric}}, which counts every
 * recording folded into it. The counter is registered at the first overflow, as a metric with
 * nothing to count has no series.
 */
final class Overflow<M> {
  private final String metric;
  private final MeterRegistry registry;
  private volatile M series;
  private volatile Counter counter;

  Overflow(String metric, MeterRegistry registry) {
    this.metric = metric;
    this.registry = registry;
  }

  /** Forgets the overflow series and counter (their meters were removed from the registry). */
  synchronized void reset() {
    series = null;
    counter = null;
  }

  /** Counts one folded recording and returns the overflow series, made by {@code factory}. */
  M fold(Supplier<M> factory) {
    Counter c = counter;
    if (c == null) {
      c =
          Counter.builder("monitoring.cardinality.overflow")
              .description(
                  "Recordings folded into the OTHER series because a metric reached its label-set limit")
              .tag("metric", metric)
              .register(registry);
      counter = c;
    }
    c.increment();
    M other = series;
    if (other == null) {
      synchronized (this) {
        other = series;
        if (other == null) {
          other = factory.get();
          series = other;
        }
      }
    }
    return other;
  }
}
