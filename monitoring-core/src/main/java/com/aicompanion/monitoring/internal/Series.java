package com.aicompanion.monitoring.internal;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The series of one metric, keyed by their label values, with the cardinality guard: past {@code
 * limit} distinct keys every new key maps to one overflow series whose label values are all {@code
 * OTHER}, and each such recording counts in {@code monitoring_cardinality_overflow_total{metric}}.
 *
 * @param <K> the key type; it must implement equals and hashCode over the label values
 * @param <M> the meter (or bundle of meters) of one series
 */
public final class Series<K, M> {
  /** The label value of the overflow series. */
  public static final String OTHER = "OTHER";

  private final String metric;
  private final int limit;
  private final ConcurrentHashMap<K, M> series = new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();
  private final Overflow<M> overflow;

  public Series(String metric, int limit, MeterRegistry registry) {
    this.metric = metric;
    this.limit = limit;
    this.overflow = new Overflow<>(metric, registry);
  }

  /** The existing series for {@code key}, or {@code null}: one map lookup, no allocation. */
  public M find(K key) {
    return series.get(key);
  }

  /**
   * The series for {@code key}, created by {@code create} when the limit allows, else the overflow
   * series made once by {@code overflowFactory}. A {@code null} from {@code create} (the registry
   * refused the meter) is returned and not stored.
   */
  public M getOrCreate(
      K key, Function<? super K, ? extends M> create, Supplier<M> overflowFactory) {
    M existing = series.get(key);
    if (existing != null) {
      return existing;
    }
    if (size.get() >= limit) {
      return overflowed(overflowFactory);
    }
    synchronized (this) {
      existing = series.get(key);
      if (existing != null) {
        return existing;
      }
      if (size.get() >= limit) {
        return overflowed(overflowFactory);
      }
      M created = create.apply(key);
      if (created != null) {
        series.put(key, created);
        size.incrementAndGet();
      }
      return created;
    }
  }

  private M overflowed(Supplier<M> overflowFactory) {
    return overflow.fold(overflowFactory);
  }

  /**
   * Forgets every series, so that the next recordings register their meters again: after meters
   * were removed from the registry ({@code registry.remove}, {@code clear}), recordings into the
   * removed meters would be lost.
   */
  public synchronized void clear() {
    series.clear();
    size.set(0);
    overflow.reset();
  }

  /** The number of distinct label sets, not counting the overflow series. */
  public int size() {
    return size.get();
  }

  public String metric() {
    return metric;
  }
}
