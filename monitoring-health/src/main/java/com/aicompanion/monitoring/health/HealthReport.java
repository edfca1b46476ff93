package com.aicompanion.monitoring.health;

import com.aicompanion.monitoring.health.internal.Json;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The result of one probe: the overall status and each check's reported result, by name, with its
 * rendering as {@code application/health+json} and its HTTP status, so that any server can answer a
 * health probe without this library's endpoint server.
 *
 * <pre>{@code
 * HealthReport report = health.check(CheckOptions.Group.READINESS);
 * if (report.status() == CheckResult.Status.FAIL) { ... }
 * report.checks().get("postgres").observedValue();   // latency in ms
 * response.status(report.httpStatus());               // 200 for pass and warn, 503 for fail
 * response.contentType(HealthReport.CONTENT_TYPE);
 * response.body(report.toJson(false));                // status, serviceId, version only
 * }</pre>
 *
 * <p>The overall status is the worst of the checks' reported statuses ({@code pass} without
 * checks); a non-critical check's failure is already reported as {@code warn}. Immutable.
 */
public final class HealthReport {
  /** The media type of {@link #toJson(boolean)}: {@value}. */
  public static final String CONTENT_TYPE = "application/health+json";

  private final CheckResult.Status status;
  private final Map<String, CheckResult> checks;
  private final String serviceId;
  private final String version;
  private final String output;

  HealthReport(Map<String, CheckResult> checks, String serviceId, String version) {
    this(checks, serviceId, version, null);
  }

  /**
   * @param output the document's own {@code output}, shown to every caller: only for facts that are
   *     safe to publish, such as a shutdown in progress
   */
  HealthReport(Map<String, CheckResult> checks, String serviceId, String version, String output) {
    CheckResult.Status worst = CheckResult.Status.PASS;
    for (CheckResult result : checks.values()) {
      worst = worst.worst(result.status());
    }
    this.status = worst;
    this.checks = Collections.unmodifiableMap(new LinkedHashMap<>(checks));
    this.serviceId = serviceId;
    this.version = version;
    this.output = output;
  }

  /** The overall status; never null. */
  public CheckResult.Status status() {
    return status;
  }

  /** Each check's result, in name order; never null, unmodifiable. */
  public Map<String, CheckResult> checks() {
    return checks;
  }

  /**
   * The HTTP status that answers this report: 200 for {@code pass} and {@code warn}, 503 for {@code
   * fail} (as Kubernetes probes and load balancers expect).
   */
  public int httpStatus() {
    return status == CheckResult.Status.FAIL ? 503 : 200;
  }

  /**
   * This report as an {@code application/health+json} document (the IETF health-check draft):
   * {@code status}, then {@code serviceId} and {@code version} when the registry was given them,
   * the document's {@code output} when it has one (readiness during a drain: {@code shutting
   * down}), and with {@code details} the {@code checks} object: per check an array of one object
   * with {@code status}, {@code time}, {@code observedValue}/{@code observedUnit} and {@code
   * output} where present. Without details no check name, output or timing appears, so the document
   * is safe for anonymous callers. Strings are escaped per RFC 8259; never throws.
   *
   * @param details whether to include {@code checks}
   */
  public String toJson(boolean details) {
    Json json = new Json().beginObject();
    json.name("status").value(status.text());
    json.field("serviceId", serviceId);
    json.field("version", version);
    json.field("output", output);
    if (details) {
      json.name("checks").beginObject();
      for (Map.Entry<String, CheckResult> check : checks.entrySet()) {
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

  @Override
  public String toString() {
    return status.text() + " " + checks;
  }
}
