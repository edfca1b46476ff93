package com.aicompanion.monitoring.jdbc.internal;

import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;

/**
 * Binds a HikariCP pool's metrics to a registry when HikariCP is on the classpath; the HikariCP
 * types are named only in {@link HikariBinder}, loaded after the check.
 */
public final class HikariPools {
  private static final boolean PRESENT = present();

  private HikariPools() {}

  /** Binds {@code dataSource}'s pool metrics if it is a HikariCP pool; otherwise does nothing. */
  public static void bindMetrics(DataSource dataSource, MeterRegistry registry) {
    if (PRESENT) {
      HikariBinder.bind(dataSource, registry);
    }
  }

  private static boolean present() {
    try {
      Class.forName(
          "com.zaxxer.hikari.HikariDataSource", false, HikariPools.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
