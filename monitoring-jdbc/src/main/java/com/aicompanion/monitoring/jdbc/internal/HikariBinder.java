package com.aicompanion.monitoring.jdbc.internal;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Names HikariCP's types; loaded only when {@link HikariPools} found HikariCP. */
final class HikariBinder {
  private static final Logger LOG = LoggerFactory.getLogger(HikariBinder.class);

  private HikariBinder() {}

  static void bind(DataSource dataSource, MeterRegistry registry) {
    HikariDataSource pool = unwrap(dataSource);
    if (pool == null) {
      return;
    }
    Object current = pool.getMetricRegistry();
    if (current == registry) {
      return;
    }
    if (current != null || pool.getMetricsTrackerFactory() != null) {
      // HikariCP takes one registry or tracker per pool, set once: ours cannot be added beside it
      LOG.info(
          "HikariCP pool {} already reports its metrics to {}; it keeps them there (HikariCP takes one metrics registry per pool, set once), so hikaricp_* for it are not on the monitoring registry",
          pool.getPoolName(),
          current != null ? current : pool.getMetricsTrackerFactory());
      return;
    }
    // before the pool starts, or once on a running pool (HikariCP 5+ hands it to the pool)
    pool.setMetricRegistry(registry);
  }

  private static HikariDataSource unwrap(DataSource dataSource) {
    if (dataSource instanceof HikariDataSource hikari) {
      return hikari;
    }
    try {
      // OpenTelemetry's wrapper (or another well-behaved wrapper) around a pool
      return dataSource.isWrapperFor(HikariDataSource.class)
          ? dataSource.unwrap(HikariDataSource.class)
          : null;
    } catch (SQLException | RuntimeException e) {
      return null;
    }
  }
}
