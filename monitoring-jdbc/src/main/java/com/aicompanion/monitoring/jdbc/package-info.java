/**
 * The API of monitoring-jdbc: {@link com.aicompanion.monitoring.jdbc.JdbcInstrumentation}, one call
 * that gives a {@link javax.sql.DataSource} client spans and HikariCP pool metrics.
 *
 * <p>Nullness: the package is JSpecify {@code NullMarked}: parameters, return values and fields are
 * non-null unless annotated {@link org.jspecify.annotations.Nullable}. Implementation lives in
 * {@code com.aicompanion.monitoring.jdbc.internal}, which is not API: its public classes serve
 * other packages of the same module and may change in any release.
 */
@NullMarked
package com.aicompanion.monitoring.jdbc;

import org.jspecify.annotations.NullMarked;
