package com.aicompanion.monitoring.logging.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the Sentry bridge drops or shortens, counted from 0 (registered when Sentry is installed)
 * and logged once per kind:
 *
 * <ul>
 *   <li>{@code monitoring_sentry_events_dropped_total{reason="masking_failed"}}: an event that
 *       could not be masked, not sent;
 *   <li>{@code monitoring_sentry_events_dropped_total{reason="close_timeout"}}: a close that did
 *       not finish within its bound (the events still queued may be lost; counted once per close);
 *   <li>{@code monitoring_sentry_events_shrunk_total}: events over Sentry's 1 MiB limit, sent with
 *       breadcrumbs and stack frames removed by sentry-java's event size limiting;
 *   <li>{@code monitoring_sentry_breadcrumbs_truncated_total}: breadcrumbs whose message was cut to
 *       the breadcrumb limit.
 * </ul>
 *
 * <pre>{@code
 * SentryCounters counters = new SentryCounters(registry);
 * counters.maskingFailed(e);
 * }</pre>
 */
public final class SentryCounters {
  private static final Logger LOG = LoggerFactory.getLogger("com.aicompanion.monitoring.Sentry");

  private final Counter maskingFailed;
  private final Counter closeTimeout;
  private final Counter shrunk;
  private final Counter truncated;
  private final AtomicBoolean maskingLogged = new AtomicBoolean();
  private final AtomicBoolean shrunkLogged = new AtomicBoolean();
  private final AtomicBoolean truncatedLogged = new AtomicBoolean();

  public SentryCounters(MeterRegistry registry) {
    this.maskingFailed = dropped(registry, "masking_failed");
    this.closeTimeout = dropped(registry, "close_timeout");
    this.shrunk =
        Counter.builder("monitoring.sentry.events.shrunk")
            .description(
                "Sentry events over the 1 MiB event limit, sent with breadcrumbs and stack frames"
                    + " removed")
            .register(registry);
    this.truncated =
        Counter.builder("monitoring.sentry.breadcrumbs.truncated")
            .description("Sentry breadcrumbs whose message was cut to the breadcrumb limit")
            .register(registry);
  }

  private static Counter dropped(MeterRegistry registry, String reason) {
    return Counter.builder("monitoring.sentry.events.dropped")
        .description("Sentry events not sent, by reason")
        .tag("reason", reason)
        .register(registry);
  }

  /** An event could not be masked and is not sent. */
  void maskingFailed(RuntimeException e) {
    maskingFailed.increment();
    if (maskingLogged.compareAndSet(false, true)) {
      LOG.warn(
          "A Sentry event was dropped because masking it failed ({}); such events are counted in"
              + " monitoring_sentry_events_dropped_total{{reason=\"masking_failed\"}}. Logged"
              + " once.",
          e.toString());
    }
  }

  /** Closing Sentry overran its bound. */
  void closeTimedOut(long boundMillis) {
    closeTimeout.increment();
    LOG.warn(
        "Sentry did not finish flushing within {} ms (is the ingest answering?); going on"
            + " without it, queued events may be lost",
        boundMillis);
  }

  /** An event over the size limit was shrunk by sentry-java. */
  void shrunk(long limitBytes) {
    shrunk.increment();
    if (shrunkLogged.compareAndSet(false, true)) {
      LOG.warn(
          "A Sentry event was over {} bytes: it is sent without breadcrumbs and with fewer stack"
              + " frames; counted in monitoring_sentry_events_shrunk_total. Logged once.",
          limitBytes);
    }
  }

  /** A breadcrumb message was cut. */
  void truncated(int length, int limit) {
    truncated.increment();
    if (truncatedLogged.compareAndSet(false, true)) {
      LOG.warn(
          "A log line of {} characters was cut to {} as a Sentry breadcrumb; counted in"
              + " monitoring_sentry_breadcrumbs_truncated_total. Logged once.",
          length,
          limit);
    }
  }
}
