package com.aicompanion.monitoring.http.internal;

import com.aicompanion.monitoring.HttpClientMetrics;
import com.aicompanion.monitoring.Monitor;
import com.aicompanion.monitoring.http.RouteResolver;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link HttpClient} that delegates every call and, per request, records {@code
 * http_client_requests_seconds}, runs the call in a CLIENT span and sends the trace context ({@code
 * traceparent}, {@code baggage}) with the request.
 *
 * <pre>{@code
 * HttpClient client = new InstrumentedHttpClient(HttpClient.newHttpClient(), monitor, null, null);
 * }</pre>
 *
 * <p>The request reaches the delegate with the propagation headers set (a copy: requests are
 * immutable); the caller's request is what the span and metrics describe. What the delegate throws
 * or completes exceptionally with reaches the caller unchanged.
 */
@SuppressWarnings("try") // scopes closed by try-with-resources; their names are never used
public final class InstrumentedHttpClient extends HttpClient {
  private static final Logger LOG = LoggerFactory.getLogger("com.aicompanion.monitoring.http");
  private static final TextMapSetter<HttpRequest.Builder> SETTER =
      (builder, key, value) -> {
        if (builder != null) {
          builder.setHeader(key, value);
        }
      };

  private final HttpClient delegate;
  private final Monitor monitor;
  private final @Nullable RouteResolver resolver;
  private final Telemetry<HttpRequest, HttpResponse<?>> telemetry;
  private final AtomicBoolean warned = new AtomicBoolean();

  public InstrumentedHttpClient(
      HttpClient delegate,
      Monitor monitor,
      @Nullable RouteResolver resolver,
      @Nullable OpenTelemetry openTelemetry) {
    this.delegate = delegate;
    this.monitor = monitor;
    this.resolver = resolver;
    this.telemetry = new Telemetry<>(openTelemetry, ClientInstrumenter::create);
  }

  /** One call in flight. */
  private static final class Call {
    final long start;
    final HttpRequest request;
    HttpRequest outgoing;
    @Nullable Instrumenter<HttpRequest, HttpResponse<?>> instrumenter;
    @Nullable Context context;

    Call(long start, HttpRequest request) {
      this.start = start;
      this.request = request;
      this.outgoing = request;
    }
  }

  private Call begin(HttpRequest request) {
    Call call = new Call(System.nanoTime(), request);
    try {
      Instrumenter<HttpRequest, HttpResponse<?>> instrumenter = telemetry.instrumenter();
      if (instrumenter == null) {
        return call;
      }
      Context parent = Context.current();
      Context context = parent;
      if (instrumenter.shouldStart(parent, request)) {
        context = instrumenter.start(parent, request);
        call.instrumenter = instrumenter;
        call.context = context;
      }
      HttpRequest.Builder copy = HttpRequest.newBuilder(request, (name, value) -> true);
      telemetry
          .openTelemetry()
          .getPropagators()
          .getTextMapPropagator()
          .inject(context, copy, SETTER);
      call.outgoing = copy.build();
    } catch (RuntimeException | LinkageError e) {
      failed(e);
    }
    return call;
  }

  private void end(Call call, @Nullable HttpResponse<?> response, @Nullable Throwable error) {
    long end = System.nanoTime();
    HttpRequest request = call.request;
    String path = request.uri().getRawPath();
    String template = null;
    if (resolver != null) {
      try {
        template = resolver.route(path == null ? "/" : path);
      } catch (RuntimeException e) {
        failed(e);
      }
    }
    if (template == null) {
      template = UriFolding.template(path);
    }
    monitor
        .httpClient()
        .record(
            request.method(),
            template,
            request.uri().getHost(),
            response == null ? HttpClientMetrics.NO_RESPONSE : response.statusCode(),
            error == null ? null : error.getClass().getName(),
            end - call.start,
            TimeUnit.NANOSECONDS);
    Instrumenter<HttpRequest, HttpResponse<?>> instrumenter = call.instrumenter;
    Context context = call.context;
    if (instrumenter != null && context != null) {
      try {
        instrumenter.end(context, request, response, error);
      } catch (RuntimeException | LinkageError e) {
        failed(e);
      }
    }
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    Call call = begin(request);
    Context context = call.context;
    Scope scope = context == null ? null : context.makeCurrent();
    try {
      HttpResponse<T> response = delegate.send(call.outgoing, handler);
      end(call, response, null);
      return response;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      end(call, null, e);
      throw e;
    } finally {
      if (scope != null) {
        scope.close();
      }
    }
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    return sendAsync(request, handler, null);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request,
      HttpResponse.BodyHandler<T> handler,
      HttpResponse.@Nullable PushPromiseHandler<T> push) {
    Call call = begin(request);
    Context context = call.context;
    CompletableFuture<HttpResponse<T>> future;
    try (Scope ignored = context == null ? Scope.noop() : context.makeCurrent()) {
      future = delegate.sendAsync(call.outgoing, handler, push);
    } catch (RuntimeException | Error e) {
      end(call, null, e);
      throw e;
    }
    CompletableFuture<HttpResponse<T>> recorded =
        future.whenComplete(
            (response, error) -> {
              try (Scope ignored = context == null ? Scope.noop() : context.makeCurrent()) {
                end(call, response, error == null ? null : unwrap(error));
              }
            });
    // The caller's cancel(true) must reach the JDK's own future (which aborts the exchange since
    // JDK 16): a dependent stage alone would swallow it, and the call would run on unseen.
    CompletableFuture<HttpResponse<T>> result =
        new CompletableFuture<>() {
          @Override
          public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            future.cancel(mayInterruptIfRunning);
            return cancelled;
          }
        };
    recorded.whenComplete(
        (response, error) -> {
          if (error == null) {
            result.complete(response);
          } else {
            result.completeExceptionally(unwrap(error));
          }
        });
    return result;
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }

  private void failed(Throwable e) {
    if (warned.compareAndSet(false, true)) {
      LOG.warn(
          "The HTTP client instrumentation failed: calls go on, without a span or a route where"
              + " it fails (logged once)",
          e);
    }
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return delegate.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return delegate.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return delegate.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return delegate.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return delegate.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return delegate.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return delegate.authenticator();
  }

  @Override
  public Version version() {
    return delegate.version();
  }

  @Override
  public Optional<Executor> executor() {
    return delegate.executor();
  }

  @Override
  public java.net.http.WebSocket.Builder newWebSocketBuilder() {
    return delegate.newWebSocketBuilder();
  }

  @Override
  public String toString() {
    return "InstrumentedHttpClient(" + delegate + ")";
  }
}
