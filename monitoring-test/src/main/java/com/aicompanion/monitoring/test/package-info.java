/**
 * The test kit: AssertJ assertions on recorded metrics (read from the registry's Prometheus
 * snapshot, the names {@code /metrics} exposes), captured log events, captured spans and health
 * reports. Non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package com.aicompanion.monitoring.test;

import org.jspecify.annotations.NullMarked;
