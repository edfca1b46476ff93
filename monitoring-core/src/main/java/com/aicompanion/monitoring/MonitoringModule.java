package com.aicompanion.monitoring;

import java.util.List;

/**
 * The one extension point: a module of the library (logging, tracing, health) that {@link
 * Monitoring#start(String)} finds with {@link java.util.ServiceLoader} and starts in {@link
 * #order()}. Implementations are listed in {@code
 * META-INF/services/com.aicompanion.monitoring.MonitoringModule} and need a public no-argument
 * constructor.
 *
 * <pre>{@code
 * public final class HealthModule implements MonitoringModule {
 *   public String name() { return "health"; }
 *   public int order() { return MonitoringModule.ORDER_HEALTH; }
 *   public void start(MonitoringContext context) {
 *     HealthRegistry registry = new HealthRegistry(...);
 *     context.publish(HealthRegistry.class, registry);
 *     context.onClose("health checks", registry::close);
 *   }
 * }
 * }</pre>
 */
public interface MonitoringModule {
  /** Logging starts first so that the other modules' start-up is logged in its format. */
  int ORDER_LOGGING = 100;

  int ORDER_TRACING = 200;
  int ORDER_HEALTH = 300;

  /** A short name for logs and errors, e.g. {@code logging}. */
  String name();

  /** Modules start in ascending order and close in reverse. */
  int order();

  /**
   * Every configuration key this module reads, declared with its type, default, unit, secrecy and
   * description ({@link ConfigKey}). Core validates them at start, reports keys that no module
   * declares, and docs/configuration.md is generated from the declarations. Default: none.
   */
  default List<ConfigKey<?>> configKeys() {
    return List.of();
  }

  /**
   * Whether this module, started with {@code config}, will give the registry a span context for
   * exemplars ({@link MonitoringContext#exemplars}). Default false. Exemplar sampling costs memory
   * on every counter and histogram series (about 145 bytes each), so {@link Monitoring} gives the
   * registry an exemplar sampler only when a module on the classpath answers true
   * (monitoring-tracing does, unless tracing is turned off).
   */
  default boolean suppliesExemplars(MonitoringConfig config) {
    return false;
  }

  /**
   * Starts the module. A configuration error throws {@link MonitoringException} naming the key, the
   * value and the fix; {@link Monitoring#start(String)} then closes what already started and
   * rethrows. An unreachable backend is not an error here: the module counts and retries it.
   */
  void start(MonitoringContext context) throws Exception;
}
