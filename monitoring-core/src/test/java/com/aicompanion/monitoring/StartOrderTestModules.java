package com.aicompanion.monitoring;

import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Two modules found through the real ServiceLoader file of the test classpath, at the logging
 * module's order and at tracing's. They do nothing unless a test sets {@code test.order}; then each
 * logs {@code started <name>} (and the one named by {@code test.order.fail} throws instead), so
 * that a test sees where the start-up warnings come between them.
 */
final class StartOrderTestModules {
  static final String LOGGER = "com.aicompanion.monitoring.test.order";

  static final ConfigKey<Boolean> ENABLED =
      ConfigKey.bool("test.order", false, "Whether the start-order test modules log");
  static final ConfigKey<String> FAIL =
      ConfigKey.string("test.order.fail", "", "The start-order test module that fails");

  private StartOrderTestModules() {}

  private abstract static class Base implements MonitoringModule {
    @Override
    public List<ConfigKey<?>> configKeys() {
      return List.of(ENABLED, FAIL);
    }

    @Override
    public void start(MonitoringContext context) {
      if (!context.config().get(ENABLED)) {
        return;
      }
      if (name().equals(context.config().get(FAIL))) {
        throw new MonitoringException("test.order.fail=" + name() + " makes this module fail");
      }
      LoggerFactory.getLogger(LOGGER).info("started {}", name());
    }
  }

  /** Starts where the logging module does. */
  public static final class AtLogging extends Base {
    @Override
    public String name() {
      return "at-logging";
    }

    @Override
    public int order() {
      return ORDER_LOGGING;
    }
  }

  /** Starts where the tracing module does. */
  public static final class AtTracing extends Base {
    @Override
    public String name() {
      return "at-tracing";
    }

    @Override
    public int order() {
      return ORDER_TRACING;
    }
  }
}
