package com.aicompanion.monitoring.http.internal;

import com.aicompanion.monitoring.HttpServerMetrics;
import com.aicompanion.monitoring.Monitor;
import com.aicompanion.monitoring.http.RouteResolver;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The life of one server request, shared by the JDK and the servlet filter: the SERVER span made
 * current (continuing the caller's {@code traceparent}), the MDC fields of the request's log lines,
 * and {@code http_server_requests_seconds} recorded inside the span so that its bucket keeps the
 * trace as an exemplar.
 *
 * <pre>{@code
 * ServerRequests.Handle h = requests.start(call);
 * try { chain.doFilter(exchange); } finally { requests.finish(h, status, error); requests.detach(h); }
 * }</pre>
 *
 * <p>Never throws into the request: a failing resolver or OpenTelemetry is logged once and the
 * request goes on without a route or a span.
 */
@SuppressWarnings("try") // the scope is closed by try-with-resources; its name is never used
public final class ServerRequests {
  private static final Logger LOG = LoggerFactory.getLogger("com.aicompanion.monitoring.http");

  /** MDC keys: the ECS names the logging module writes as fields. */
  static final String TRACE_ID = "trace.id";

  static final String SPAN_ID = "span.id";
  static final String METHOD = "http.request.method";
  static final String PATH = "url.path";

  private final Monitor monitor;
  private final Telemetry<ServerCall, Integer> telemetry;
  private final AtomicBoolean resolverWarned = new AtomicBoolean();
  private final AtomicBoolean tracingWarned = new AtomicBoolean();

  public ServerRequests(Monitor monitor, @Nullable OpenTelemetry openTelemetry) {
    this.monitor = monitor;
    this.telemetry = new Telemetry<>(openTelemetry, ServerInstrumenter::create);
  }

  /** One request in flight; used by one thread at a time. */
  public static final class Handle {
    final long start;
    final ServerCall call;
    @Nullable Instrumenter<ServerCall, Integer> instrumenter;
    @Nullable Context context;
    @Nullable Scope scope;
    final @Nullable String[] mdc = new String[4];

    Handle(long start, ServerCall call) {
      this.start = start;
      this.call = call;
    }
  }

  /** The route of {@code path}, or null; a resolver that throws counts as no match. */
  public @Nullable String route(RouteResolver resolver, String path) {
    try {
      return resolver.route(path);
    } catch (RuntimeException e) {
      if (resolverWarned.compareAndSet(false, true)) {
        LOG.warn(
            "The route resolver {} threw for path {}: such requests are recorded as matching no"
                + " route (logged once)",
            resolver,
            path,
            e);
      }
      return null;
    }
  }

  /** Starts the span, makes it current and fills the MDC; call on the request's thread. */
  public Handle start(long startNanos, ServerCall call) {
    Handle h = new Handle(startNanos, call);
    try {
      Instrumenter<ServerCall, Integer> instrumenter = telemetry.instrumenter();
      if (instrumenter != null) {
        Context parent = Context.current();
        if (instrumenter.shouldStart(parent, call)) {
          h.context = instrumenter.start(parent, call);
          h.instrumenter = instrumenter;
          h.scope = h.context.makeCurrent();
        }
      }
    } catch (RuntimeException | LinkageError e) {
      tracingFailed(e);
    }
    h.mdc[0] = swap(METHOD, call.method);
    h.mdc[1] = swap(PATH, call.path);
    SpanContext span = Span.current().getSpanContext();
    if (span.isValid()) {
      h.mdc[2] = swap(TRACE_ID, span.getTraceId());
      h.mdc[3] = swap(SPAN_ID, span.getSpanId());
    } else {
      h.mdc[2] = MDC.get(TRACE_ID);
      h.mdc[3] = MDC.get(SPAN_ID);
    }
    return h;
  }

  /**
   * Records the request and ends its span. Call before {@link #detach}, while the span is current
   * on this thread, so that the histogram keeps the trace as an exemplar.
   *
   * @param status the status for the metrics, or {@link HttpServerMetrics#NO_RESPONSE}
   * @param sent whether that status reached the client (else the span has none, and OpenTelemetry
   *     takes the exception's type as its {@code error.type})
   * @param error what the handler threw, or null
   */
  public void finish(Handle h, long endNanos, int status, boolean sent, @Nullable Throwable error) {
    monitor
        .http()
        .record(
            h.call.method,
            h.call.route,
            status,
            error == null ? null : error.getClass().getName(),
            endNanos - h.start,
            TimeUnit.NANOSECONDS);
    Instrumenter<ServerCall, Integer> instrumenter = h.instrumenter;
    Context context = h.context;
    if (instrumenter != null && context != null) {
      try {
        instrumenter.end(
            context,
            h.call,
            !sent || status == HttpServerMetrics.NO_RESPONSE ? null : status,
            error);
      } catch (RuntimeException | LinkageError e) {
        tracingFailed(e);
      }
    }
  }

  /** As {@link #finish}, from another thread (an async servlet's completion). */
  public void finishElsewhere(Handle h, long endNanos, int status, @Nullable Throwable error) {
    Context context = h.context;
    if (context == null) {
      finish(h, endNanos, status, true, error);
      return;
    }
    try (Scope ignored = context.makeCurrent()) {
      finish(h, endNanos, status, true, error);
    }
  }

  /** Closes the span's scope and gives the MDC its earlier values; on the request's thread. */
  public void detach(Handle h) {
    Scope scope = h.scope;
    if (scope != null) {
      h.scope = null;
      scope.close();
    }
    restore(METHOD, h.mdc[0]);
    restore(PATH, h.mdc[1]);
    restore(TRACE_ID, h.mdc[2]);
    restore(SPAN_ID, h.mdc[3]);
  }

  private static @Nullable String swap(String key, String value) {
    String before = MDC.get(key);
    MDC.put(key, value);
    return before;
  }

  private static void restore(String key, @Nullable String before) {
    if (before == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, before);
    }
  }

  private void tracingFailed(Throwable e) {
    if (tracingWarned.compareAndSet(false, true)) {
      LOG.warn(
          "OpenTelemetry failed in the HTTP server instrumentation: requests go on without a"
              + " span where it fails, metrics are still recorded (logged once)",
          e);
    }
  }
}
