package com.aicompanion.examples.chat;

import com.aicompanion.monitoring.health.Alert;
import com.aicompanion.monitoring.health.AlertNotifier;
import com.aicompanion.monitoring.health.Severity;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Locale;

/**
 * Sums LLM cost over the last hour (60 one-minute slots) and fires {@code LlmBudgetExceeded} to
 * Alertmanager while it is above the budget; resolves it when the hour cools down. Exposes the sum
 * as {@code llm_cost_usd_last_hour}.
 */
final class BudgetGuard {
  private final double budgetUsd;
  private final AlertNotifier alerts;
  private final Clock clock;
  private final String model;
  private final double[] slots = new double[60];
  private final long[] slotMinute = new long[60];
  private boolean firing;

  BudgetGuard(
      double budgetUsd, AlertNotifier alerts, MeterRegistry registry, Clock clock, String model) {
    this.budgetUsd = budgetUsd;
    this.alerts = alerts;
    this.clock = clock;
    this.model = model;
    Gauge.builder("llm.cost.usd.last_hour", this, BudgetGuard::lastHour)
        .description("LLM cost of the last 60 minutes in US dollars")
        .register(registry);
  }

  synchronized void add(double usd) {
    long minute = clock.millis() / 60_000;
    int slot = (int) (minute % 60);
    if (slotMinute[slot] != minute) {
      slotMinute[slot] = minute;
      slots[slot] = 0;
    }
    slots[slot] += usd;
    evaluate();
  }

  synchronized double lastHour() {
    long minute = clock.millis() / 60_000;
    double sum = 0;
    for (int i = 0; i < 60; i++) {
      if (minute - slotMinute[i] < 60) {
        sum += slots[i];
      }
    }
    return sum;
  }

  /** Fires or resolves the alert according to the last hour's cost. */
  synchronized void evaluate() {
    double cost = lastHour();
    if (!firing && cost > budgetUsd) {
      firing = true;
      alerts.fire(alert(cost));
    } else if (firing && cost <= budgetUsd) {
      firing = false;
      alerts.resolve(alert(cost));
    }
  }

  synchronized boolean firing() {
    return firing;
  }

  private Alert alert(double cost) {
    return Alert.builder("LlmBudgetExceeded")
        .severity(Severity.WARNING)
        .label("model", model)
        .summary(
            String.format(
                Locale.ROOT,
                "LLM cost of the last hour is $%.2f, above the budget of $%.2f",
                cost,
                budgetUsd))
        .description(
            "Raise CHAT_LLM_HOURLY_BUDGET_USD or find the traffic behind llm_cost_usd_total.")
        .build();
  }
}
