package com.aicompanion.monitoring.internal;

/**
 * The value of a gauge that the facade sets: the gauge holds it strongly, so it never reads NaN
 * from a collected reference.
 */
public final class GaugeValue {
  private volatile double value;

  public double get() {
    return value;
  }

  public void set(double value) {
    this.value = value;
  }
}
