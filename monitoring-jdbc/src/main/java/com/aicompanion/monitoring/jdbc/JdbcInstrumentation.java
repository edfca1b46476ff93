package com.aicompanion.monitoring.jdbc;

import com.aicompanion.monitoring.Monitoring;
import com.aicompanion.monitoring.jdbc.internal.HikariPools;
import com.aicompanion.monitoring.jdbc.internal.TracingLookup;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.jdbc.datasource.JdbcTelemetry;
import io.opentelemetry.instrumentation.jdbc.datasource.OpenTelemetryDataSource;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call that instruments a {@link DataSource}: a CLIENT span per statement through
 * OpenTelemetry's JDBC instrumentation library ({@code io.opentelemetry.instrumentation:
 * opentelemetry-jdbc}), and, when it is a HikariCP pool, the pool's metrics ({@code
 * hikaricp_connections_active}, {@code _idle}, {@code _pending}, {@code _max}, {@code
 * hikaricp_connections_acquire_seconds}, {@code hikaricp_connections_timeout_total}, ... with label
 * {@code pool}) through HikariCP's own Micrometer tracker.
 *
 * <pre>{@code
 * HikariConfig config = new HikariConfig();
 * config.setJdbcUrl("jdbc:postgresql://db:5432/chat");
 * config.setPoolName("chat-db");
 * HikariDataSource pool = new HikariDataSource(config);
 * DataSource db = JdbcInstrumentation.wrap(pool, monitoring); // use db; close pool at the end
 * }</pre>
 *
 * <p><b>Spans.</b> Each statement gets a CLIENT span named after the operation and the table
 * ({@code SELECT chat.messages}), a child of the current span (e.g. the request's SERVER span),
 * with the attributes of OpenTelemetry's database semantic conventions: {@code db.system}, {@code
 * db.statement} (or {@code db.query.text} with the stable database conventions opted in through
 * {@code otel.semconv-stability.opt-in=database}), {@code db.name}/{@code db.namespace}, {@code
 * db.operation}, {@code server.address}, {@code server.port}. The statement text is always
 * <em>sanitized</em> by the library: literals become {@code ?}, so values written into the SQL text
 * (passwords, e-mail addresses) never reach a span, and bind parameters are not captured. A
 * statement that throws ends its span with status ERROR and the exception recorded.
 *
 * <p><b>Pool metrics.</b> HikariCP reports to one metrics registry per pool, set once. {@code wrap}
 * gives the pool the monitor's registry when the pool has none yet, whether or not it has started
 * (HikariCP 5 and later accept the registry once on a running pool too). A pool that already
 * reports elsewhere (another {@code MeterRegistry}, a Dropwizard registry or a {@code
 * MetricsTrackerFactory}) is left as it is, with one INFO line saying so; the same registry set
 * before is fine. Another {@code DataSource} gets spans only.
 *
 * <p><b>Without monitoring-tracing</b> (or with {@code tracing.enabled=false}) there is no
 * OpenTelemetry to record spans with: {@code wrap} binds the pool metrics and returns the {@code
 * DataSource} it was given, unwrapped, so that nothing costs anything per statement.
 *
 * <p>Close the pool itself (or the returned {@code DataSource}, which is {@link AutoCloseable} when
 * wrapped and closes the pool) when the application stops.
 */
public final class JdbcInstrumentation {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcInstrumentation.class);

  private JdbcInstrumentation() {}

  /**
   * Instruments {@code dataSource} with the metrics registry of {@code monitoring} and, when
   * monitoring-tracing runs in it, its OpenTelemetry.
   *
   * @param dataSource the pool or plain {@code DataSource} the application uses; not {@code null}
   * @param monitoring a started {@link Monitoring}; not {@code null}
   * @return a {@code DataSource} that records a span per statement, or {@code dataSource} itself
   *     when there is no tracing (pool metrics only)
   * @throws NullPointerException when an argument is {@code null}
   */
  public static DataSource wrap(DataSource dataSource, Monitoring monitoring) {
    Objects.requireNonNull(monitoring, "monitoring");
    return wrap(
        dataSource, monitoring.monitor().registry(), TracingLookup.openTelemetryOf(monitoring));
  }

  /**
   * Instruments {@code dataSource} without a {@link Monitoring}: pool metrics on {@code registry}
   * and spans through {@code openTelemetry} (e.g. {@code Tracing.openTelemetry()}).
   *
   * @param dataSource the pool or plain {@code DataSource}; not {@code null}
   * @param registry where a HikariCP pool reports its metrics; not {@code null}
   * @param openTelemetry the spans' OpenTelemetry; {@code null} for pool metrics only (then {@code
   *     dataSource} itself is returned)
   * @return the instrumented {@code DataSource}, or {@code dataSource} without {@code
   *     openTelemetry}
   * @throws NullPointerException when {@code dataSource} or {@code registry} is {@code null}
   */
  public static DataSource wrap(
      DataSource dataSource, MeterRegistry registry, @Nullable OpenTelemetry openTelemetry) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(registry, "registry");
    HikariPools.bindMetrics(dataSource, registry);
    if (openTelemetry == null) {
      LOG.debug("no OpenTelemetry: {} gets pool metrics only, no spans", dataSource);
      return dataSource;
    }
    if (dataSource instanceof OpenTelemetryDataSource) {
      return dataSource; // wrapped before: a second wrapper would record every statement twice
    }
    return JdbcTelemetry.builder(openTelemetry)
        // both are the library's defaults today; set here because they are our promise
        .setQuerySanitizationEnabled(true)
        .setCaptureQueryParameters(false)
        .build()
        .wrap(dataSource);
  }
}
