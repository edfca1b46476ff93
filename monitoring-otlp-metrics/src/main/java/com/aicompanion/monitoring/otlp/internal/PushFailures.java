package com.aicompanion.monitoring.otlp.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.ipc.http.HttpSender;
import io.micrometer.registry.otlp.OtlpMetricsSender;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A failed push never reaches the application: it is counted in {@code
 * monitoring_metrics_push_failures_total}, logged once at WARN in the application's log when an
 * outage starts and once at INFO when pushes succeed again.
 */
final class PushFailures {
  private static final Logger LOG = LoggerFactory.getLogger(PushFailures.class);
  private final Counter failures;
  private final String url;
  private final AtomicBoolean down = new AtomicBoolean();

  PushFailures(MeterRegistry registry, String url) {
    this.url = url;
    this.failures =
        Counter.builder("monitoring.metrics.push.failures")
            .description("OTLP metrics pushes that failed (receiver down or refusing)")
            .register(registry);
  }

  /** The HTTP sender, with a non-2xx answer turned into a failure. */
  HttpSender counting(HttpSender delegate) {
    return request -> {
      HttpSender.Response response = delegate.send(request);
      if (!response.isSuccessful()) {
        throw new java.io.IOException(
            "the receiver answered " + response.code() + ": " + response.body());
      }
      return response;
    };
  }

  /** The metrics sender, which counts and logs a failure instead of throwing it. */
  OtlpMetricsSender guard(OtlpMetricsSender delegate) {
    return request -> {
      try {
        delegate.send(request);
        if (down.compareAndSet(true, false)) {
          LOG.info("OTLP metrics push to {} works again", url);
        }
      } catch (Exception | LinkageError e) {
        failures.increment();
        if (down.compareAndSet(false, true)) {
          LOG.warn(
              "OTLP metrics push to {} failed: {}; metrics are kept and sent with the next push,"
                  + " failures counted in monitoring_metrics_push_failures_total",
              url,
              e.toString());
        }
      }
    };
  }
}
