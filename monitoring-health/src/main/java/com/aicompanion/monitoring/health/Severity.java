package com.aicompanion.monitoring.health;

import java.util.Locale;

/**
 * The {@code severity} label of an {@link Alert}, as Alertmanager routes usually match it.
 *
 * <pre>{@code
 * Alert.builder("LlmBudgetExceeded").severity(Severity.WARNING).build();
 * }</pre>
 */
public enum Severity {
  CRITICAL,
  WARNING,
  INFO;

  /** {@code critical}, {@code warning} or {@code info}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
