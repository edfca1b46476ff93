package com.aicompanion.monitoring.tracing.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The counts of {@code monitoring_spans_total{outcome}} for one SDK, and the spans the batch
 * processor holds, so that {@link AdmissionSpanProcessor} can drop (and count) before the batch
 * processor's own queue would drop silently.
 *
 * <pre>{@code
 * SpanAccounting accounting = new SpanAccounting(registry);
 * accounting.exported(batch.size());
 * }</pre>
 */
public final class SpanAccounting {
  private final Counter exported;
  private final Counter dropped;
  private final Counter failed;
  private final AtomicInteger inBatcher = new AtomicInteger();
  private volatile ExportPipeline pipeline;

  public SpanAccounting(MeterRegistry registry) {
    this.exported = counter(registry, "exported");
    this.dropped = counter(registry, "dropped");
    this.failed = counter(registry, "failed");
  }

  private static Counter counter(MeterRegistry registry, String outcome) {
    return Counter.builder("monitoring.spans")
        .description("Finished spans by what became of them on the way to the collector")
        .tag("outcome", outcome)
        .register(registry);
  }

  void exported(int spans) {
    exported.increment(spans);
  }

  void dropped(int spans) {
    dropped.increment(spans);
  }

  void failed(int spans) {
    failed.increment(spans);
  }

  /** One span entered the batch processor, unless it already holds {@code capacity}. */
  boolean admit(int capacity) {
    if (inBatcher.incrementAndGet() > capacity) {
      inBatcher.decrementAndGet();
      dropped.increment();
      return false;
    }
    return true;
  }

  /** The batch processor handed {@code spans} on to the export pipeline. */
  void leftBatcher(int spans) {
    inBatcher.addAndGet(-spans);
  }

  void pipelineCreated(ExportPipeline created) {
    pipeline = created;
  }

  /** Whether an OTLP exporter was wrapped, so that the batch processor's output is seen. */
  public boolean pipelineWasCreated() {
    return pipeline != null;
  }

  /**
   * Drops and counts what the export pipeline still holds, for a shutdown deadline that passed.
   *
   * @return the spans dropped (0 without a pipeline)
   */
  public int abandonExport() {
    ExportPipeline p = pipeline;
    return p == null ? 0 : p.abandon();
  }
}
