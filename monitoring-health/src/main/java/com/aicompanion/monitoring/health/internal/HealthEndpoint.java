package com.aicompanion.monitoring.health.internal;

import com.aicompanion.monitoring.EndpointHandler;
import com.aicompanion.monitoring.health.CheckResult;
import com.aicompanion.monitoring.health.HealthReport;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Serves one health report as {@code application/health+json}: 200 for pass and warn, 503 for fail.
 * Check details (names, times, observed values and output) are included only when the details
 * policy allows them for this caller; otherwise the answer holds the status alone, so no exception
 * text or connection string can leak to an anonymous caller.
 */
public final class HealthEndpoint implements EndpointHandler {
  /** Who sees check details ({@code MONITORING_HEALTH_DETAILS}). */
  public enum Details {
    NEVER,
    AUTHORIZED,
    ALWAYS
  }

  public static final String CONTENT_TYPE = "application/health+json";

  private final Supplier<HealthReport> report;
  private final Details details;
  private final String serviceId;
  private final String version;

  public HealthEndpoint(
      Supplier<HealthReport> report, Details details, String serviceId, String version) {
    this.report = report;
    this.details = details;
    this.serviceId = serviceId;
    this.version = version;
  }

  @Override
  public void handle(HttpExchange exchange, boolean authorized) throws IOException {
    HealthReport current = report.get();
    boolean showDetails =
        details == Details.ALWAYS || (details == Details.AUTHORIZED && authorized);
    byte[] body = render(current, showDetails).getBytes(StandardCharsets.UTF_8);
    int status = current.status() == CheckResult.Status.FAIL ? 503 : 200;
    exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
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

  /** The health+json document; {@code checks} only with details. */
  public String render(HealthReport current, boolean showDetails) {
    Json json = new Json().beginObject();
    json.name("status").value(current.status().text());
    json.name("serviceId").value(serviceId);
    json.name("version").value(version);
    if (showDetails) {
      json.name("checks").beginObject();
      for (Map.Entry<String, CheckResult> check : current.checks().entrySet()) {
        CheckResult r = check.getValue();
        json.name(check.getKey()).beginArray().beginObject();
        json.name("status").value(r.status().text());
        if (r.time() != null) {
          json.name("time").value(DateTimeFormatter.ISO_INSTANT.format(r.time()));
        }
        if (r.observedValue() != null) {
          json.name("observedValue").value(r.observedValue());
          json.name("observedUnit").value(r.observedUnit());
        }
        json.field("output", r.output());
        json.endObject().endArray();
      }
      json.endObject();
    }
    return json.endObject().toString();
  }
}
