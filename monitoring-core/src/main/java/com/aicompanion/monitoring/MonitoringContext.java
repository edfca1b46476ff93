package com.aicompanion.monitoring;

import io.micrometer.core.instrument.MeterRegistry;
import io.prometheus.metrics.tracer.common.SpanContext;
import org.jspecify.annotations.Nullable;

/**
 * What {@link Monitoring} hands each {@link MonitoringModule} at start: the configuration, the
 * meters, the endpoint server's routes, the component directory and the shutdown sequence.
 */
public interface MonitoringContext {
  MonitoringConfig config();

  /**
   * Whether the module's components become the JVM-wide current ones ({@code
   * Monitoring.builder(..).registerGlobal(..)}, default true): a module passes it to its own
   * builder's {@code registerGlobal(boolean)}, so that one seam decides for every module. See
   * {@link GlobalSlot} for the rule.
   */
  default boolean registerGlobal() {
    return true;
  }

  Monitor monitor();

  /** The Prometheus-backed registry that {@code /metrics} exposes. */
  MeterRegistry registry();

  /**
   * Serves {@code handler} at exactly {@code path} on the endpoint server (GET and HEAD; other
   * methods get 405).
   *
   * @throws IllegalArgumentException when the path is taken or does not start with {@code /}
   */
  void route(String path, EndpointAccess access, EndpointHandler handler);

  /** Makes {@code component} available through {@link Monitoring#get(Class)}. */
  <T> void publish(Class<T> type, T component);

  /** A component an earlier module published, or {@code null}. */
  <T> @Nullable T find(Class<T> type);

  /**
   * Runs {@code closer} when monitoring closes: reverse order of registration, all within the one
   * shutdown deadline ({@code MONITORING_SHUTDOWN_TIMEOUT}, default 10s).
   */
  void onClose(String what, AutoCloseable closer);

  /**
   * Runs {@code action} when {@link Monitoring#close()} begins draining: from then on, for the
   * drain period ({@code MONITORING_SHUTDOWN_DRAIN}, default 5s), the endpoint server still answers
   * while a readiness route uses this signal to answer 503, so that load balancers stop sending
   * traffic before anything closes. When no module registers a drain action, close() does not wait
   * at all. Actions run once, in registration order, on the closing thread, before any {@link
   * #onClose} closer; one that throws is logged and the others still run.
   *
   * @param action must not be {@code null}; should return at once
   */
  void onDrain(Runnable action);

  /**
   * Makes histograms and counters attach the current trace as an exemplar (OpenMetrics scrape). The
   * tracing module calls it; the last call wins.
   */
  void exemplars(SpanContext spanContext);
}
