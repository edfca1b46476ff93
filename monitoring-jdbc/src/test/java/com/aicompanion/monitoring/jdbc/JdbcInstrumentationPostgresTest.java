package com.aicompanion.monitoring.jdbc;

import static com.aicompanion.monitoring.jdbc.JdbcSpans.clientSpans;
import static com.aicompanion.monitoring.jdbc.JdbcSpans.namespace;
import static com.aicompanion.monitoring.jdbc.JdbcSpans.statement;
import static com.aicompanion.monitoring.jdbc.JdbcSpans.system;
import static com.aicompanion.monitoring.jdbc.JdbcSpans.withStatementContaining;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicompanion.monitoring.Monitoring;
import com.aicompanion.monitoring.test.CapturedSpans;
import com.aicompanion.monitoring.test.MetricsAssert;
import com.aicompanion.monitoring.testsupport.PostgresServer;
import com.zaxxer.hikari.HikariDataSource;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one call on a real HikariCP pool over a real PostgreSQL (from the Debian packages, started by
 * the test; fails, not skips, under CI=true when it is missing).
 */
class JdbcInstrumentationPostgresTest {
  private static PostgresServer postgres;

  @BeforeAll
  static void startPostgres() {
    postgres = PostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  @SuppressWarnings("try") // the scope is held, not read
  void statementsErrorsAndPoolMetricsOnPostgres() throws Exception {
    try (Monitoring monitoring =
            Monitoring.builder("jdbc-pg-test")
                .metricsHost("127.0.0.1")
                .metricsPort(0)
                .shutdownHook(false)
                .registerGlobal(false)
                .config("tracing.enabled", "false")
                .start();
        CapturedSpans spans = CapturedSpans.install("jdbc-pg-test");
        HikariDataSource pool = new HikariDataSource()) {
      pool.setJdbcUrl(postgres.jdbcUrl());
      pool.setUsername(postgres.user());
      pool.setPassword(postgres.password());
      pool.setPoolName("pg-pool");
      pool.setMaximumPoolSize(3);
      DataSource db =
          JdbcInstrumentation.wrap(
              pool, monitoring.monitor().registry(), spans.tracing().openTelemetry());

      Span server =
          spans
              .tracing()
              .tracer()
              .spanBuilder("POST /accounts")
              .setSpanKind(SpanKind.SERVER)
              .startSpan();
      try (Scope ignored = server.makeCurrent();
          Connection c = db.getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS accounts (email TEXT, api_key TEXT, age INT)");
        s.executeUpdate(
            "INSERT INTO accounts VALUES ('bob@example.com', 'sk-live-9f8e7d6c5b4a', 41)");
        try (PreparedStatement p = c.prepareStatement("DELETE FROM accounts WHERE api_key = ?")) {
          p.setString(1, "sk-live-9f8e7d6c5b4a");
          assertThat(p.executeUpdate()).isEqualTo(1);
        }
        assertThatThrownBy(() -> s.executeQuery("SELECT missing_column FROM accounts"))
            .isInstanceOf(SQLException.class);
      } finally {
        server.end();
      }

      List<SpanData> all = spans.spans();
      SpanData insert = withStatementContaining(all, "INSERT");
      assertThat(system(insert)).isEqualTo("postgresql");
      assertThat(namespace(insert)).isEqualTo(databaseOf(postgres.jdbcUrl()));
      assertThat(insert.getAttributes().get(AttributeKey.stringKey("server.address")))
          .isIn("127.0.0.1", "localhost");
      assertThat(statement(insert)).isEqualTo("INSERT INTO accounts VALUES (?, ?, ?)");
      assertThat(statement(withStatementContaining(all, "DELETE")))
          .isEqualTo("DELETE FROM accounts WHERE api_key = ?");
      SpanData failed = withStatementContaining(all, "missing_column");
      assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(failed.getEvents()).anyMatch(e -> e.getName().equals("exception"));
      assertThat(clientSpans(all))
          .hasSizeGreaterThanOrEqualTo(4)
          .allSatisfy(
              span -> {
                assertThat(span.getParentSpanId()).isEqualTo(server.getSpanContext().getSpanId());
                assertThat(span.getAttributes().toString())
                    .doesNotContain("sk-live")
                    .doesNotContain("bob@")
                    .doesNotContain(postgres.password());
              });

      MetricsAssert metrics = MetricsAssert.assertThat(monitoring);
      metrics.gauge("hikaricp_connections_max").withLabels("pool", "pg-pool").hasValue(3);
      metrics.gauge("hikaricp_connections_active").withLabels("pool", "pg-pool").hasValue(0);
      metrics.gauge("hikaricp_connections_idle").withLabels("pool", "pg-pool");
      metrics.timer("hikaricp_connections_acquire_seconds").withLabels("pool", "pg-pool");
      metrics.timer("hikaricp_connections_usage_seconds").withLabels("pool", "pg-pool");
      metrics.hasNoRefusals();
    }
  }

  /** {@code jdbc:postgresql://host:port/db?x=y} -> {@code db}. */
  private static String databaseOf(String jdbcUrl) {
    String path = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1);
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }
}
