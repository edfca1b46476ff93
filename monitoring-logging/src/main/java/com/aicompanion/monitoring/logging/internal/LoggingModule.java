package com.aicompanion.monitoring.logging.internal;

import com.aicompanion.monitoring.ConfigKey;
import com.aicompanion.monitoring.MonitoringConfig;
import com.aicompanion.monitoring.MonitoringContext;
import com.aicompanion.monitoring.MonitoringModule;
import com.aicompanion.monitoring.logging.JsonLogging;
import com.aicompanion.monitoring.logging.SentrySetup;
import java.util.List;

/**
 * Installs {@link JsonLogging} (and {@link SentrySetup} when {@code SENTRY_DSN} is set) when {@code
 * Monitoring.start(...)} runs with this artifact on the classpath.
 *
 * <pre>{@code
 * Monitoring monitoring = Monitoring.start("ai-companion");   // finds this module
 * JsonLogging logging = monitoring.get(JsonLogging.class);
 * }</pre>
 */
public final class LoggingModule implements MonitoringModule {
  @Override
  public String name() {
    return "logging";
  }

  @Override
  public int order() {
    return ORDER_LOGGING;
  }

  @Override
  public List<ConfigKey<?>> configKeys() {
    return LoggingSettings.KEYS;
  }

  @Override
  public void start(MonitoringContext context) {
    String service = context.config().serviceName();
    JsonLogging logging =
        JsonLogging.builder(service)
            .config(context.config())
            .meterRegistry(context.registry())
            .registerGlobal(context.registerGlobal())
            .install();
    context.onClose("logging", logging);
    context.publish(JsonLogging.class, logging);
    // Sentry closes first and may take half the shared shutdown deadline, logging keeps the rest
    long half = context.config().get(MonitoringConfig.SHUTDOWN_TIMEOUT).toMillis() / 2;
    SentrySetup sentry =
        SentrySetup.builder(service)
            .config(context.config())
            .meterRegistry(context.registry())
            .flushTimeoutMillis(Math.max(1, Math.min(SentrySetup.DEFAULT_FLUSH_MILLIS, half)))
            .install();
    if (sentry.enabled()) {
      // closed before logging (reverse order), so its last events still reach stdout
      context.onClose("sentry", sentry);
      context.publish(SentrySetup.class, sentry);
    }
  }
}
