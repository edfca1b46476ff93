package com.aicompanion.monitoring.http.internal;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The OpenTelemetry an instrumentation uses and the {@link Instrumenter} built on it: the one given
 * to the builder, else the global one as {@code Spans} finds it ({@code GlobalOpenTelemetry}, which
 * the monitoring-tracing {@code Tracing} switches on install and close), read without fixing it.
 * The instrumenter is rebuilt only when that instance changes; none while it is the no-op, so that
 * a service without tracing pays for metrics only.
 *
 * <pre>{@code
 * Telemetry<Call, Integer> t = new Telemetry<>(null, otel -> ServerInstrumenter.create(otel));
 * Instrumenter<Call, Integer> i = t.instrumenter();   // null: no tracing
 * }</pre>
 */
public final class Telemetry<Q, R> {
  /** The instrumentation scope name of the spans. */
  public static final String SCOPE = "com.aicompanion.monitoring.http";

  private record Built<Q, R>(OpenTelemetry otel, @Nullable Instrumenter<Q, R> instrumenter) {}

  private final @Nullable OpenTelemetry fixed;
  private final Function<OpenTelemetry, Instrumenter<Q, R>> factory;
  private volatile @Nullable Built<Q, R> built;

  public Telemetry(
      @Nullable OpenTelemetry fixed, Function<OpenTelemetry, Instrumenter<Q, R>> factory) {
    this.fixed = fixed;
    this.factory = factory;
  }

  /** The current instrumenter, or null when the OpenTelemetry in use is the no-op. */
  public @Nullable Instrumenter<Q, R> instrumenter() {
    OpenTelemetry otel = fixed != null ? fixed : GlobalOpenTelemetry.getOrNoop();
    Built<Q, R> b = built;
    if (b == null || b.otel != otel) {
      b =
          new Built<>(
              otel, otel.getTracerProvider() == TracerProvider.noop() ? null : factory.apply(otel));
      built = b;
    }
    return b.instrumenter;
  }

  /** The OpenTelemetry behind {@link #instrumenter()}, for propagation. */
  public OpenTelemetry openTelemetry() {
    Built<Q, R> b = built;
    return b != null ? b.otel : fixed != null ? fixed : GlobalOpenTelemetry.getOrNoop();
  }
}
