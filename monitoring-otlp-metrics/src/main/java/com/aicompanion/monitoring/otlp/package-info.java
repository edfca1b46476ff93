/**
 * The API of monitoring-otlp-metrics: its configuration keys, {@link
 * com.aicompanion.monitoring.otlp.OtlpMetricsKeys}. The module itself starts through the {@code
 * MonitoringModule} SPI when {@code metrics.export} is {@code otlp} or {@code both}.
 *
 * <p>Nullness: JSpecify {@code NullMarked}. Implementation lives in {@code
 * com.aicompanion.monitoring.otlp.internal}, which is not API.
 */
@NullMarked
package com.aicompanion.monitoring.otlp;

import org.jspecify.annotations.NullMarked;
