/**
 * The API of monitoring-http: {@link com.aicompanion.monitoring.http.HttpServerInstrumentation}
 * (JDK HTTP server), {@link com.aicompanion.monitoring.http.ServletInstrumentation} (Jakarta
 * Servlet) and {@link com.aicompanion.monitoring.http.HttpClientInstrumentation} ({@code
 * java.net.http}), with {@link com.aicompanion.monitoring.http.RouteResolver}.
 *
 * <p>Nullness: the package is JSpecify {@code NullMarked}: parameters, return values and fields are
 * non-null unless annotated {@link org.jspecify.annotations.Nullable}. Implementation lives in
 * {@code com.aicompanion.monitoring.http.internal}, which is not API: its public classes serve
 * other packages of the same module and may change in any release.
 */
@NullMarked
package com.aicompanion.monitoring.http;

import org.jspecify.annotations.NullMarked;
