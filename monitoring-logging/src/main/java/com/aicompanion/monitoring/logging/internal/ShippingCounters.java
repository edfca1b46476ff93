package com.aicompanion.monitoring.logging.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * What happened to every event handed to the shipper: {@code shipped}, {@code dropped} (queue full
 * or not shipped by the close deadline) or {@code failed} (rejected by Elasticsearch, or not
 * encodable). Exposed as {@code monitoring_log_events_total{outcome}} and {@code
 * monitoring_log_queue_size}; console drops separately as {@code
 * monitoring_log_console_dropped_total}.
 *
 * <pre>{@code
 * ShippingCounters counters = new ShippingCounters();
 * counters.bindTo(registry);
 * }</pre>
 */
public final class ShippingCounters implements MeterBinder {
  private final LongAdder shipped = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder consoleDropped = new LongAdder();
  private volatile IntSupplier queueSize = () -> 0;

  void shipped(long n) {
    shipped.add(n);
  }

  void dropped(long n) {
    dropped.add(n);
  }

  void failed(long n) {
    failed.add(n);
  }

  void queueSize(IntSupplier size) {
    this.queueSize = size;
  }

  public long shipped() {
    return shipped.sum();
  }

  public long dropped() {
    return dropped.sum();
  }

  public long failed() {
    return failed.sum();
  }

  /** Events the console queue discarded because it was full (not shipper events). */
  public LongAdder consoleDropped() {
    return consoleDropped;
  }

  public int queueSize() {
    return queueSize.getAsInt();
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    counter(registry, "shipped", shipped);
    counter(registry, "dropped", dropped);
    counter(registry, "failed", failed);
    Gauge.builder("monitoring.log.queue.size", this, ShippingCounters::queueSize)
        // no base unit: the Prometheus registry would append it ("_events"), and the catalog
        // name is monitoring_log_queue_size
        .description("Log events waiting in the Elasticsearch shipper's queue")
        .register(registry);
    // its own name: a console drop is not a shipper outcome and must not be summed with them
    FunctionCounter.builder(
            "monitoring.log.console.dropped", consoleDropped, LongAdder::doubleValue)
        .description("Log events discarded because the console (stdout) queue was full")
        .register(registry);
  }

  private static void counter(MeterRegistry registry, String outcome, LongAdder adder) {
    FunctionCounter.builder("monitoring.log.events", adder, LongAdder::doubleValue)
        .description("Log events handed to the Elasticsearch shipper, by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }
}
