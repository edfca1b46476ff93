package com.aicompanion.examples.chat;

import com.aicompanion.examples.chat.cache.CaffeineResponseCache;
import com.aicompanion.examples.chat.cache.RedisResponseCache;
import com.aicompanion.examples.chat.cache.ResponseCache;
import com.aicompanion.examples.chat.llm.LlmProvider;
import com.aicompanion.examples.chat.llm.OpenAiCompatibleProvider;
import com.aicompanion.examples.chat.llm.SimulatedProvider;
import com.aicompanion.examples.chat.store.ConversationStore;
import com.aicompanion.monitoring.LlmPrices;
import com.aicompanion.monitoring.Monitor;
import com.aicompanion.monitoring.Monitoring;
import com.aicompanion.monitoring.health.AlertNotifier;
import com.aicompanion.monitoring.health.CheckOptions;
import com.aicompanion.monitoring.health.CheckResult;
import com.aicompanion.monitoring.health.HealthChecks;
import com.aicompanion.monitoring.health.HealthRegistry;
import com.aicompanion.monitoring.http.HttpClientInstrumentation;
import com.aicompanion.monitoring.jdbc.JdbcInstrumentation;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.http.HttpClient;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The chat service wired together on a running {@link Monitoring}: database pool, cache, LLM
 * provider, health checks, budget alert and the HTTP API; or the same service with nothing
 * instrumented ({@link #startWithoutMonitoring}). {@link #close()} stops it in reverse.
 */
public final class ChatApplication implements AutoCloseable {
  /** The simulated model's price, so that cost panels and the budget alert have data. */
  public static final double SIM_INPUT_USD_PER_MILLION = 2.50;

  public static final double SIM_OUTPUT_USD_PER_MILLION = 10.00;

  private final HikariDataSource pool;
  private final ResponseCache cache;
  private final ChatHttpServer http;
  private final BudgetGuard budget;

  private ChatApplication(
      HikariDataSource pool, ResponseCache cache, ChatHttpServer http, BudgetGuard budget) {
    this.pool = pool;
    this.cache = cache;
    this.http = http;
    this.budget = budget;
  }

  /** Prices the simulated model for {@code Monitoring.builder(...).llmPrices(...)}. */
  public static LlmPrices prices(ChatSettings settings) {
    return LlmPrices.defaults()
        .with("simulated", settings.model(), SIM_INPUT_USD_PER_MILLION, SIM_OUTPUT_USD_PER_MILLION);
  }

  /** Starts the service with every module of {@code monitoring} wired in. */
  public static ChatApplication start(Monitoring monitoring, ChatSettings settings)
      throws IOException, SQLException {
    return start(settings, Objects.requireNonNull(monitoring, "monitoring"));
  }

  /**
   * Starts the same service with nothing instrumented ({@code CHAT_MONITORING=off}): no filter, no
   * JDBC wrapper, no LLM metrics, no health checks, no budget alert.
   */
  public static ChatApplication startWithoutMonitoring(ChatSettings settings)
      throws IOException, SQLException {
    return start(settings, null);
  }

  private static ChatApplication start(ChatSettings settings, Monitoring monitoring)
      throws IOException, SQLException {
    Monitor monitor = monitoring == null ? null : monitoring.monitor();
    HikariConfig db = new HikariConfig();
    db.setJdbcUrl(settings.dbUrl());
    db.setUsername(settings.dbUser());
    db.setPassword(settings.dbPassword());
    db.setPoolName("chat-db");
    db.setMaximumPoolSize(10);
    db.setConnectionTimeout(3_000);
    db.setInitializationFailTimeout(-1); // start even when the database is down; readiness tells
    HikariDataSource pool = new HikariDataSource(db);
    // a span per statement, and the pool's hikaricp_* metrics
    DataSource data = monitoring == null ? pool : JdbcInstrumentation.wrap(pool, monitoring);

    ResponseCache cache =
        settings.redisUrl() != null
            ? new RedisResponseCache(settings.redisUrl(), monitor, Duration.ofMinutes(10))
            : new CaffeineResponseCache(
                monitor == null ? null : monitor.registry(), 10_000, Duration.ofMinutes(10));
    LlmProvider llm = provider(settings, monitor);
    BudgetGuard budget = null;
    if (monitoring != null) {
      registerHealthChecks(monitoring.get(HealthRegistry.class), settings, pool, llm);
      budget =
          new BudgetGuard(
              settings.hourlyBudgetUsd(),
              monitoring.get(AlertNotifier.class),
              monitor.registry(),
              Clock.systemUTC(),
              llm.model());
    }
    ChatService chat =
        new ChatService(new ConversationStore(data), cache, llm, monitor, budget, prices(settings));
    ChatHttpServer http = new ChatHttpServer(settings.port(), chat, monitor);
    return new ChatApplication(pool, cache, http, budget);
  }

  private static void registerHealthChecks(
      HealthRegistry health, ChatSettings settings, HikariDataSource pool, LlmProvider llm) {
    health.register(
        "database",
        HealthChecks.jdbc(pool),
        CheckOptions.critical().timeout(Duration.ofSeconds(2)));
    if (settings.redisUrl() != null) {
      String password =
          settings.redisUrl().getUserInfo() == null
              ? null
              : settings.redisUrl().getUserInfo().replaceFirst("^[^:]*:", "");
      health.register(
          "cache",
          HealthChecks.redis(
              settings.redisUrl().getHost(),
              settings.redisUrl().getPort() < 0 ? 6379 : settings.redisUrl().getPort(),
              password),
          CheckOptions.nonCritical());
    } else {
      health.register("cache", CheckResult::pass, CheckOptions.nonCritical());
    }
    if (llm instanceof OpenAiCompatibleProvider openAi) {
      health.register(
          "llm-provider",
          HealthChecks.http(openAi.baseUrl().resolve("models"), 200, 499, Duration.ofSeconds(2)),
          CheckOptions.nonCritical());
    } else {
      health.register("llm-provider", CheckResult::pass, CheckOptions.nonCritical());
    }
  }

  private static LlmProvider provider(ChatSettings settings, Monitor monitor) {
    if (settings.provider().equals("openai")) {
      HttpClient client = OpenAiCompatibleProvider.client();
      return new OpenAiCompatibleProvider(
          settings.openAiBaseUrl(),
          settings.openAiApiKey(),
          settings.model(),
          Duration.ofSeconds(60),
          // a CLIENT span under the GenAI span, W3C context sent, http_client_requests_seconds
          monitor == null ? client : HttpClientInstrumentation.wrap(client, monitor));
    }
    return new SimulatedProvider(
        new SimulatedProvider.Settings(
            settings.model(),
            settings.firstToken(),
            settings.perToken(),
            settings.meanOutputTokens(),
            settings.errorRate()));
  }

  /** The port the chat API listens on. */
  public int port() {
    return http.port();
  }

  /** Whether the hourly LLM budget alert is firing (never when monitoring is off). */
  public boolean budgetAlertFiring() {
    return budget != null && budget.firing();
  }

  @Override
  public void close() {
    http.close();
    cache.close();
    pool.close();
  }
}
