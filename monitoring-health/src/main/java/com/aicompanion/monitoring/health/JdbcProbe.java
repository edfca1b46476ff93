package com.aicompanion.monitoring.health;

import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The JDBC check's query with its I/O bounded at socket level. {@code setQueryTimeout} alone asks
 * the server to cancel, which cannot free a connection whose packets are lost; {@link
 * Connection#setNetworkTimeout} makes the driver's socket read give up and close the connection.
 */
final class JdbcProbe {
  /** Drivers use the executor only to abort the connection; running that inline is enough. */
  private static final Executor INLINE = Runnable::run;

  private JdbcProbe() {}

  static void query(Connection connection, String query, Duration timeout) throws SQLException {
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    int previous = networkTimeout(connection, millis);
    try (Statement statement = connection.createStatement()) {
      statement.setQueryTimeout(Math.max(1, (millis + 999) / 1000));
      try (ResultSet rows = statement.executeQuery(query)) {
        rows.next();
      }
    } catch (SQLException e) {
      if (causedBySocketTimeout(e)) {
        throw new SQLException(
            "no answer from the database within "
                + millis
                + "ms (network timeout): "
                + e.getMessage(),
            e.getSQLState(),
            e);
      }
      throw e;
    } finally {
      restore(connection, previous);
    }
  }

  /** Sets the network timeout; returns the previous one, or -1 when the driver has none. */
  private static int networkTimeout(Connection connection, int millis) throws SQLException {
    try {
      int previous = connection.getNetworkTimeout();
      connection.setNetworkTimeout(INLINE, millis);
      return previous;
    } catch (SQLFeatureNotSupportedException | AbstractMethodError e) {
      return -1; // a pre-JDBC-4.1 driver: the query timeout and the registry's timeout remain
    }
  }

  private static void restore(Connection connection, int previous) {
    if (previous < 0) {
      return;
    }
    try {
      if (!connection.isClosed()) {
        connection.setNetworkTimeout(INLINE, previous);
      }
    } catch (SQLException e) {
      // the connection broke; the pool discards it
    }
  }

  private static boolean causedBySocketTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }
}
