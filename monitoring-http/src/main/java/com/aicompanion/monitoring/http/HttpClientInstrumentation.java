package com.aicompanion.monitoring.http;

import com.aicompanion.monitoring.Monitor;
import com.aicompanion.monitoring.http.internal.InstrumentedHttpClient;
import io.opentelemetry.api.OpenTelemetry;
import java.net.http.HttpClient;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Instruments a {@code java.net.http.HttpClient}: the returned client delegates every call.
 *
 * <pre>{@code
 * HttpClient client = HttpClientInstrumentation.wrap(HttpClient.newHttpClient(), monitor);
 *
 * HttpClient openai = HttpClientInstrumentation.builder(monitor)
 *     .uriTemplates("/v1/models/{model}")
 *     .wrap(HttpClient.newHttpClient());
 * }</pre>
 *
 * <p>Per {@code send}/{@code sendAsync} the client records {@code
 * http_client_requests_seconds{method, uri, client_name, status, outcome, error_type}} ({@link
 * Monitor#httpClient()}; {@code client_name} is the target host; a call without a response is
 * {@code status="IO_ERROR"}), runs the call in a CLIENT span (name, attributes and error status
 * after OpenTelemetry's HTTP semantic conventions) and sends the W3C trace context with the
 * request. {@code uri}: the first matching template, else the path with id-like segments (digits,
 * UUIDs, long tokens with digits) folded into {@code {id}}; the monitor's cardinality limit bounds
 * what remains. The delegate's exceptions reach the caller unchanged; failures of the
 * instrumentation are logged once and never fail the call. WebSockets are passed through
 * uninstrumented.
 */
public final class HttpClientInstrumentation {
  private HttpClientInstrumentation() {}

  /**
   * {@code client}, instrumented with the default URI folding and the global OpenTelemetry.
   *
   * @param client the client to delegate to; not null
   * @param monitor where the metrics go; not null
   */
  public static HttpClient wrap(HttpClient client, Monitor monitor) {
    return builder(monitor).wrap(client);
  }

  /** A builder for a wrapper with URI templates or its own OpenTelemetry. */
  public static Builder builder(Monitor monitor) {
    return new Builder(Objects.requireNonNull(monitor, "monitor"));
  }

  /** Settings of a wrapper, frozen by {@link #wrap(HttpClient)}. Not thread-safe. */
  public static final class Builder {
    private final Monitor monitor;
    private @Nullable RouteResolver resolver;
    private @Nullable OpenTelemetry openTelemetry;

    private Builder(Monitor monitor) {
      this.monitor = monitor;
    }

    /**
     * URI templates matched against the request path before the default folding; see {@link
     * RouteResolver#templates}. Default: none.
     *
     * @throws IllegalArgumentException for a malformed template, naming it
     */
    public Builder uriTemplates(String... templates) {
      this.resolver = RouteResolver.templates(templates);
      return this;
    }

    /** The resolver tried before the default folding (replaces {@link #uriTemplates}). */
    public Builder uriResolver(RouteResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /** The OpenTelemetry for spans and propagation. Default: the global one, per request. */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
      return this;
    }

    /** {@code client}, instrumented; not null. */
    public HttpClient wrap(HttpClient client) {
      return new InstrumentedHttpClient(
          Objects.requireNonNull(client, "client"), monitor, resolver, openTelemetry);
    }
  }
}
