package com.aicompanion.monitoring.tracing.internal;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerBuilder;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Collection;

/**
 * The one {@link OpenTelemetry} the library registers with {@link GlobalOpenTelemetry}, at most
 * once per JVM (OpenTelemetry allows one {@code set} per JVM). It forwards to the SDK of the {@code
 * Tracing} that currently holds the global slot and to the no-op when none does, so that each
 * install and close switches it instead of resetting the global. Tracers handed out earlier (an
 * instrumentation library keeps them in static fields) follow the switch too.
 *
 * <pre>{@code
 * SwitchableOpenTelemetry global = SwitchableOpenTelemetry.instance();
 * global.registerIfFree();      // false when someone else set the global first
 * global.switchTo(sdk);         // on install
 * global.switchTo(OpenTelemetry.noop());   // on close
 * }</pre>
 *
 * <p>Only traces and propagation are forwarded: the library owns no OpenTelemetry metrics or logs,
 * so those stay the no-op.
 */
public final class SwitchableOpenTelemetry implements OpenTelemetry {
  private static final SwitchableOpenTelemetry INSTANCE = new SwitchableOpenTelemetry();

  private record Current(OpenTelemetry delegate, long generation) {}

  private volatile Current current = new Current(OpenTelemetry.noop(), 0);
  private final SwitchingTracerProvider tracerProvider = new SwitchingTracerProvider();
  private final ContextPropagators propagators = new SwitchingPropagators();

  private SwitchableOpenTelemetry() {}

  /** The one instance of this JVM (per class loader). */
  public static SwitchableOpenTelemetry instance() {
    return INSTANCE;
  }

  /**
   * Registers this instance as the global OpenTelemetry unless something already is.
   *
   * @return whether the global is this instance afterwards (true also when it already was); false
   *     when another OpenTelemetry (the Java agent, the application, or the no-op that an early
   *     {@code GlobalOpenTelemetry.get()} fixed) holds it, which is then left alone
   */
  public synchronized boolean registerIfFree() {
    if (!GlobalOpenTelemetry.isSet()) {
      try {
        GlobalOpenTelemetry.set(this);
      } catch (IllegalStateException raceLost) {
        // someone set it between isSet() and set(): theirs stays
      }
    }
    return isGlobal();
  }

  /** Whether {@link GlobalOpenTelemetry} answers with this instance (it wraps what it holds). */
  public boolean isGlobal() {
    return GlobalOpenTelemetry.isSet() && GlobalOpenTelemetry.getTracerProvider() == tracerProvider;
  }

  /** Forwards from now on to {@code delegate}; {@code OpenTelemetry.noop()} when none is open. */
  public synchronized void switchTo(OpenTelemetry delegate) {
    current = new Current(delegate, current.generation + 1);
  }

  /** What this instance forwards to now. */
  public OpenTelemetry delegate() {
    return current.delegate;
  }

  @Override
  public TracerProvider getTracerProvider() {
    return tracerProvider;
  }

  @Override
  public ContextPropagators getPropagators() {
    return propagators;
  }

  @Override
  public String toString() {
    return "SwitchableOpenTelemetry{delegate=" + current.delegate + "}";
  }

  private final class SwitchingTracerProvider implements TracerProvider {
    @Override
    public Tracer get(String instrumentationScopeName) {
      return new SwitchingTracer(instrumentationScopeName, null, null);
    }

    @Override
    public Tracer get(String instrumentationScopeName, String instrumentationScopeVersion) {
      return new SwitchingTracer(instrumentationScopeName, instrumentationScopeVersion, null);
    }

    @Override
    public TracerBuilder tracerBuilder(String instrumentationScopeName) {
      return new SwitchingTracerBuilder(instrumentationScopeName);
    }
  }

  private final class SwitchingTracerBuilder implements TracerBuilder {
    private final String name;
    private String version;
    private String schemaUrl;

    SwitchingTracerBuilder(String name) {
      this.name = name;
    }

    @Override
    public TracerBuilder setSchemaUrl(String schemaUrl) {
      this.schemaUrl = schemaUrl;
      return this;
    }

    @Override
    public TracerBuilder setInstrumentationVersion(String version) {
      this.version = version;
      return this;
    }

    @Override
    public Tracer build() {
      return new SwitchingTracer(name, version, schemaUrl);
    }
  }

  /** Asks the current delegate for its tracer once per switch. */
  private final class SwitchingTracer implements Tracer {
    private final String name;
    private final String version;
    private final String schemaUrl;
    private volatile Bound bound = new Bound(null, -1);

    private record Bound(Tracer tracer, long generation) {}

    SwitchingTracer(String name, String version, String schemaUrl) {
      this.name = name;
      this.version = version;
      this.schemaUrl = schemaUrl;
    }

    private Tracer tracer() {
      Current now = current;
      Bound b = bound;
      if (b.generation != now.generation) {
        TracerBuilder builder = now.delegate.getTracerProvider().tracerBuilder(name);
        if (version != null) {
          builder.setInstrumentationVersion(version);
        }
        if (schemaUrl != null) {
          builder.setSchemaUrl(schemaUrl);
        }
        b = new Bound(builder.build(), now.generation);
        bound = b;
      }
      return b.tracer;
    }

    @Override
    public SpanBuilder spanBuilder(String spanName) {
      return tracer().spanBuilder(spanName);
    }

    @Override
    public boolean isEnabled() {
      return tracer().isEnabled();
    }
  }

  private final class SwitchingPropagators implements ContextPropagators {
    private final TextMapPropagator propagator =
        new TextMapPropagator() {
          @Override
          public Collection<String> fields() {
            return delegate().fields();
          }

          @Override
          public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
            delegate().inject(context, carrier, setter);
          }

          @Override
          public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
            return delegate().extract(context, carrier, getter);
          }

          private TextMapPropagator delegate() {
            return current.delegate.getPropagators().getTextMapPropagator();
          }
        };

    @Override
    public TextMapPropagator getTextMapPropagator() {
      return propagator;
    }
  }
}
