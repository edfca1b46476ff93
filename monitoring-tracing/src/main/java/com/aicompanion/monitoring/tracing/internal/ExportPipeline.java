package com.aicompanion.monitoring.tracing.internal;

import io.opentelemetry.exporter.internal.FailedExportException;
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
 *
 * <p>At shutdown the spans still queued are exported only if the collector accepts a TCP connection
 * within {@link #PROBE_TIMEOUT}; otherwise they, and the export in progress, are dropped and
 * counted at once, instead of waiting for the exporter's retries. Once an export fails during
 * shutdown, the rest is dropped too. {@link #abandon()} does the same when the caller's deadline
 * passes.
 */
public final class ExportPipeline implements SpanExporter {
  private static final Logger LOG = LoggerFactory.getLogger("com.aicompanion.monitoring.tracing");

  /** A request for the worker to flush, or to shut down, once everything before it is exported. */
  private record Marker(CompletableResultCode done, boolean shutdown) {}

  private final SpanExporter delegate;
  private final int capacity;
  private final Duration exportTimeout;
  private final String destination;

  /** How long shutdown waits for a TCP connection to the collector before giving up on it. */
  static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final AtomicBoolean abandoned = new AtomicBoolean();

  /** The size of the batch being exported; whoever resets it to 0 counts that batch. */
  private final AtomicInteger inFlight = new AtomicInteger();

  private volatile boolean lastExportFailed;
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
    accounting.pipelineCreated(this);
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

  /**
   * Exports what is queued, then shuts the exporter down; with spans pending and the collector not
   * accepting connections, drops and counts them at once instead (see the class comment).
   */
  @Override
  public CompletableResultCode shutdown() {
    CompletableResultCode done = new CompletableResultCode();
    if (!stopped.compareAndSet(false, true)) {
      return done.succeed();
    }
    boolean pending = queued.get() > 0 || inFlight.get() > 0;
    if (pending && !CollectorProbe.reachable(destination, PROBE_TIMEOUT)) {
      int lost = abandon();
      LOG.warn(
          "Tracing is closing and the collector at {} does not accept connections: {} span(s)"
              + " not sent, counted in monitoring_spans_total{outcome=\"dropped\"}",
          destination,
          lost);
      // the exporter cancels what it still retries
      return delegate.shutdown();
    }
    queue.add(new Marker(done, true));
    return done;
  }

  /**
   * Stops exporting: the spans still queued and the export in progress are dropped and counted,
   * pending flushes complete. For a shutdown deadline that has passed; idempotent.
   *
   * @return the spans dropped, counting the export in progress
   */
  public int abandon() {
    stopped.set(true);
    if (!abandoned.compareAndSet(false, true)) {
      return 0;
    }
    int lost = inFlight.getAndSet(0);
    accounting.dropped(lost);
    lost += dropQueued();
    worker.interrupt();
    return lost;
  }

  /** Spans waiting for export. */
  public int queued() {
    return queued.get();
  }

  private int dropQueued() {
    int lost = 0;
    for (Object item = queue.poll(); item != null; item = queue.poll()) {
      if (item instanceof Marker marker) {
        marker.done.succeed();
        continue;
      }
      int size = ((List<?>) item).size();
      queued.addAndGet(-size);
      accounting.dropped(size);
      lost += size;
    }
    return lost;
  }

  private void run() {
    while (!abandoned.get()) {
      Object item;
      try {
        item = queue.take();
      } catch (InterruptedException e) {
        break;
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
      inFlight.set(batch.size());
      queued.addAndGet(-batch.size());
      if (abandoned.get() || (stopped.get() && lastExportFailed)) {
        // shutting down and the collector already failed us: do not wait for it again
        if (inFlight.getAndSet(0) > 0) {
          accounting.dropped(batch.size());
        }
      } else {
        exportOne(batch);
      }
    }
    // abandoned: whatever came in after abandon() drained the queue
    dropQueued();
  }

  private void exportOne(List<SpanData> batch) {
    CompletableResultCode result;
    try {
      result = delegate.export(batch);
      result.join(exportTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      result = CompletableResultCode.ofExceptionalFailure(e);
    }
    boolean success = result.isDone() && result.isSuccess();
    lastExportFailed = !success;
    if (inFlight.getAndSet(0) == 0) {
      Thread.interrupted(); // abandon() woke us and counted the batch as dropped
      return;
    }
    if (success) {
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
                  : describe(result.getFailureThrowable());
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

  /**
   * The collector's answer (the SDK's own log, which said it, is silenced), else the network error.
   */
  static String describe(Throwable failure) {
    if (failure instanceof FailedExportException.HttpExportException http
        && http.failedWithResponse()) {
      return "the collector answered HTTP "
          + http.getResponse().getStatusCode()
          + " "
          + http.getResponse().getStatusMessage();
    }
    if (failure instanceof FailedExportException.GrpcExportException grpc
        && grpc.failedWithResponse()) {
      String description = grpc.getResponse().getStatusDescription();
      return "the collector answered gRPC status "
          + grpc.getResponse().getStatusCode()
          + (description == null || description.isEmpty() ? "" : ": " + description);
    }
    Throwable cause = failure;
    if (failure instanceof FailedExportException && failure.getCause() != null) {
      cause = failure.getCause();
    }
    return cause.toString();
  }
}
