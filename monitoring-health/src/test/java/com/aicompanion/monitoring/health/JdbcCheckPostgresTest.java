package com.aicompanion.monitoring.health;

import static com.aicompanion.monitoring.health.TestHttp.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.Monitoring;
import com.aicompanion.monitoring.health.CheckResult.Status;
import com.aicompanion.monitoring.testsupport.PostgresServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The JDBC check against a real PostgreSQL that the test starts, stops and starts again. */
class JdbcCheckPostgresTest {
  private static PostgresServer postgres;
  private static HikariDataSource dataSource;

  @BeforeAll
  static void startPostgres() {
    postgres = PostgresServer.start();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(postgres.jdbcUrl());
    config.setUsername(postgres.user());
    config.setPassword(postgres.password());
    config.setMaximumPoolSize(2);
    config.setConnectionTimeout(1000);
    config.setValidationTimeout(500);
    config.setInitializationFailTimeout(-1);
    dataSource = new HikariDataSource(config);
  }

  @AfterAll
  static void stopPostgres() {
    if (dataSource != null) {
      dataSource.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void jdbcCheckPassesWithLatencyAndFailsOnABadQuery() throws Exception {
    CheckResult ok = HealthChecks.jdbc(dataSource).check();
    CheckResult bad = runCatching(HealthChecks.jdbc(dataSource, "SELECT * FROM no_such_table"));

    assertThat(ok.status()).isEqualTo(Status.PASS);
    assertThat(ok.observedUnit()).isEqualTo("ms");
    assertThat(ok.observedValue()).isPositive();
    assertThat(bad.status()).isEqualTo(Status.FAIL);
    assertThat(bad.output()).contains("no_such_table");
  }

  @Test
  void databaseStoppedTurnsReadinessTo503WhileLivenessStays200() {
    try (Monitoring monitoring =
        TestHttp.monitoring("db-outage").config("health.cache.interval", "0").start()) {
      HealthRegistry health = monitoring.get(HealthRegistry.class);
      health.register(
          "postgres",
          HealthChecks.jdbc(dataSource),
          CheckOptions.critical().timeout(Duration.ofSeconds(2)));
      health.register(
          "heap",
          HealthChecks.heap(1.0),
          CheckOptions.critical().groups(CheckOptions.Group.LIVENESS));
      assertThat(get(monitoring, "/health/ready").statusCode()).isEqualTo(200);

      postgres.stop();
      try {
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> get(monitoring, "/health/ready").statusCode() == 503);
        assertThat(get(monitoring, "/health/live").statusCode()).isEqualTo(200);
      } finally {
        postgres.restart();
      }

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> get(monitoring, "/health/ready").statusCode() == 200);
      assertThat(get(monitoring, "/health/live").statusCode()).isEqualTo(200);
      assertThat(get(monitoring, "/health").statusCode()).isEqualTo(200);
    }
  }

  /**
   * Issue 11, case 11: HikariCP behind a relay that swallows the traffic of its open connection.
   * The check's own network timeout ends the run before the registry's timeout, the run's thread
   * and the pool's connection come back (evicted), and the check passes again at once.
   */
  @ParameterizedTest
  @EnumSource(Prober.Via.class)
  void frozenPooledConnectionFailsInTimeAndTheCheckRecoversWithThreadAndConnectionBack(
      Prober.Via via) {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (TcpRelay relay = TcpRelay.start(postgres.port());
        HikariDataSource pool = pool("jdbc:postgresql://127.0.0.1:" + relay.port() + "/postgres");
        HealthRegistry health =
            HealthRegistry.builder().meterRegistry(meters).cacheInterval(Duration.ZERO).build();
        Prober probe = new Prober(via, health)) {
      health.register(
          "postgres",
          HealthChecks.jdbc(pool),
          CheckOptions.critical().timeout(Duration.ofSeconds(1)));
      assertThat(probe.ready().httpStatus()).isEqualTo(200);

      relay.freezeOpenConnections();
      long begin = System.nanoTime();
      Prober.Answer frozen = probe.ready();
      long tookMs = (System.nanoTime() - begin) / 1_000_000;

      assertThat(tookMs).isLessThan(1400);
      assertThat(frozen.httpStatus()).isEqualTo(503);
      assertThat(frozen.check("postgres").output())
          .startsWith("SQLException: no answer from the database within")
          .contains("(network timeout)");
      assertThat(health.abandonedRuns("postgres")).isZero();
      await()
          .atMost(Duration.ofSeconds(2))
          .until(() -> pool.getHikariPoolMXBean().getActiveConnections() == 0);
      await().atMost(Duration.ofSeconds(5)).until(() -> probe.ready().httpStatus() == 200);
      assertThat(meters.get("health_check_abandoned_runs").gauge().value()).isZero();
    }
  }

  private static HikariDataSource pool(String jdbcUrl) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(postgres.user());
    config.setPassword(postgres.password());
    config.setMaximumPoolSize(1);
    config.setConnectionTimeout(1000);
    config.setValidationTimeout(500);
    config.setInitializationFailTimeout(-1);
    return new HikariDataSource(config);
  }

  private static CheckResult runCatching(HealthCheck check) {
    HealthRegistry registry =
        HealthRegistry.builder()
            .meterRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
            .build();
    try {
      registry.register("probe", check);
      return registry.check().checks().get("probe");
    } finally {
      registry.close();
    }
  }
}
