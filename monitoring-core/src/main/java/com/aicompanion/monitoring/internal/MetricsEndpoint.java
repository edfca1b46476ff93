package com.aicompanion.monitoring.internal;

import com.aicompanion.monitoring.EndpointHandler;
import com.aicompanion.monitoring.internal.ContentNegotiation.Format;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.MetricNameFilter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * {@code GET /metrics} and {@code HEAD /metrics}: {@link ContentNegotiation} picks Prometheus text
 * 0.0.4, OpenMetrics 1.0.0 or Prometheus protobuf and whether to gzip; client_java's writers write
 * the exposition; {@code name[]} query parameters keep only the named metrics.
 *
 * <pre>{@code
 * server.route("/metrics", EndpointAccess.TOKEN, new MetricsEndpoint(registry.getPrometheusRegistry()));
 * }</pre>
 *
 * <p>A request that refuses every format (and text explicitly) gets 406 naming the three types.
 * HEAD gets the headers of the answer that GET would get, with no body and no length, so that the
 * JDK server has nothing to warn about.
 */
public final class MetricsEndpoint implements EndpointHandler {
  /** What a 406 answer names. */
  static final String OFFERED =
      "text/plain; version=0.0.4, application/openmetrics-text; version=1.0.0,"
          + " application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily;"
          + " encoding=delimited";

  private final PrometheusRegistry registry;
  private final ExpositionFormats formats = ExpositionFormats.init();

  /** The previous answer's size, so that the next buffer rarely grows. */
  private final AtomicInteger lastSize = new AtomicInteger(16 * 1024);

  private final Runnable beforeScrape;

  public MetricsEndpoint(PrometheusRegistry registry) {
    this(registry, () -> {});
  }

  /**
   * @param beforeScrape runs before each scrape: the name space removes meters that turned out to
   *     break the exposition
   */
  public MetricsEndpoint(PrometheusRegistry registry, Runnable beforeScrape) {
    this.registry = registry;
    this.beforeScrape = beforeScrape;
  }

  @Override
  public void handle(HttpExchange exchange, boolean authorized) throws IOException {
    beforeScrape.run();
    Headers request = exchange.getRequestHeaders();
    Headers response = exchange.getResponseHeaders();
    response.set("Vary", "Accept, Accept-Encoding");
    Optional<Format> format = ContentNegotiation.format(request.get("Accept"));
    if (format.isEmpty()) {
      EndpointServer.sendText(
          exchange,
          406,
          "Not Acceptable: " + exchange.getRequestURI().getPath() + " offers " + OFFERED + "\n");
      return;
    }
    ExpositionFormatWriter writer = writer(format.get());
    boolean gzip = ContentNegotiation.gzip(request.get("Accept-Encoding"));
    response.set("Content-Type", writer.getContentType());
    if (gzip) {
      response.set("Content-Encoding", "gzip");
    }
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(200, -1);
      return;
    }
    MetricSnapshots snapshots = scrape(exchange.getRequestURI().getRawQuery());
    EscapingScheme escaping = EscapingScheme.fromAcceptHeader(request.getFirst("Accept"));
    ByteArrayOutputStream body = new ByteArrayOutputStream(lastSize.get() + 1024);
    if (gzip) {
      try (GZIPOutputStream out = new GZIPOutputStream(body)) {
        writer.write(out, snapshots, escaping);
      }
    } else {
      writer.write(body, snapshots, escaping);
    }
    lastSize.set(body.size());
    exchange.sendResponseHeaders(200, body.size());
    try (OutputStream out = exchange.getResponseBody()) {
      body.writeTo(out);
    }
  }

  private ExpositionFormatWriter writer(Format format) {
    return switch (format) {
      case PROMETHEUS_TEXT -> formats.getPrometheusTextFormatWriter();
      case OPENMETRICS -> formats.getOpenMetricsTextFormatWriter();
      case PROTOBUF -> formats.getPrometheusProtobufWriter();
    };
  }

  private MetricSnapshots scrape(String rawQuery) {
    List<String> names = nameParameters(rawQuery);
    if (names.isEmpty()) {
      return registry.scrape();
    }
    return registry.scrape(MetricNameFilter.builder().nameMustBeEqualTo(names).build());
  }

  /** The values of every {@code name[]} parameter of the query, decoded. */
  static List<String> nameParameters(String rawQuery) {
    List<String> names = new ArrayList<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return names;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      try {
        String name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
        if (name.equals("name[]")) {
          names.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      } catch (IllegalArgumentException e) {
        // a malformed %-escape: not a name we could match anyway
      }
    }
    return names;
  }
}
