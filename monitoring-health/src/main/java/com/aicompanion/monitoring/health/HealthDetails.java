package com.aicompanion.monitoring.health;

/**
 * Who sees the check details ({@code checks}: names, output, timing) of a health+json answer. The
 * status code and overall {@code status} are always public.
 *
 * <pre>{@code
 * new HealthHttpHandler(health, HealthDetails.AUTHORIZED, System.getenv("HEALTH_TOKEN"));
 * }</pre>
 *
 * <p>With {@code Monitoring} it is {@code MONITORING_HEALTH_DETAILS} ({@code never}, {@code
 * authorized}, {@code always}; default {@code authorized}) and the token is {@code
 * MONITORING_ENDPOINT_TOKEN}.
 */
public enum HealthDetails {
  /** Nobody. */
  NEVER,
  /**
   * Callers that send {@code Authorization: Bearer <token>}; nobody when no token is configured (a
   * safe default: check output can hold host names and exception text).
   */
  AUTHORIZED,
  /** Everybody, anonymous callers included. */
  ALWAYS
}
