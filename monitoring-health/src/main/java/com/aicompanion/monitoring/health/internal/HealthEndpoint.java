package com.aicompanion.monitoring.health.internal;

import com.aicompanion.monitoring.EndpointHandler;
import com.aicompanion.monitoring.health.HealthDetails;
import com.aicompanion.monitoring.health.HealthReport;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Serves one health report on the core endpoint server, rendered by {@link HealthReport}. The core
 * server calls a caller "authorized" also when no token is configured; details under {@link
 * HealthDetails#AUTHORIZED} therefore need a configured token as well, so that an unset token never
 * shows check names, output and latency to anonymous callers.
 */
public final class HealthEndpoint implements EndpointHandler {
  private final Supplier<HealthReport> report;
  private final HealthDetails details;
  private final boolean tokenConfigured;

  public HealthEndpoint(
      Supplier<HealthReport> report, HealthDetails details, boolean tokenConfigured) {
    this.report = report;
    this.details = details;
    this.tokenConfigured = tokenConfigured;
  }

  @Override
  public void handle(HttpExchange exchange, boolean authorized) throws IOException {
    HealthReport current = report.get();
    byte[] body = current.toJson(showDetails(authorized)).getBytes(StandardCharsets.UTF_8);
    int status = current.httpStatus();
    exchange.getResponseHeaders().set("Content-Type", HealthReport.CONTENT_TYPE);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** Whether a caller sees {@code checks}; {@code authorized} as the core server decided it. */
  boolean showDetails(boolean authorized) {
    return switch (details) {
      case ALWAYS -> true;
      case NEVER -> false;
      case AUTHORIZED -> tokenConfigured && authorized;
    };
  }
}
