package com.aicompanion.monitoring.internal;

import com.aicompanion.monitoring.EndpointHandler;
import com.sun.net.httpserver.HttpExchange;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.exporter.httpserver.HttpExchangeAdapter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;

/**
 * {@code GET /metrics}: client_java's scrape handler does the exposition, the {@code Accept}
 * negotiation (Prometheus text, OpenMetrics), gzip and {@code name[]} filtering.
 */
public final class MetricsEndpoint implements EndpointHandler {
  private final PrometheusScrapeHandler scrapeHandler;

  public MetricsEndpoint(PrometheusRegistry registry) {
    this.scrapeHandler = new PrometheusScrapeHandler(PrometheusProperties.get(), registry);
  }

  @Override
  public void handle(HttpExchange exchange, boolean authorized) throws IOException {
    scrapeHandler.handleRequest(new HttpExchangeAdapter(exchange));
  }
}
