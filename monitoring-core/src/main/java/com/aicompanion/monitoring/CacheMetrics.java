package com.aicompanion.monitoring;

import com.aicompanion.monitoring.internal.GaugeValue;
import com.aicompanion.monitoring.internal.RecordingErrors;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.noop.NoopMeter;

/**
 * The metrics of one cache under Micrometer's cache names: {@code cache_gets_total{cache,
 * result="hit"|"miss"}}, {@code cache_puts_total}, {@code cache_evictions_total} and {@code
 * cache_size}. A cache bound with Micrometer's Caffeine binder lands in the same metrics, so one
 * hit-rate panel covers both.
 *
 * <pre>{@code
 * CacheMetrics cache = monitor.cache("llm-responses");
 * cache.hit(); cache.miss(); cache.put(); cache.size(128);
 * }</pre>
 */
public final class CacheMetrics {
  private final Counter hits;
  private final Counter misses;
  private final Counter puts;
  private final Counter evictions;
  private final GaugeValue size = new GaugeValue();
  private final RecordingErrors errors;

  /** Why the registry did not take these meters (a MeterFilter, a name clash), or null. */
  private final String refusal;

  CacheMetrics(MeterRegistry registry, String cache, RecordingErrors errors) {
    this.errors = errors;
    this.hits = gets(registry, cache, "hit");
    this.misses = gets(registry, cache, "miss");
    this.puts =
        Counter.builder("cache.puts")
            .description("Entries added to the cache")
            .tag("cache", cache)
            .register(registry);
    this.evictions =
        Counter.builder("cache.evictions")
            .description("Entries evicted from the cache")
            .tag("cache", cache)
            .register(registry);
    Gauge gauge =
        Gauge.builder("cache.size", size, GaugeValue::get)
            .description("Entries in the cache")
            .tag("cache", cache)
            .strongReference(true)
            .register(registry);
    boolean lost =
        hits instanceof NoopMeter
            || misses instanceof NoopMeter
            || puts instanceof NoopMeter
            || evictions instanceof NoopMeter
            || gauge instanceof NoopMeter;
    this.refusal =
        lost
            ? "The cache metrics of \""
                + cache
                + "\" were not all registered: the meter registry returned a no-op meter (a"
                + " MeterFilter denied it, or its name clashes), so recordings are lost"
            : null;
  }

  private void record(Counter counter) {
    if (refusal != null) {
      errors.refuse(RecordingErrors.Reason.REGISTRY_REJECTED, refusal);
    }
    counter.increment();
  }

  private static Counter gets(MeterRegistry registry, String cache, String result) {
    return Counter.builder("cache.gets")
        .description("Cache lookups, by result")
        .tag("cache", cache)
        .tag("result", result)
        .register(registry);
  }

  public void hit() {
    record(hits);
  }

  public void miss() {
    record(misses);
  }

  public void put() {
    record(puts);
  }

  public void eviction() {
    record(evictions);
  }

  /** Sets the current number of entries. */
  public void size(long entries) {
    if (refusal != null) {
      errors.refuse(RecordingErrors.Reason.REGISTRY_REJECTED, refusal);
    }
    size.set(entries);
  }
}
