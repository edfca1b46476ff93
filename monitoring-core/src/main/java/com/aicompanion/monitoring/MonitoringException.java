package com.aicompanion.monitoring;

/**
 * Monitoring could not start or be configured: a bad configuration value, a port in use, a module
 * that failed. The message names the key or component, the value and the fix.
 */
public final class MonitoringException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MonitoringException(String message) {
    super(message);
  }

  public MonitoringException(String message, Throwable cause) {
    super(message, cause);
  }
}
