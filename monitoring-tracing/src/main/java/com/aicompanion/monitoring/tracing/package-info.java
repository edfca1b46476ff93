/**
 * The API of monitoring-tracing: {@link com.aicompanion.monitoring.tracing.Tracing} and the {@link
 * com.aicompanion.monitoring.tracing.Spans} helpers.
 *
 * <p>Nullness: the package is JSpecify {@code NullMarked}: parameters, return values and fields are
 * non-null unless annotated {@link org.jspecify.annotations.Nullable}. Implementation lives in
 * {@code com.aicompanion.monitoring.tracing.internal}, which is not API: its public classes serve
 * other packages of the same module and may change in any release.
 */
@NullMarked
package com.aicompanion.monitoring.tracing;

import org.jspecify.annotations.NullMarked;
