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
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The one call on a real HikariCP pool over an in-memory H2 database. */
class JdbcInstrumentationH2Test {
  private Monitoring monitoring;
  private CapturedSpans spans;

  @BeforeEach
  void start() {
    monitoring =
        Monitoring.builder("jdbc-h2-test")
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .shutdownHook(false)
            .registerGlobal(false)
            .config("tracing.enabled", "false")
            .start();
    spans = CapturedSpans.install("jdbc-h2-test");
  }

  @AfterEach
  void stop() {
    spans.close();
    monitoring.close();
  }

  private static HikariDataSource lazyPool(String name) {
    HikariDataSource pool = new HikariDataSource(); // starts on the first getConnection()
    pool.setJdbcUrl("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    pool.setPoolName(name);
    pool.setMaximumPoolSize(2);
    return pool;
  }

  @Test
  @SuppressWarnings("try") // the scope is held, not read
  void statementsBecomeClientSpansUnderTheServerSpanWithSanitizedText() throws Exception {
    try (HikariDataSource pool = lazyPool("h2-spans")) {
      DataSource db = JdbcInstrumentation.wrap(pool, monitoring.monitor().registry(), otel());

      Span server =
          spans
              .tracing()
              .tracer()
              .spanBuilder("GET /users")
              .setSpanKind(SpanKind.SERVER)
              .startSpan();
      try (Scope ignored = server.makeCurrent();
          Connection c = db.getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE users (email VARCHAR(80), password VARCHAR(80))");
        s.execute("INSERT INTO users VALUES ('alice@example.com', 'hunter2-secret')");
        try (PreparedStatement p =
            c.prepareStatement("SELECT email FROM users WHERE password = ?")) {
          p.setString(1, "hunter2-secret");
          try (ResultSet rs = p.executeQuery()) {
            assertThat(rs.next()).isTrue();
          }
        }
      } finally {
        server.end();
      }

      List<SpanData> all = spans.spans();
      SpanData insert = withStatementContaining(all, "INSERT");
      SpanData select = withStatementContaining(all, "SELECT");
      assertThat(system(insert)).isEqualTo("h2");
      assertThat(namespace(insert)).isEqualTo("h2-spans");
      // literals written into the SQL text are replaced by the library, bind values never captured
      assertThat(statement(insert)).isEqualTo("INSERT INTO users VALUES (?, ?)");
      assertThat(statement(select)).isEqualTo("SELECT email FROM users WHERE password = ?");
      assertThat(select.getName()).isEqualTo("SELECT h2-spans.users");
      assertThat(clientSpans(all))
          .allSatisfy(
              span -> {
                assertThat(span.getAttributes().toString())
                    .doesNotContain("hunter2")
                    .doesNotContain("alice@");
                assertThat(span.getParentSpanId()).isEqualTo(server.getSpanContext().getSpanId());
                assertThat(span.getTraceId()).isEqualTo(server.getSpanContext().getTraceId());
              });
    }
  }

  @Test
  void aFailingStatementEndsItsSpanAsAnErrorWithTheException() throws Exception {
    try (HikariDataSource pool = lazyPool("h2-errors")) {
      DataSource db = JdbcInstrumentation.wrap(pool, monitoring.monitor().registry(), otel());

      try (Connection c = db.getConnection();
          Statement s = c.createStatement()) {
        assertThatThrownBy(() -> s.executeQuery("SELECT * FROM no_such_table WHERE id = 42"))
            .isInstanceOf(SQLException.class);
      }

      SpanData failed = withStatementContaining(spans.spans(), "no_such_table");
      assertThat(statement(failed)).isEqualTo("SELECT * FROM no_such_table WHERE id = ?");
      assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(failed.getEvents())
          .anySatisfy(
              e -> {
                assertThat(e.getName()).isEqualTo("exception");
                assertThat(e.getAttributes().toString()).contains("NO_SUCH_TABLE");
              });
    }
  }

  @Test
  void aPoolNotStartedYetReportsItsMetricsToTheMonitor() throws Exception {
    try (HikariDataSource pool = lazyPool("h2-lazy")) {
      DataSource db = JdbcInstrumentation.wrap(pool, monitoring.monitor().registry(), otel());
      try (Connection c = db.getConnection()) {
        assertThat(c.isValid(1)).isTrue();
        MetricsAssert.assertThat(monitoring)
            .gauge("hikaricp_connections_active")
            .withLabels("pool", "h2-lazy")
            .hasValue(1);
      }
      MetricsAssert metrics = MetricsAssert.assertThat(monitoring);
      metrics.gauge("hikaricp_connections_max").withLabels("pool", "h2-lazy").hasValue(2);
      metrics.gauge("hikaricp_connections_pending").withLabels("pool", "h2-lazy").hasValue(0);
      metrics.timer("hikaricp_connections_acquire_seconds").withLabels("pool", "h2-lazy");
      metrics.counter("hikaricp_connections_timeout_total").withLabels("pool", "h2-lazy");
      metrics.hasNoRefusals();
    }
  }

  @Test
  void aRunningPoolWithoutMetricsGetsThemOnce() throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:mem:h2-running;DB_CLOSE_DELAY=-1");
    config.setPoolName("h2-running");
    try (HikariDataSource pool = new HikariDataSource(config)) { // started by the constructor
      assertThat(pool.isRunning()).isTrue();

      JdbcInstrumentation.wrap(pool, monitoring.monitor().registry(), otel());

      MetricsAssert.assertThat(monitoring)
          .gauge("hikaricp_connections_max")
          .withLabels("pool", "h2-running")
          .hasValue(10);
    }
  }

  @Test
  void aPoolReportingToAnotherRegistryKeepsIt() throws Exception {
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    try (HikariDataSource pool = lazyPool("h2-elsewhere")) {
      pool.setMetricRegistry(other);

      DataSource db = JdbcInstrumentation.wrap(pool, monitoring.monitor().registry(), otel());
      try (Connection c = db.getConnection()) {
        assertThat(c.isValid(1)).isTrue();
      }

      assertThat(pool.getMetricRegistry()).isSameAs(other);
      assertThat(other.find("hikaricp.connections.max").gauge()).isNotNull();
      MetricsAssert.assertThat(monitoring).names().noneMatch(n -> n.startsWith("hikaricp_"));
    }
  }

  @Test
  void withoutOpenTelemetryThePoolIsReturnedAsItIsWithItsMetrics() throws Exception {
    try (HikariDataSource pool = lazyPool("h2-metrics-only")) {
      DataSource db = JdbcInstrumentation.wrap(pool, monitoring.monitor().registry(), null);
      // through the Monitoring: tracing.enabled=false publishes no Tracing, so no spans either
      DataSource viaMonitoring = JdbcInstrumentation.wrap(pool, monitoring);

      assertThat(db).isSameAs(pool);
      assertThat(viaMonitoring).isSameAs(pool);
      try (Connection c = db.getConnection();
          Statement s = c.createStatement()) {
        s.execute("SELECT 1");
      }
      assertThat(clientSpans(spans.spans())).isEmpty();
      MetricsAssert.assertThat(monitoring)
          .gauge("hikaricp_connections_max")
          .withLabels("pool", "h2-metrics-only")
          .hasValue(2);
    }
  }

  private io.opentelemetry.api.OpenTelemetry otel() {
    return spans.tracing().openTelemetry();
  }
}
