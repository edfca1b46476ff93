/**
 * The API of monitoring-health: {@link com.aicompanion.monitoring.health.HealthRegistry}, its
 * checks and endpoints, and {@link com.aicompanion.monitoring.health.AlertNotifier}.
 *
 * <p>Nullness: the package is JSpecify {@code NullMarked}: parameters, return values and fields are
 * non-null unless annotated {@link org.jspecify.annotations.Nullable}. Implementation lives in
 * {@code com.aicompanion.monitoring.health.internal}, which is not API: its public classes serve
 * other packages of the same module and may change in any release.
 */
@NullMarked
package com.aicompanion.monitoring.health;

import org.jspecify.annotations.NullMarked;
