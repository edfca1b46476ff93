package com.aicompanion.monitoring.jdbc.internal;

import com.aicompanion.monitoring.Monitoring;
import com.aicompanion.monitoring.tracing.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import org.jspecify.annotations.Nullable;

/** Names monitoring-tracing's types; loaded only when {@link TracingLookup} found them. */
final class TracingComponent {
  private TracingComponent() {}

  static @Nullable OpenTelemetry openTelemetryOf(Monitoring monitoring) {
    try {
      return monitoring.get(Tracing.class).openTelemetry();
    } catch (IllegalStateException e) {
      return null; // tracing on the classpath but not running (tracing.enabled=false)
    }
  }
}
