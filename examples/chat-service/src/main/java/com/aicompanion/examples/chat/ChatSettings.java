package com.aicompanion.examples.chat;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The example's own settings, from the environment; monitoring reads its {@code MONITORING_*} keys
 * itself. Every bad value names the variable.
 *
 * @param port {@code CHAT_PORT}, default 8080 (0 = any free port)
 * @param dbUrl {@code CHAT_DB_URL}, default embedded H2; e.g. {@code
 *     jdbc:postgresql://localhost:5432/chat}
 * @param redisUrl {@code CHAT_REDIS_URL}, default unset = in-process Caffeine cache
 * @param provider {@code CHAT_LLM_PROVIDER}: {@code simulated} (default) or {@code openai}
 * @param hourlyBudgetUsd {@code CHAT_LLM_HOURLY_BUDGET_USD}, default 5.00: above it the
 *     LlmBudgetExceeded alert fires
 */
public record ChatSettings(
    int port,
    String dbUrl,
    String dbUser,
    String dbPassword,
    URI redisUrl,
    String provider,
    URI openAiBaseUrl,
    String openAiApiKey,
    String model,
    Duration firstToken,
    Duration perToken,
    int meanOutputTokens,
    double errorRate,
    double hourlyBudgetUsd) {

  public static ChatSettings fromEnvironment(Map<String, String> env) {
    String provider = env.getOrDefault("CHAT_LLM_PROVIDER", "simulated").trim();
    if (!provider.equals("simulated") && !provider.equals("openai")) {
      throw new IllegalArgumentException(
          "CHAT_LLM_PROVIDER=" + provider + " is not one of simulated, openai");
    }
    String redis = env.get("CHAT_REDIS_URL");
    return new ChatSettings(
        integer(env, "CHAT_PORT", 8080),
        env.getOrDefault("CHAT_DB_URL", "jdbc:h2:mem:chat;DB_CLOSE_DELAY=-1"),
        env.getOrDefault("CHAT_DB_USER", "sa"),
        env.getOrDefault("CHAT_DB_PASSWORD", ""),
        redis == null || redis.isBlank() ? null : uri("CHAT_REDIS_URL", redis),
        provider,
        uri("OPENAI_BASE_URL", env.getOrDefault("OPENAI_BASE_URL", "https://api.openai.com/v1")),
        env.get("OPENAI_API_KEY"),
        env.getOrDefault(
            "CHAT_LLM_MODEL", provider.equals("openai") ? "gpt-4o-mini" : "companion-sim-1"),
        Duration.ofMillis(integer(env, "CHAT_SIM_FIRST_TOKEN_MS", 250)),
        Duration.ofMillis(integer(env, "CHAT_SIM_PER_TOKEN_MS", 15)),
        integer(env, "CHAT_SIM_OUTPUT_TOKENS", 60),
        decimal(env, "CHAT_SIM_ERROR_RATE", 0.02),
        decimal(env, "CHAT_LLM_HOURLY_BUDGET_USD", 5.0));
  }

  /**
   * Settings for tests: a fast simulated provider, H2, Caffeine and any free port, with {@code
   * overrides} (environment variable names) on top.
   */
  public static ChatSettings forTests(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>();
    env.put("CHAT_PORT", "0");
    env.put("CHAT_SIM_FIRST_TOKEN_MS", "5");
    env.put("CHAT_SIM_PER_TOKEN_MS", "1");
    env.putAll(overrides);
    return fromEnvironment(env);
  }

  private static int integer(Map<String, String> env, String key, int defaultValue) {
    String raw = env.get(key);
    if (raw == null || raw.isBlank()) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(raw.trim());
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(key + "=" + raw + " is not a whole number >= 0");
  }

  private static double decimal(Map<String, String> env, String key, double defaultValue) {
    String raw = env.get(key);
    if (raw == null || raw.isBlank()) {
      return defaultValue;
    }
    try {
      double value = Double.parseDouble(raw.trim());
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(key + "=" + raw + " is not a number >= 0");
  }

  private static URI uri(String key, String raw) {
    try {
      URI uri = URI.create(raw.trim());
      if (uri.getScheme() != null && uri.getHost() != null) {
        return uri;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        key + "=" + raw + " is not a URL, e.g. redis://localhost:6379");
  }
}
