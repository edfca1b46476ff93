package com.aicompanion.monitoring.benchmarks.shipping;

import com.aicompanion.monitoring.logging.JsonLogging;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.OutputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code logger.info} with shipping to the live node, through the public API only: each run
 * installs {@link JsonLogging} with the default settings (JSON lines to a discarding stream,
 * shipping on, a Micrometer registry bound as {@code Monitoring} would) for a service of its own,
 * so it ships to a fresh data stream, and reads {@link JsonLogging#shippedEvents()}, {@link
 * JsonLogging#droppedEvents()} and {@link JsonLogging#failedEvents()} (the {@code
 * monitoring_log_events_total{outcome}} counters).
 *
 * <pre>{@code
 * ShipperRuns runs = new ShipperRuns(node, Duration.ofMillis(2500));
 * Map<String, Object> row = runs.paced("shipbench-020000-1", 20_000, Duration.ofSeconds(15));
 * Map<String, Object> sat = runs.saturated("shipbench-sat-1", 200_000, 5_000);
 * }</pre>
 *
 * <p>A paced run is clean when nothing was dropped or failed, every event offered to the shipper
 * was shipped and is in the index, the producer kept 98% of the rate, and the last event was
 * shipped within {@code lagLimit} of being logged (so that a large queue cannot hide a shipper
 * slower than the rate by absorbing the backlog of a short run).
 */
final class ShipperRuns {
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
  private static final long SAMPLE_NANOS = 100_000_000L;
  private static final long PACE_NANOS = 1_000_000L;

  private final LiveNode node;
  private final Duration lagLimit;

  ShipperRuns(LiveNode node, Duration lagLimit) {
    this.node = node;
    this.lagLimit = lagLimit;
  }

  /**
   * {@code rate} events per second for {@code duration}, paced by this thread (every event that is
   * due is logged, then it parks for {@value #PACE_NANOS} ns, so 40 events at a time at 40,000/s);
   * then waits until the shipper has dealt with them. The pacer wakes once a millisecond because
   * its own wake-ups cost CPU the node then lacks: parking 50 µs at a time, it used 2.5-3 µs of CPU
   * per event at 40,000 events/s (futex waits and context switches; benchmarks/NOTES.md).
   */
  Map<String, Object> paced(String service, int rate, Duration duration) {
    return paced(service, rate, duration, true);
  }

