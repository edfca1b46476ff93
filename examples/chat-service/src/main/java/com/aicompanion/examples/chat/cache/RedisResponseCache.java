package com.aicompanion.examples.chat.cache;

import com.aicompanion.monitoring.CacheMetrics;
import com.aicompanion.monitoring.Monitor;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * Redis, shared by every instance of the service, counted through {@code monitor.cache(...)}. A
 * Redis outage degrades to misses: the chat keeps answering, the health check turns warn.
 */
public final class RedisResponseCache implements ResponseCache {
  private static final Logger LOG = LoggerFactory.getLogger(RedisResponseCache.class);

  private final RedisClient redis;
  private final CacheMetrics metrics;
  private final long ttlSeconds;

  /** {@code monitor} is null when monitoring is off: nothing counted. */
  public RedisResponseCache(URI url, Monitor monitor, Duration ttl) {
    this.redis = RedisClient.create(url);
    this.metrics = monitor == null ? null : monitor.cache(name());
    this.ttlSeconds = Math.max(1, ttl.toSeconds());
  }

  @Override
  public Optional<String> get(String key) {
    try {
      String value = redis.get("chat:answer:" + key);
      if (metrics != null && value == null) {
        metrics.miss();
      } else if (metrics != null) {
        metrics.hit();
      }
      return Optional.ofNullable(value);
    } catch (JedisException e) {
      LOG.warn("Redis cache unavailable, answering without it: {}", e.getMessage());
      if (metrics != null) {
        metrics.miss();
      }
      return Optional.empty();
    }
  }

  @Override
  public void put(String key, String answer) {
    try {
      redis.set("chat:answer:" + key, answer, SetParams.setParams().ex(ttlSeconds));
      if (metrics != null) {
        metrics.put();
      }
    } catch (JedisException e) {
      LOG.warn("Redis cache unavailable, answer not cached: {}", e.getMessage());
    }
  }

  @Override
  public String name() {
    return "llm-responses-redis";
  }

  @Override
  public void close() {
    redis.close();
  }
}
