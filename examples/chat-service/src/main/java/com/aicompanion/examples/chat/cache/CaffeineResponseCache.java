package com.aicompanion.examples.chat.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.Duration;
import java.util.Optional;

/**
 * The in-process default: Caffeine, measured by Micrometer's own Caffeine binder, which writes the
 * same {@code cache_gets_total} family as {@code monitor.cache(...)}.
 */
public final class CaffeineResponseCache implements ResponseCache {
  private final Cache<String, String> cache;

  /** {@code registry} is null when monitoring is off: no statistics kept, no metrics. */
  public CaffeineResponseCache(MeterRegistry registry, long maxEntries, Duration ttl) {
    Caffeine<Object, Object> builder =
        Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(ttl);
    if (registry == null) {
      this.cache = builder.build();
    } else {
      this.cache = builder.recordStats().build();
      CaffeineCacheMetrics.monitor(registry, cache, name());
    }
  }

  @Override
  public Optional<String> get(String key) {
    return Optional.ofNullable(cache.getIfPresent(key));
  }

  @Override
  public void put(String key, String answer) {
    cache.put(key, answer);
  }

  @Override
  public String name() {
    return "llm-responses";
  }

  @Override
  public void close() {
    cache.invalidateAll();
  }
}
