/**
 * The API of monitoring-core: {@link com.aicompanion.monitoring.Monitoring}, the {@link
 * com.aicompanion.monitoring.Monitor} facade, the metric families and the {@link
 * com.aicompanion.monitoring.MonitoringModule} SPI.
 *
 * <p>Nullness: the package is JSpecify {@code NullMarked}: parameters, return values and fields are
 * non-null unless annotated {@link org.jspecify.annotations.Nullable}. Implementation lives in
 * {@code com.aicompanion.monitoring.internal}, which is not API: its public classes serve other
 * packages of the same module and may change in any release.
 */
@NullMarked
package com.aicompanion.monitoring;

import org.jspecify.annotations.NullMarked;
