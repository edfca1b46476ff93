/**
 * The API of monitoring-logging: {@link com.aicompanion.monitoring.logging.JsonLogging}, {@link
 * com.aicompanion.monitoring.logging.SentrySetup} and the Logback components for a {@code
 * logback.xml}.
 *
 * <p>Nullness: the package is JSpecify {@code NullMarked}: parameters, return values and fields are
 * non-null unless annotated {@link org.jspecify.annotations.Nullable}. Implementation lives in
 * {@code com.aicompanion.monitoring.logging.internal}, which is not API: its public classes serve
 * other packages of the same module and may change in any release.
 */
@NullMarked
package com.aicompanion.monitoring.logging;

import org.jspecify.annotations.NullMarked;
