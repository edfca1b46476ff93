package com.aicompanion.monitoring.http.internal;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The OpenTelemetry an instrumentation uses and the {@link Instrumenter} built on it: the one given
 * to the builder, else {@code GlobalOpenTelemetry} (the monitoring-tracing {@code Tracing}
 * registers one delegating instance there and switches what it forwards to on install and close; or
 * the Java agent's), read without fixing it. Unlike {@code Spans}, it does not see a {@code
 * Tracing} that could not become the global (an early {@code GlobalOpenTelemetry.get()} fixed the
 * no-op, or {@code registerGlobal(false)}): give that one to the builder. The instrumenter is
 * rebuilt only when that instance changes; none while it is the no-op, so that a service without
 * tracing pays for metrics only.
 *
 * <p>Reading the global takes {@code GlobalOpenTelemetry}'s lock ({@code getOrNoop} is
 * synchronized), which every request would otherwise contend for. Since OpenTelemetry lets the
 * global be set once per JVM, the global, once set, is kept for good ({@code
 * GlobalOpenTelemetry.resetForTest()} is not followed; a no-op set by an early {@code get()} is
 * kept too, wrapped as OpenTelemetry wraps whatever is set); only while the global is unset is it
 * read again on each call, so that tracing installed later is seen at once.
 *
 * <pre>{@code
 * Telemetry<Call, Integer> t = new Telemetry<>(null, otel -> ServerInstrumenter.create(otel));
 * Instrumenter<Call, Integer> i = t.instrumenter();   // null: no tracing
 * }</pre>
 */
public final class Telemetry<Q, R> {
  /** The instrumentation scope name of the spans. */
  public static final String SCOPE = "com.aicompanion.monitoring.http";

  /**
   * @param settled whether {@code otel} can no longer change: given to the builder, or a set global
   *     ({@code getOrNoop} answers the bare no-op only while none is set)
   */
  private record Built<Q, R>(
      OpenTelemetry otel, @Nullable Instrumenter<Q, R> instrumenter, boolean settled) {}

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
    Built<Q, R> b = built;
    if (b != null && b.settled) {
      return b.instrumenter;
    }
    OpenTelemetry otel = fixed != null ? fixed : GlobalOpenTelemetry.getOrNoop();
    if (b != null && b.otel == otel) {
      return b.instrumenter;
    }
    return rebuild(otel).instrumenter;
  }

  /**
   * Builds for {@code otel} unless another thread already has: one build per change, and a settled
   * instance is never replaced (a thread that read the unset global just before it was set must not
   * put the no-op back).
   */
  private synchronized Built<Q, R> rebuild(OpenTelemetry otel) {
    Built<Q, R> b = built;
    if (b != null && (b.settled || b.otel == otel)) {
      return b;
    }
    b =
        new Built<>(
            otel,
            otel.getTracerProvider() == TracerProvider.noop() ? null : factory.apply(otel),
            fixed != null || otel != OpenTelemetry.noop());
    built = b;
    return b;
  }

  /** The OpenTelemetry behind {@link #instrumenter()}, for propagation. */
  public OpenTelemetry openTelemetry() {
    Built<Q, R> b = built;
    return b != null ? b.otel : fixed != null ? fixed : GlobalOpenTelemetry.getOrNoop();
  }
}
