package com.aicompanion.monitoring.jdbc.internal;

import com.aicompanion.monitoring.Monitoring;
import io.opentelemetry.api.OpenTelemetry;
import org.jspecify.annotations.Nullable;

/**
 * The OpenTelemetry of a running {@link Monitoring}, when monitoring-tracing (an optional
 * dependency) is on the classpath and published its {@code Tracing}; its types are named only in
 * {@link TracingComponent}, loaded after the check.
 */
public final class TracingLookup {
  private static final boolean PRESENT = present();

  private TracingLookup() {}

  /** The tracing module's OpenTelemetry, or {@code null} without one. */
  public static @Nullable OpenTelemetry openTelemetryOf(Monitoring monitoring) {
    return PRESENT ? TracingComponent.openTelemetryOf(monitoring) : null;
  }

  private static boolean present() {
    try {
      Class.forName(
          "com.aicompanion.monitoring.tracing.Tracing",
          false,
          TracingLookup.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
