package com.aicompanion.monitoring;

import com.aicompanion.monitoring.internal.GaugeValue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

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

  CacheMetrics(MeterRegistry registry, String cache) {
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
    Gauge.builder("cache.size", size, GaugeValue::get)
        .description("Entries in the cache")
        .tag("cache", cache)
        .strongReference(true)
        .register(registry);
  }

  private static Counter gets(MeterRegistry registry, String cache, String result) {
    return Counter.builder("cache.gets")
        .description("Cache lookups, by result")
        .tag("cache", cache)
        .tag("result", result)
        .register(registry);
  }

  public void hit() {
    hits.increment();
  }

  public void miss() {
    misses.increment();
  }

  public void put() {
    puts.increment();
  }

  public void eviction() {
    evictions.increment();
  }

  /** Sets the current number of entries. */
  public void size(long entries) {
    size.set(entries);
  }
}
