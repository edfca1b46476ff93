package com.aicompanion.monitoring.tracing.internal;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits between the SDK's batch processor and the OTLP exporter: takes each batch at once into a
 * bounded queue, exports on its own thread and counts every span in {@code
 * monitoring_spans_total{outcome="exported"|"dropped"|"failed"}}. The batch processor therefore
 * never waits on the network, and a full queue drops and counts instead of blocking.
 *
 * <pre>{@code
 * builder.addSpanExporterCustomizer(
 *     (exporter, config) -> new ExportPipeline(exporter, accounting, 2048, Duration.ofSeconds(30), url));
 * }</pre>
 *
 * <p>An export that fails is logged once at WARN, then at most once a minute with a count, and once
 * at INFO when export works again.
 */
public final class ExportPipeline implements SpanExporter {
  private static final Logger LOG = LoggerFactory.getLogger("com.aicompanion.monitoring.tracing");

  /** A request for the worker to flush, or to shut down, once everything before it is exported. */
  private record Marker(CompletableResultCode done, boolean shutdown) {}

  private final SpanExporter delegate;
  private final int capacity;
  private final Duration exportTimeout;
  private final String destination;
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final SpanAccounting accounting;
  private final WarnLimiter warnings = new WarnLimiter(Duration.ofMinutes(1), System::nanoTime);
  private final Thread worker;

  /**
   * @param capacity the most spans waiting for export; more are dropped and counted
   * @param exportTimeout how long one export may take before its spans count as failed
   * @param destination the collector's address, for log messages
   */
  public ExportPipeline(
      SpanExporter delegate,
      SpanAccounting accounting,
      int capacity,
      Duration exportTimeout,
      String destination) {
    this.delegate = delegate;
    this.capacity = capacity;
    this.exportTimeout = exportTimeout;
    this.destination = destination;
    this.accounting = accounting;
    accounting.pipelineCreated();
    this.worker = new Thread(this::run, "monitoring-span-export");
    worker.setDaemon(true);
    worker.start();
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    int size = spans.size();
    accounting.leftBatcher(size);
    if (stopped.get()) {
      accounting.dropped(size);
      return CompletableResultCode.ofSuccess();
    }
    if (queued.addAndGet(size) > capacity) {
      queued.addAndGet(-size);
      accounting.dropped(size);
      return CompletableResultCode.ofSuccess();
    }
    queue.add(List.copyOf(spans));
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode flush() {
    CompletableResultCode done = new CompletableResultCode();
    if (stopped.get()) {
      return done.succeed();
    }
    queue.add(new Marker(done, false));
    return done;
  }

  @Override
  public CompletableResultCode shutdown() {
    CompletableResultCode done = new CompletableResultCode();
    if (!stopped.compareAndSet(false, true)) {
      return done.succeed();
    }
    queue.add(new Marker(done, true));
    return done;
  }

  /** Spans waiting for export. */
  public int queued() {
    return queued.get();
  }

  private void run() {
    while (true) {
      Object item;
      try {
        item = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (item instanceof Marker marker) {
        CompletableResultCode result = marker.shutdown ? delegate.shutdown() : delegate.flush();
        result.whenComplete(() -> marker.done.succeed());
        if (marker.shutdown) {
          return;
        }
        continue;
      }
      @SuppressWarnings("unchecked")
      List<SpanData> batch = (List<SpanData>) item;
      queued.addAndGet(-batch.size());
      exportOne(batch);
    }
  }

  private void exportOne(List<SpanData> batch) {
    CompletableResultCode result;
    try {
      result = delegate.export(batch);
      result.join(exportTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      result = CompletableResultCode.ofExceptionalFailure(e);
    }
    if (result.isDone() && result.isSuccess()) {
      accounting.exported(batch.size());
      if (warnings.active()) {
        warnings.reset();
        LOG.info("Span export to {} works again", destination);
      }
      return;
    }
    accounting.failed(batch.size());
    long held = warnings.tryReport();
    if (held >= 0) {
      String reason =
          !result.isDone()
              ? "no answer within " + exportTimeout.toMillis() + "ms"
              : result.getFailureThrowable() == null
                  ? "the exporter reported a failure"
                  : result.getFailureThrowable().toString();
      LOG.warn(
          "Span export to {} failed ({}); {} span(s) lost and counted in"
              + " monitoring_spans_total{outcome=\"failed\"}{}. The application is not slowed;"
              + " this warning repeats at most once a minute.",
          destination,
          reason,
          batch.size(),
          held > 0 ? "; " + held + " more failed export(s) since the last warning" : "");
    }
  }
}
