package com.aicompanion.monitoring;

/** Who may call a route of the endpoint server. */
public enum EndpointAccess {
  /** Anyone; the handler learns whether the caller presented the endpoint token. */
  PUBLIC,
  /**
   * Only callers with {@code Authorization: Bearer <MONITORING_ENDPOINT_TOKEN>} when a token is
   * configured (others get 401); anyone when none is.
   */
  TOKEN
}
