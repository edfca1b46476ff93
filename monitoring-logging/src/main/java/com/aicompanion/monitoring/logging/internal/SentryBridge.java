package com.aicompanion.monitoring.logging.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.aicompanion.monitoring.SecretMasking;
import io.sentry.Sentry;
import io.sentry.logback.SentryAppender;

/**
 * Every call into Sentry made by {@code SentrySetup}: initialises the SDK and attaches its Logback
 * appender, then detaches and flushes on close. Sentry is an optional dependency, so this is the
 * only class of the module that names Sentry's types (with {@link SentryMasking}, which only this
 * class uses); it is loaded only after {@link SentrySupport#available()} has answered true.
 *
 * <pre>{@code
 * if (SentrySupport.available()) {
 *   SentryBridge bridge = SentryBridge.install(dsn, env, release, service, null, 5000, masking);
 *   bridge.close();
 * }
 * }</pre>
 */
public final class SentryBridge implements AutoCloseable {
  private final SentryAppender appender;
  private final long flushMillis;

  private SentryBridge(SentryAppender appender, long flushMillis) {
    this.appender = appender;
    this.flushMillis = flushMillis;
  }

  /**
   * Initialises Sentry and attaches its appender (ERROR events, INFO and WARN breadcrumbs) to the
   * root logger.
   *
   * @param tracesSampleRate null for no performance tracing
   * @throws IllegalArgumentException when Sentry refuses the DSN
   */
  public static SentryBridge install(
      String dsn,
      String environment,
      String release,
      String serviceName,
      Double tracesSampleRate,
      long flushMillis,
      SecretMasking masking) {
    Sentry.init(
        options -> {
          options.setDsn(dsn);
          options.setEnvironment(environment);
          options.setRelease(release);
          options.setTag("service", serviceName);
          options.setTracesSampleRate(tracesSampleRate);
          options.setShutdownTimeoutMillis(flushMillis);
          options.setBeforeSend(SentryMasking.beforeSend(masking));
          options.setBeforeBreadcrumb(SentryMasking.beforeBreadcrumb(masking));
        });
    LoggerContext context = LogbackSetup.loggerContext();
    SentryAppender appender = new SentryAppender();
    appender.setName("sentry");
    appender.setContext(context);
    appender.setMinimumEventLevel(Level.ERROR);
    appender.setMinimumBreadcrumbLevel(Level.INFO);
    appender.start();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
    return new SentryBridge(appender, flushMillis);
  }

  /** Detaches the appender and flushes pending events within the flush timeout. */
  @Override
  public void close() {
    LogbackSetup.loggerContext()
        .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
        .detachAppender(appender);
    appender.stop();
    Sentry.flush(flushMillis);
    Sentry.close();
  }
}
