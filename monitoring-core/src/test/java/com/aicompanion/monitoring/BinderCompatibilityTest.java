package com.aicompanion.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.testsupport.Promtool;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Micrometer binders of real libraries land in the same /metrics as the facade's families. */
class BinderCompatibilityTest {

  @Test
  void realHikariPoolBindsThroughTheRegistry() throws Exception {
    try (Monitoring m = TestMonitoring.builder("hikari-test").start()) {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl("jdbc:h2:mem:hikari_test;DB_CLOSE_DELAY=-1");
      config.setPoolName("chat-db");
      config.setMaximumPoolSize(4);
      config.setMetricRegistry(m.monitor().registry());
      try (HikariDataSource pool = new HikariDataSource(config);
          Connection held = pool.getConnection();
          Statement statement = held.createStatement();
          ResultSet rows = statement.executeQuery("SELECT 1")) {
        assertThat(rows.next()).isTrue();
        await("active connection visible in /metrics")
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () -> {
                  String body = TestMonitoring.scrape(m);
                  assertThat(
                          Exposition.require(body, "hikaricp_connections_active{pool=\"chat-db\"}"))
                      .isEqualTo(1.0);
                  assertThat(Exposition.require(body, "hikaricp_connections_max{pool=\"chat-db\"}"))
                      .isEqualTo(4.0);
                  assertThat(body)
                      .contains(
                          "hikaricp_connections_idle{pool=\"chat-db\"}",
                          "hikaricp_connections_pending{pool=\"chat-db\"}",
                          "hikaricp_connections_acquire_seconds_count{pool=\"chat-db\"}",
                          "hikaricp_connections_timeout_total{pool=\"chat-db\"}");
                });
      }
    }
  }

  @Test
  void caffeineBinderAndFacadeCachesShareTheCacheMetrics() {
    try (Monitoring m = TestMonitoring.builder("cache-test").start()) {
      Cache<String, String> responses =
          Caffeine.newBuilder().maximumSize(100).recordStats().build();
      CaffeineCacheMetrics.monitor(m.monitor().registry(), responses, "caffeine-responses");
      responses.put("k", "v");
      responses.getIfPresent("k");
      responses.getIfPresent("absent");
      m.monitor().cache("redis-responses").miss();

      String body = TestMonitoring.scrape(m);
      assertThat(
              Exposition.require(
                  body, "cache_gets_total{cache=\"caffeine-responses\",result=\"hit\"}"))
          .isEqualTo(1.0);
      assertThat(
              Exposition.require(
                  body, "cache_gets_total{cache=\"caffeine-responses\",result=\"miss\"}"))
          .isEqualTo(1.0);
      assertThat(
              Exposition.require(
                  body, "cache_gets_total{cache=\"redis-responses\",result=\"miss\"}"))
          .isEqualTo(1.0);
      Promtool.Result lint = Promtool.checkMetrics(body);
      assertThat(lint.exitCode()).as(lint.output()).isZero();
    }
  }
}
