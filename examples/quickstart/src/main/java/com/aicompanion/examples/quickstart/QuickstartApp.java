package com.aicompanion.examples.quickstart;

import com.aicompanion.monitoring.Monitor;
import com.aicompanion.monitoring.Monitoring;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The smallest useful service: one line starts monitoring, then it records a few custom metrics
 * every 100 ms until stopped (Ctrl-C). Open http://localhost:8000/metrics while it runs.
 */
public final class QuickstartApp {
  private static final Logger LOG = LoggerFactory.getLogger(QuickstartApp.class);
  private static final String[] EVENTS = {"user_action", "login", "message_sent"};

  private QuickstartApp() {}

  public static void main(String[] args) throws InterruptedException {
    Monitoring monitoring =
        Monitoring.start("quickstart"); // the one line; port from MONITORING_METRICS_PORT
    ScheduledExecutorService work = simulateTraffic(monitoring.monitor());
    LOG.info(
        "Quickstart running: curl http://localhost:{}/metrics (Ctrl-C to stop)",
        monitoring.metricsAddress().getPort());
    Runtime.getRuntime().addShutdownHook(new Thread(work::shutdownNow));
    work.awaitTermination(Long.MAX_VALUE, TimeUnit.DAYS);
  }

  /** Records custom metrics every 100 ms on a daemon thread, the way an application would. */
  static ScheduledExecutorService simulateTraffic(Monitor monitor) {
    Counter messages = monitor.counter("messages_total", "channel", "web"); // bound: for hot paths
    ScheduledExecutorService work =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "quickstart-traffic");
              t.setDaemon(true);
              return t;
            });
    work.scheduleAtFixedRate(
        () -> {
          ThreadLocalRandom random = ThreadLocalRandom.current();
          String event = EVENTS[random.nextInt(EVENTS.length)];
          monitor.incrementCounter("custom_events_total", Map.of("event_type", event));
          monitor.recordCustomMetric(
              "custom_operation_duration", Duration.ofMillis(20 + random.nextInt(200)));
          monitor.setGauge("queue_depth", random.nextInt(50), Map.of("queue", "ingest"));
          messages.increment();
        },
        0,
        100,
        TimeUnit.MILLISECONDS);
    return work;
  }
}
