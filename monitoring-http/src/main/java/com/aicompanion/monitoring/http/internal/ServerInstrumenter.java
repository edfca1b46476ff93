package com.aicompanion.monitoring.http.internal;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import io.opentelemetry.instrumentation.api.semconv.http.HttpServerAttributesExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpServerAttributesGetter;
import io.opentelemetry.instrumentation.api.semconv.http.HttpSpanNameExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpSpanStatusExtractor;
import java.net.InetSocketAddress;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The SERVER-span {@link Instrumenter} over a {@link ServerCall}, with OpenTelemetry's HTTP
 * extractors: the span name ({@code GET /conversations/{id}}), the semconv attributes and the
 * status rule (5xx or an exception is an error) are OpenTelemetry's. The response is the status
 * code, null when none was sent.
 *
 * <pre>{@code
 * Instrumenter<ServerCall, Integer> i = ServerInstrumenter.create(openTelemetry);
 * }</pre>
 */
public final class ServerInstrumenter {
  private ServerInstrumenter() {}

  private static final HttpServerAttributesGetter<ServerCall, Integer> GETTER =
      new HttpServerAttributesGetter<>() {
        @Override
        public String getHttpRequestMethod(ServerCall call) {
          return call.method;
        }

        @Override
        public List<String> getHttpRequestHeader(ServerCall call, String name) {
          return call.header(name);
        }

        @Override
        public @Nullable Integer getHttpResponseStatusCode(
            ServerCall call, Integer status, @Nullable Throwable error) {
          return status;
        }

        @Override
        public List<String> getHttpResponseHeader(ServerCall call, Integer status, String name) {
          return call.responseHeader(name);
        }

        @Override
        public @Nullable String getUrlScheme(ServerCall call) {
          return call.scheme();
        }

        @Override
        public String getUrlPath(ServerCall call) {
          return call.path;
        }

        @Override
        public @Nullable String getUrlQuery(ServerCall call) {
          return call.query();
        }

        @Override
        public @Nullable String getHttpRoute(ServerCall call) {
          return call.route;
        }

        @Override
        public @Nullable String getNetworkProtocolName(ServerCall call, @Nullable Integer status) {
          return "http";
        }

        @Override
        public @Nullable String getNetworkProtocolVersion(
            ServerCall call, @Nullable Integer status) {
          return call.protocolVersion();
        }

        @Override
        public @Nullable InetSocketAddress getNetworkPeerInetSocketAddress(
            ServerCall call, @Nullable Integer status) {
          return call.peer();
        }

        @Override
        public @Nullable InetSocketAddress getNetworkLocalInetSocketAddress(
            ServerCall call, @Nullable Integer status) {
          return call.local();
        }
      };

  private static final TextMapGetter<ServerCall> HEADERS =
      new TextMapGetter<>() {
        @Override
        public @Nullable String get(@Nullable ServerCall call, String key) {
          if (call == null) {
            return null;
          }
          List<String> values = call.header(key);
          return values.isEmpty() ? null : values.get(0);
        }
      };

  public static Instrumenter<ServerCall, Integer> create(OpenTelemetry otel) {
    return Instrumenter.<ServerCall, Integer>builder(
            otel, Telemetry.SCOPE, HttpSpanNameExtractor.create(GETTER))
        .setSpanStatusExtractor(HttpSpanStatusExtractor.create(GETTER))
        .addAttributesExtractor(HttpServerAttributesExtractor.create(GETTER))
        .buildServerInstrumenter(HEADERS);
  }
}
