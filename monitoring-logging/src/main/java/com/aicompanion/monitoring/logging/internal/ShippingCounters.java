package com.aicompanion.monitoring.logging.internal;

import com.aicompanion.monitoring.Delivery;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What happened to every event handed to the shipper: {@code shipped}, {@code dropped} (not sent:
 * queue full, closed, close deadline) or {@code failed} (refused by Elasticsearch, too large, or
 * not encodable), so that {@code shipped + dropped + failed} equals what was logged. Exposed as
 * {@code monitoring_log_events_total{outcome}}, with the reasons beside it in {@code
 * monitoring_log_event_reasons_total{outcome,reason}}, and {@code monitoring_log_queue_size} /
 * {@code monitoring_log_queue_bytes}, the disk spool's {@code monitoring_log_spool_bytes}, {@code
 * monitoring_log_spool_limit_bytes}, {@code monitoring_log_spool_corrupt_records_total} and {@code
 * monitoring_log_spool_skipped_bytes_total}; console drops separately as {@code
 * monitoring_log_console_dropped_total}.
 *
 * <pre>{@code
 * ShippingCounters counters = new ShippingCounters();
 * counters.bindTo(registry);
 * Delivery.builder("monitoring-log-shipper", sender).listener(counters.listener())...
 * }</pre>
 */
public final class ShippingCounters implements MeterBinder {
  /** The reasons known in advance, so that their series exist (at 0) from the start. */
  static final Map<String, List<String>> REASONS =
      Map.of(
          "shipped", List.of("ok", "duplicate", "safe_form", "shortened"),
          "dropped", List.of("queue_full", "closed", "close_deadline", "close_failing"),
          "failed", List.of("rejected", "mapping", "oversize", "encoding"));

  private final LongAdder shipped = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder consoleDropped = new LongAdder();
  private final Map<String, LongAdder> reasons = new ConcurrentHashMap<>();
  private volatile LongSupplier queueSize = () -> 0;
  private volatile LongSupplier queueBytes = () -> 0;
  private volatile Supplier<Delivery.@Nullable SpoolCounts> spool = () -> null;
  private volatile MeterRegistry registry;

  public ShippingCounters() {
    REASONS.forEach((outcome, list) -> list.forEach(reason -> reason(outcome, reason)));
  }

  /** Counts the shipper's outcomes as they happen. */
  Delivery.Listener listener() {
    return new Delivery.Listener() {
      @Override
      public void delivered(int count, String reason) {
        shipped.add(count);
        reason("shipped", reason).add(count);
      }

      @Override
      public void rejected(int count, String reason) {
        failed.add(count);
        reason("failed", reason).add(count);
      }

      @Override
      public void dropped(int count, String reason) {
        dropped.add(count);
        reason("dropped", reason).add(count);
      }
    };
  }

  /** An event the encoder could not turn into a line: failed, reason {@code encoding}. */
  void encodingFailed() {
    failed.increment();
    reason("failed", "encoding").increment();
  }

  void queue(LongSupplier records, LongSupplier bytes) {
    this.queueSize = records;
    this.queueBytes = bytes;
  }

  void spool(Supplier<Delivery.@Nullable SpoolCounts> counts) {
    this.spool = counts;
  }

  /** The spool's figures, or null when the shipper has no spool (off, or fell back to memory). */
  public Delivery.@Nullable SpoolCounts spoolCounts() {
    return spool.get();
  }

  private double spoolValue(java.util.function.ToLongFunction<Delivery.SpoolCounts> value) {
    Delivery.SpoolCounts counts = spool.get();
    return counts == null ? 0 : value.applyAsLong(counts);
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

  /** The events counted with {@code outcome} and {@code reason} so far. */
  public long count(String outcome, String reason) {
    LongAdder adder = reasons.get(outcome + ":" + reason);
    return adder == null ? 0 : adder.sum();
  }

  /** Events the console queue discarded because it was full (not shipper events). */
  public LongAdder consoleDropped() {
    return consoleDropped;
  }

  /** Events waiting in the shipper (queued and in flight). */
  public int queueSize() {
    return (int) Math.min(Integer.MAX_VALUE, queueSize.getAsLong());
  }

  /** Payload bytes waiting in the shipper. */
  public long queueBytes() {
    return queueBytes.getAsLong();
  }

  private LongAdder reason(String outcome, String reason) {
    LongAdder adder = reasons.get(outcome + ":" + reason);
    if (adder != null) {
      return adder;
    }
    // a reason not known in advance: its series is added on first use
    LongAdder created = new LongAdder();
    LongAdder existing = reasons.putIfAbsent(outcome + ":" + reason, created);
    if (existing != null) {
      return existing;
    }
    MeterRegistry bound = registry;
    if (bound != null) {
      reasonCounter(bound, outcome, reason, created);
    }
    return created;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    counter(registry, "shipped", shipped);
    counter(registry, "dropped", dropped);
    counter(registry, "failed", failed);
    this.registry = registry;
    reasons.forEach(
        (key, adder) -> {
          int colon = key.indexOf(':');
          reasonCounter(registry, key.substring(0, colon), key.substring(colon + 1), adder);
        });
    Gauge.builder("monitoring.log.queue.size", this, ShippingCounters::queueSize)
        // no base unit: the Prometheus registry would append it ("_events"), and the catalog
        // name is monitoring_log_queue_size
        .description("Log events waiting in the Elasticsearch shipper (queued and in flight)")
        .register(registry);
    Gauge.builder("monitoring.log.queue", this, ShippingCounters::queueBytes)
        .baseUnit(BaseUnits.BYTES)
        .description("Payload bytes of the log events waiting in the Elasticsearch shipper")
        .register(registry);
    // the spool (0 without one): its size against the bound, and damage found in its files
    Gauge.builder("monitoring.log.spool", this, c -> c.spoolValue(Delivery.SpoolCounts::diskBytes))
        .baseUnit(BaseUnits.BYTES)
        .description("Size of the log shipper's disk spool files (0 without a spool)")
        .register(registry);
    Gauge.builder(
            "monitoring.log.spool.limit", this, c -> c.spoolValue(Delivery.SpoolCounts::maxBytes))
        .baseUnit(BaseUnits.BYTES)
        .description("The bound of the log shipper's disk spool (0 without a spool)")
        .register(registry);
    FunctionCounter.builder(
            "monitoring.log.spool.corrupt.records",
            this,
            c -> c.spoolValue(Delivery.SpoolCounts::corruptRecords))
        .description(
            "Log events lost to damaged spool files (checksum failures, truncated or missing"
                + " segments), found since the spool was opened")
        .register(registry);
    FunctionCounter.builder(
            "monitoring.log.spool.skipped",
            this,
            c -> c.spoolValue(Delivery.SpoolCounts::skippedBytes))
        .baseUnit(BaseUnits.BYTES)
        .description("Bytes of the spool files skipped as unreadable since the spool was opened")
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

  private static void reasonCounter(
      MeterRegistry registry, String outcome, String reason, LongAdder adder) {
    FunctionCounter.builder("monitoring.log.event.reasons", adder, LongAdder::doubleValue)
        .description(
            "Log events handed to the Elasticsearch shipper, by outcome and reason (the sum over"
                + " reasons is monitoring_log_events_total of that outcome)")
        .tag("outcome", outcome)
        .tag("reason", reason)
        .register(registry);
  }
}
