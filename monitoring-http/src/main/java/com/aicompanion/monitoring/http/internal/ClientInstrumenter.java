package com.aicompanion.monitoring.http.internal;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import io.opentelemetry.instrumentation.api.instrumenter.SpanKindExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpClientAttributesExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpClientAttributesGetter;
import io.opentelemetry.instrumentation.api.semconv.http.HttpSpanNameExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpSpanStatusExtractor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The CLIENT-span {@link Instrumenter} over {@code java.net.http}, with OpenTelemetry's HTTP client
 * extractors (span name, semconv attributes, 4xx/5xx-is-error). OpenTelemetry's own {@code
 * opentelemetry-java-http-client} library would do this, but no release of it matching
 * instrumentation-api 2.31.1 is available to this build; this getter is the part it would supply.
 *
 * <pre>{@code
 * Instrumenter<HttpRequest, HttpResponse<?>> i = ClientInstrumenter.create(openTelemetry);
 * }</pre>
 */
public final class ClientInstrumenter {
  private ClientInstrumenter() {}

  private static final HttpClientAttributesGetter<HttpRequest, HttpResponse<?>> GETTER =
      new HttpClientAttributesGetter<>() {
        @Override
        public String getHttpRequestMethod(HttpRequest request) {
          return request.method();
        }

        @Override
        public List<String> getHttpRequestHeader(HttpRequest request, String name) {
          return request.headers().allValues(name);
        }

        @Override
        public @Nullable Integer getHttpResponseStatusCode(
            HttpRequest request, @Nullable HttpResponse<?> response, @Nullable Throwable error) {
          return response == null ? null : response.statusCode();
        }

        @Override
        public List<String> getHttpResponseHeader(
            HttpRequest request, @Nullable HttpResponse<?> response, String name) {
          return response == null ? List.of() : response.headers().allValues(name);
        }

        @Override
        public String getUrlFull(HttpRequest request) {
          return request.uri().toString();
        }

        @Override
        public @Nullable String getServerAddress(HttpRequest request) {
          return request.uri().getHost();
        }

        @Override
        public @Nullable Integer getServerPort(HttpRequest request) {
          URI uri = request.uri();
          if (uri.getPort() > 0) {
            return uri.getPort();
          }
          return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        }

        @Override
        public @Nullable String getNetworkProtocolName(
            HttpRequest request, @Nullable HttpResponse<?> response) {
          return "http";
        }

        @Override
        public @Nullable String getNetworkProtocolVersion(
            HttpRequest request, @Nullable HttpResponse<?> response) {
          if (response == null) {
            return null;
          }
          return response.version() == HttpClient.Version.HTTP_2 ? "2" : "1.1";
        }
      };

  public static Instrumenter<HttpRequest, HttpResponse<?>> create(OpenTelemetry otel) {
    return Instrumenter.<HttpRequest, HttpResponse<?>>builder(
            otel, Telemetry.SCOPE, HttpSpanNameExtractor.create(GETTER))
        .setSpanStatusExtractor(HttpSpanStatusExtractor.create(GETTER))
        .addAttributesExtractor(HttpClientAttributesExtractor.create(GETTER))
        .buildInstrumenter(SpanKindExtractor.alwaysClient());
  }
}
