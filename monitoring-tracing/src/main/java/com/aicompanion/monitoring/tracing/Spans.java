package com.aicompanion.monitoring.tracing;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Span helpers over the global tracing: the {@link Tracing} installed with {@code
 * registerGlobal(true)} (the default) until its close, else {@code GlobalOpenTelemetry} (e.g. the
 * Java agent's). Run work in a span that records exceptions and status, add attributes, and carry
 * the trace across HTTP.
 *
 * <pre>{@code
 * History h = Spans.inSpan("load-history", () -> repo.load(id));
 * Spans.attribute("conversation.id", id);
 *
 * HttpRequest.Builder out = HttpRequest.newBuilder(uri);
 * Spans.inject(out);                                            // traceparent, baggage
 *
 * Spans.inServerSpan("POST /chat", exchange.getRequestHeaders(), () -> handle(exchange));
 *
 * ExecutorService pool = Spans.wrap(Executors.newFixedThreadPool(4)); // tasks keep the trace
 * CompletableFuture.supplyAsync(() -> repo.load(id), Spans.currentContextExecutor(pool))
 *     .thenApplyAsync(this::summarize, Spans.currentContextExecutor(pool));
 * }</pre>
 *
 * <p><b>Context across threads.</b> The trace (and baggage) is carried by OpenTelemetry's {@link
 * Context}, which lives on one thread; {@link #wrap(ExecutorService)} and its overloads hand each
 * task the context current where it was submitted (OpenTelemetry's {@link Context#taskWrapping}),
 * so spans opened in the task are children of the submitting span and its log lines carry the same
 * {@code trace.id} (the logging module reads the current span when a line is logged).
 *
 * <p>An exception thrown by the work is recorded as an {@code exception} event with status ERROR
 * and {@code error.type}, then rethrown unchanged. Without tracing installed every helper still
 * runs the work, with no-op spans.
 *
 * <p>{@code GlobalOpenTelemetry} is read under its lock ({@code getOrNoop} is synchronized), so the
 * global, once set, is kept (OpenTelemetry allows one {@code set} per JVM; {@code resetForTest()}
 * is not followed); while none is set it is read on every call, so that one set later is seen at
 * once.
 */
@SuppressWarnings("try") // the scope is closed by try-with-resources; its name is never used
public final class Spans {
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private static final TextMapGetter<Map<String, String>> MAP_GETTER =
      new TextMapGetter<>() {
        @Override
        public String get(Map<String, String> carrier, String key) {
          if (carrier == null) {
            return null;
          }
          String value = carrier.get(key);
          if (value != null) {
            return value;
          }
          for (Map.Entry<String, String> e : carrier.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(key)) {
              return e.getValue();
            }
          }
          return null;
        }
      };

  private static final TextMapGetter<Map<String, ? extends List<String>>> MULTI_GETTER =
      new TextMapGetter<>() {
        @Override
        public String get(Map<String, ? extends List<String>> carrier, String key) {
          if (carrier == null) {
            return null;
          }
          for (Map.Entry<String, ? extends List<String>> e : carrier.entrySet()) {
            if (e.getKey() != null
                && e.getKey().toLowerCase(Locale.ROOT).equals(key)
                && e.getValue() != null
                && !e.getValue().isEmpty()) {
              return String.join(",", e.getValue());
            }
          }
          return null;
        }
      };

  /**
   * The global once it is set (the no-op an early {@code GlobalOpenTelemetry.get()} fixes included:
   * OpenTelemetry wraps what is set); it cannot change after.
   */
  private static volatile @Nullable OpenTelemetry settledGlobal;

  private Spans() {}

  /** {@code GlobalOpenTelemetry}, its lock taken only until one is set. */
  static OpenTelemetry global() {
    OpenTelemetry global = settledGlobal;
    if (global != null) {
      return global;
    }
    global = GlobalOpenTelemetry.getOrNoop();
    if (global != OpenTelemetry.noop()) {
      // getOrNoop answers the bare no-op only while none is set: what is set comes wrapped, so only
      // a set global is kept, never a stale read of the unset one
      settledGlobal = global;
    }
    return global;
  }

  /** Forgets the kept global, for tests that call {@code GlobalOpenTelemetry.resetForTest()}. */
  static void forgetGlobalForTest() {
    settledGlobal = null;
  }

  private static Tracer tracer() {
    Tracing current = TracingInstaller.CURRENT.current();
    return current != null ? current.tracer() : global().getTracer(Tracing.SCOPE);
  }

  private static TextMapPropagator propagator() {
    Tracing current = TracingInstaller.CURRENT.current();
    OpenTelemetry otel = current != null ? current.openTelemetry() : global();
    return otel.getPropagators().getTextMapPropagator();
  }

  /** Runs {@code work} in a new span named {@code name}, a child of the current span. */
  public static <T extends @Nullable Object> T inSpan(String name, Supplier<T> work) {
    Span span = tracer().spanBuilder(name).startSpan();
    if (isNoOp(span)) {
      return work.get();
    }
    try (Scope ignored = span.makeCurrent()) {
      return work.get();
    } catch (RuntimeException | Error e) {
      recordFailure(span, e);
      throw e;
    } finally {
      span.end();
    }
  }

  /** Runs {@code work} in a new span named {@code name}, a child of the current span. */
  public static void inSpan(String name, Runnable work) {
    Span span = tracer().spanBuilder(name).startSpan();
    if (isNoOp(span)) {
      work.run();
      return;
    }
    try (Scope ignored = span.makeCurrent()) {
      work.run();
    } catch (RuntimeException | Error e) {
      recordFailure(span, e);
      throw e;
    } finally {
      span.end();
    }
  }

  /**
   * Runs {@code work}, which may throw a checked exception, in a new span named {@code name}. (A
   * separate name because a lambda would fit both {@code Supplier} and {@code Callable}.)
   */
  public static <T extends @Nullable Object> T call(String name, Callable<T> work)
      throws Exception {
    Span span = tracer().spanBuilder(name).startSpan();
    if (isNoOp(span)) {
      return work.call();
    }
    try (Scope ignored = span.makeCurrent()) {
      return work.call();
    } catch (Exception | Error e) {
      recordFailure(span, e);
      throw e;
    } finally {
      span.end();
    }
  }

  /**
   * Runs {@code work} in a SERVER span whose parent is the trace in the incoming {@code headers}
   * (e.g. {@code HttpExchange.getRequestHeaders()}), with their baggage current; a new trace when
   * they carry none.
   */
  public static <T extends @Nullable Object> T inServerSpan(
      String name, Map<String, ? extends List<String>> headers, Supplier<T> work) {
    Context incoming = extractAll(headers);
    Span span =
        tracer().spanBuilder(name).setSpanKind(SpanKind.SERVER).setParent(incoming).startSpan();
    // the incoming baggage becomes current too, not only the parent span
    try (Scope ignored = incoming.with(span).makeCurrent()) {
      return work.get();
    } catch (RuntimeException | Error e) {
      recordFailure(span, e);
      throw e;
    } finally {
      span.end();
    }
  }

  /**
   * With tracing off the API hands back a non-recording span that carries the current span's
   * context (or none): making it current would change nothing, so the helpers skip the scope.
   */
  private static boolean isNoOp(Span span) {
    return !span.isRecording() && span.getSpanContext().equals(Span.current().getSpanContext());
  }

  private static void recordFailure(Span span, Throwable e) {
    span.recordException(e);
    span.setAttribute(ERROR_TYPE, e.getClass().getName());
    span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
  }

  /**
   * {@code executor} with each task run in the context current where it was submitted ({@link
   * Context#taskWrapping(Executor)}). The result does not own {@code executor}; with tracing off it
   * still carries the (empty) context, at the cost of one small wrapper per task.
   */
  public static Executor wrap(Executor executor) {
    return Context.taskWrapping(Objects.requireNonNull(executor, "executor"));
  }

  /**
   * As {@link #wrap(Executor)} for every way an {@link ExecutorService} takes work ({@code submit},
   * {@code invokeAll}, {@code invokeAny}, {@code execute}); shutting the result down shuts {@code
   * executor} down.
   */
  public static ExecutorService wrap(ExecutorService executor) {
    return Context.taskWrapping(Objects.requireNonNull(executor, "executor"));
  }

  /**
   * As {@link #wrap(ExecutorService)}, also for {@code schedule}, {@code scheduleAtFixedRate} and
   * {@code scheduleWithFixedDelay} (each run of a periodic task in the context of the call that
   * scheduled it).
   */
  public static ScheduledExecutorService wrap(ScheduledExecutorService executor) {
    return Context.taskWrapping(Objects.requireNonNull(executor, "executor"));
  }

  /** {@code task} bound to the context current now: it runs in it on whichever thread runs it. */
  public static Runnable wrap(Runnable task) {
    return Context.current().wrap(Objects.requireNonNull(task, "task"));
  }

  /** {@code task} bound to the context current now: it runs in it on whichever thread runs it. */
  public static <T extends @Nullable Object> Callable<T> wrap(Callable<T> task) {
    return Context.current().wrap(Objects.requireNonNull(task, "task"));
  }

  /**
   * {@code executor} bound to the context current now: every task it runs, whoever submits it, runs
   * in this context. For {@code CompletableFuture} chains, whose later stages are submitted by the
   * thread that completed the stage before (possibly a thread outside any trace, e.g. an HTTP
   * client's): pass it to each {@code *Async(.., executor)} method.
   *
   * <pre>{@code
   * Executor traced = Spans.currentContextExecutor(pool);
   * CompletableFuture.supplyAsync(() -> fetch(id), traced).thenApplyAsync(this::parse, traced);
   * }</pre>
   */
  public static Executor currentContextExecutor(Executor executor) {
    return Context.current().wrap(Objects.requireNonNull(executor, "executor"));
  }

  /** Sets an attribute on the current span; nothing when there is none. */
  public static void attribute(String key, String value) {
    Span.current().setAttribute(key, value);
  }

  /** Sets an attribute on the current span; nothing when there is none. */
  public static void attribute(String key, long value) {
    Span.current().setAttribute(key, value);
  }

  /** Sets an attribute on the current span; nothing when there is none. */
  public static void attribute(String key, double value) {
    Span.current().setAttribute(key, value);
  }

  /** Sets an attribute on the current span; nothing when there is none. */
  public static void attribute(String key, boolean value) {
    Span.current().setAttribute(key, value);
  }

  /** Adds an event to the current span; nothing when there is none. */
  public static void event(String name) {
    Span.current().addEvent(name);
  }

  /** The current trace id (32 hex digits), or an empty string outside a span. */
  public static String traceId() {
    SpanContext context = Span.current().getSpanContext();
    return context.isValid() ? context.getTraceId() : "";
  }

  /**
   * Writes the current trace context ({@code traceparent}, {@code baggage}) into {@code headers}.
   */
  public static Map<String, String> inject(Map<String, String> headers) {
    propagator().inject(Context.current(), headers, (carrier, k, v) -> carrier.put(k, v));
    return headers;
  }

  /** Adds the current trace context headers to an outgoing {@code java.net.http} request. */
  public static HttpRequest.Builder inject(HttpRequest.Builder request) {
    propagator().inject(Context.current(), request, (carrier, k, v) -> carrier.setHeader(k, v));
    return request;
  }

  /**
   * The context carried by incoming {@code headers} (names matched case-insensitively), on top of
   * the current one; make it current with {@code try (Scope s = context.makeCurrent())}.
   */
  public static Context extract(Map<String, String> headers) {
    return propagator().extract(Context.current(), headers, MAP_GETTER);
  }

  /** As {@link #extract}, for multi-valued headers such as {@code HttpExchange}'s. */
  public static Context extractAll(Map<String, ? extends List<String>> headers) {
    return propagator().extract(Context.current(), headers, MULTI_GETTER);
  }
}
