package com.aicompanion.monitoring;

import com.aicompanion.monitoring.internal.EndpointServer;
import com.aicompanion.monitoring.internal.ShutdownSequence;
import com.aicompanion.monitoring.internal.SwitchableSpanContext;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;

/** The context every module receives: a view of one starting {@link Monitoring}. */
final class ModuleContext implements MonitoringContext {
  private final MonitoringConfig config;
  private final Monitor monitor;
  private final PrometheusMeterRegistry registry;
  private final EndpointServer server;
  private final Map<Class<?>, Object> components;
  private final ShutdownSequence shutdown;
  private final SwitchableSpanContext spanContext;
  private final boolean registerGlobal;

  ModuleContext(
      MonitoringConfig config,
      Monitor monitor,
      PrometheusMeterRegistry registry,
      EndpointServer server,
      Map<Class<?>, Object> components,
      ShutdownSequence shutdown,
      SwitchableSpanContext spanContext,
      boolean registerGlobal) {
    this.config = config;
    this.monitor = monitor;
    this.registry = registry;
    this.server = server;
    this.components = components;
    this.shutdown = shutdown;
    this.spanContext = spanContext;
    this.registerGlobal = registerGlobal;
  }

  @Override
  public boolean registerGlobal() {
    return registerGlobal;
  }

  @Override
  public MonitoringConfig config() {
    return config;
  }

  @Override
  public Monitor monitor() {
    return monitor;
  }

  @Override
  public io.micrometer.core.instrument.MeterRegistry registry() {
    return registry;
  }

  @Override
  public void route(String path, EndpointAccess access, EndpointHandler handler) {
    server.route(path, access, handler);
  }

  @Override
  public <T> void publish(Class<T> type, T component) {
    if (components.putIfAbsent(type, type.cast(component)) != null) {
      throw new IllegalStateException("a " + type.getSimpleName() + " is already published");
    }
  }

  @Override
  public <T> T find(Class<T> type) {
    return type.cast(components.get(type));
  }

  @Override
  public void onClose(String what, AutoCloseable closer) {
    shutdown.add(what, closer);
  }

  @Override
  public void onDrain(Runnable action) {
    shutdown.onDrain(action);
  }

  @Override
  public void exemplars(io.prometheus.metrics.tracer.common.SpanContext context) {
    if (spanContext == null) {
      throw new IllegalStateException(
          "exemplars(...) was called by a module that does not declare suppliesExemplars(config): the"
              + " registry was built without an exemplar sampler; override suppliesExemplars(config) to"
              + " return true in the module");
    }
    spanContext.set(context);
  }
}
