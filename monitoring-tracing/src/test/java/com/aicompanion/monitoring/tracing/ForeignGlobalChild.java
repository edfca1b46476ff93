package com.aicompanion.monitoring.tracing;

import com.aicompanion.monitoring.MonitoringException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;

/**
 * A child JVM for {@link ChildJvmTracingTest}: an application process with its own environment.
 * Prints what happened, one line per fact.
 */
final class ForeignGlobalChild {
  private ForeignGlobalChild() {}

  @SuppressWarnings("try") // some modes only hold the Tracing open
  public static void main(String[] args) {
    String mode = args[0];
    if (mode.equals("foreign")) {
      ContextPropagators apps = ContextPropagators.create(W3CTraceContextPropagator.getInstance());
      GlobalOpenTelemetry.set(OpenTelemetry.propagating(apps));
      try {
        builder("registering").install().close();
        System.out.println("RESULT installed");
      } catch (MonitoringException e) {
        System.out.println("REFUSED " + e.getMessage());
      }
      try (Tracing beside = builder("beside").registerGlobal(false).install()) {
        System.out.println("BESIDE " + (beside.tracer() != null ? "started" : "null"));
      }
      System.out.println(
          "GLOBAL "
              + (GlobalOpenTelemetry.getPropagators() == apps ? "the application's" : "other"));
    } else if (mode.equals("noopFirst")) {
      // the usual instrumentation pattern: a static tracer taken before monitoring starts
      io.opentelemetry.api.trace.Tracer early = GlobalOpenTelemetry.getTracer("my-repo");
      try (Tracing tracing = builder("late").install()) {
        boolean valid =
            Spans.inSpan(
                "work", () -> io.opentelemetry.api.trace.Span.current().getSpanContext().isValid());
        System.out.println("RESULT started; Spans traced " + valid + "; early " + (early != null));
      } catch (MonitoringException e) {
        System.out.println("REFUSED " + e.getMessage());
      }
    } else if (mode.equals("foreignMonitoring")) {
      GlobalOpenTelemetry.set(
          OpenTelemetry.propagating(
              ContextPropagators.create(W3CTraceContextPropagator.getInstance())));
      try (com.aicompanion.monitoring.Monitoring monitoring =
          com.aicompanion.monitoring.Monitoring.builder("svc")
              .metricsHost("127.0.0.1")
              .metricsPort(0)
              .shutdownHook(false)
              .start()) {
        monitoring.monitor().incrementCounter("jobs_total");
        System.out.println(
            "RESULT monitoring started on port " + monitoring.metricsAddress().getPort());
      }
    } else {
      try (Tracing tracing = builder("child").install()) {
        System.out.println("RESULT started " + tracing.otlpProtocol());
      } catch (MonitoringException e) {
        System.out.println("REFUSED " + e.getMessage());
      }
    }
  }

  private static Tracing.Builder builder(String service) {
    return Tracing.builder(service)
        .meterRegistry(new SimpleMeterRegistry())
        .shutdownHook(false)
        .shutdownTimeout(java.time.Duration.ofMillis(200));
  }
}