  /**
   * {@link #paced(String, int, Duration)} with {@code elasticsearch.document.ids} set to {@code
   * documentIds} (the default is true).
   */
  Map<String, Object> paced(String service, int rate, Duration duration, boolean documentIds) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    JsonLogging logging = install(service, registry, documentIds);
    String dataStream = logging.dataStream();
    Logger logger = LoggerFactory.getLogger(ChatEvents.LOGGER);
    long total = rate * duration.toNanos() / 1_000_000_000L;
    long produced = 0;
    long maxBacklog = 0;
    long start = System.nanoTime();
    long nextSample = start;
    while (true) {
      long now = System.nanoTime();
      long elapsed = now - start;
      if (elapsed >= duration.toNanos()) {
        break;
      }
      long due = Math.min(total, elapsed * rate / 1_000_000_000L);
      while (produced < due) {
        ChatEvents.log(logger, produced++);
      }
      if (now >= nextSample) {
        maxBacklog = Math.max(maxBacklog, produced - offered(logging));
        nextSample += SAMPLE_NANOS;
      }
      LockSupport.parkNanos(PACE_NANOS);
    }
    while (produced < total) {
      ChatEvents.log(logger, produced++);
    }
    long producedAt = System.nanoTime();
    double lag = drain(logging, expected(registry, produced), producedAt, true);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("rate", rate);
    row.put("seconds", duration.toMillis() / 1000.0);
    row.put("produced", produced);
    row.put("achieved_per_s", produced / ((producedAt - start) / 1e9));
    row.put("max_backlog", maxBacklog);
    row.put("lag_s", lag);
    closeAndCount(logging, dataStream, produced, row);
    long shipped = (long) row.get("shipped");
    boolean clean =
        (long) row.get("dropped") == 0
            && (long) row.get("failed") == 0
            && shipped == (long) row.get("logged")
            && shipped >= produced
            && (long) row.get("documents") == shipped
            && (double) row.get("achieved_per_s") >= 0.98 * rate
            && !Double.isNaN(lag)
            && lag <= lagLimit.toMillis() / 1000.0;
    row.put("clean", clean);
    return row;
  }

  /**
   * {@code events} events as fast as the shipper takes them: the producer logs flat out but waits
   * while more than {@code backlogLimit} events are logged and not yet shipped (checking every
   * {@value #PACE_NANOS} ns), so the shipper's queue never runs dry nor overflows. Events per
   * second = events / (first logged .. all shipped).
   */
  Map<String, Object> saturated(String service, int events, int backlogLimit) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    JsonLogging logging = install(service, registry, true);
    String dataStream = logging.dataStream();
    Logger logger = LoggerFactory.getLogger(ChatEvents.LOGGER);
    long start = System.nanoTime();
    for (long i = 0; i < events; i++) {
      if ((i & 63) == 0) {
        while (i - offered(logging) >= backlogLimit) {
          LockSupport.parkNanos(PACE_NANOS);
        }
      }
      ChatEvents.log(logger, i);
    }
    double seconds = drain(logging, expected(registry, events), start, false);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("events", events);
    row.put("backlog_limit", backlogLimit);
    row.put("seconds", seconds);
    row.put("events_per_s", events / seconds);
    closeAndCount(logging, dataStream, events, row);
    return row;
  }

  private JsonLogging install(String service, SimpleMeterRegistry registry, boolean documentIds) {
    JsonLogging.Builder builder =
        JsonLogging.builder(service)
            .output(OutputStream.nullOutputStream())
            .elasticsearch(node.uri())
            .meterRegistry(registry);
    if (!documentIds) {
      builder.config("elasticsearch.document.ids", "false");
    }
    return builder.install();
  }

  /**
   * The events logged so far, ours and the library's own lines (its start-up line comes before
   * ours), from {@code logback_events_total}; {@code produced} if that meter is not bound.
   */
  private static long expected(SimpleMeterRegistry registry, long produced) {
    double logged = 0;
    for (Counter counter : registry.find("logback.events").counters()) {
      logged += counter.count();
    }
    return Math.max(produced, (long) logged);
  }

  private static long offered(JsonLogging logging) {
    return logging.shippedEvents() + logging.droppedEvents() + logging.failedEvents();
  }

  /**
   * Seconds from {@code since} until the shipper has shipped, dropped or failed {@code expected}
   * events, or NaN when that took longer than 30 s or, with {@code stopOnDrop}, it has dropped
   * events already (the run failed; close() then counts the rest).
   */
  private static double drain(JsonLogging logging, long expected, long since, boolean stopOnDrop) {
    long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
    while (offered(logging) < expected) {
      if (System.nanoTime() > deadline || (stopOnDrop && logging.droppedEvents() > 0)) {
        return Double.NaN;
      }
      LockSupport.parkNanos(1_000_000);
    }
    return (System.nanoTime() - since) / 1e9;
  }

  /**
   * Closes the installation (it flushes within its close timeout), then adds the final ledger and
   * the documents in the data stream to {@code row} and deletes the data stream. {@code logged} is
   * shipped + dropped + failed: every event the shipper was offered, the {@code produced} ones and
   * the library's own lines ({@code library_lines}).
   */
  private void closeAndCount(
      JsonLogging logging, String dataStream, long produced, Map<String, Object> row) {
    logging.close();
    long shipped = logging.shippedEvents();
    long dropped = logging.droppedEvents();
    long failed = logging.failedEvents();
    row.put("logged", shipped + dropped + failed);
    row.put("library_lines", shipped + dropped + failed - produced);
    row.put("shipped", shipped);
    row.put("dropped", dropped);
    row.put("failed", failed);
    row.put("console_dropped", logging.consoleDroppedEvents());
    row.put("documents", node.count(dataStream));
    node.deleteDataStream(dataStream);
  }
}
