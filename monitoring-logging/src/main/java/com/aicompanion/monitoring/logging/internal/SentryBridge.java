package com.aicompanion.monitoring.logging.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.aicompanion.monitoring.SecretMasking;
import io.sentry.IScopes;
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
  private final SentryCounters counters;

  private SentryBridge(SentryAppender appender, long flushMillis, SentryCounters counters) {
    this.appender = appender;
    this.flushMillis = flushMillis;
    this.counters = counters;
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
      SecretMasking masking,
      SentryCounters counters) {
    // one request may not outlast the flush bound: an ingest that accepts and never answers
    // would otherwise hold the sender for the default 5 s connect plus 5 s read per attempt
    int requestMillis = (int) Math.max(100, Math.min(5000, flushMillis));
    Sentry.init(
        options -> {
          options.setDsn(dsn);
          options.setEnvironment(environment);
          options.setRelease(release);
          options.setTag("service", serviceName);
          options.setTracesSampleRate(tracesSampleRate);
          options.setShutdownTimeoutMillis(flushMillis);
          options.setFlushTimeoutMillis(flushMillis);
          options.setConnectionTimeoutMillis(requestMillis);
          options.setReadTimeoutMillis(requestMillis);
          options.setEnableEventSizeLimiting(true);
          options.setOnOversizedEvent(SentryMasking.onOversized(counters));
          options.setBeforeSend(SentryMasking.beforeSend(masking, counters));
          options.setBeforeBreadcrumb(SentryMasking.beforeBreadcrumb(masking, counters));
        });
    LoggerContext context = LogbackSetup.loggerContext();
    SentryAppender appender = new SentryAppender();
    appender.setName("sentry");
    appender.setContext(context);
    appender.setMinimumEventLevel(Level.ERROR);
    appender.setMinimumBreadcrumbLevel(Level.INFO);
    appender.start();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
    return new SentryBridge(appender, flushMillis, counters);
  }

  /**
   * Detaches the appender, then flushes and closes Sentry on a daemon thread, waiting at most the
   * flush timeout: sentry-java's own close adds its flush, its executor's shutdown wait and a
   * blocked request's timeouts (25 s seen against an ingest that never answers). When the bound
   * passes, the thread is left to finish alone, the overrun is logged and counted.
   */
  @Override
  public void close() {
    LogbackSetup.loggerContext()
        .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
        .detachAppender(appender);
    appender.stop();
    // the scopes of this installation: a close left running past its bound must not close a
    // Sentry that the application initialises again meanwhile (the static Sentry.close would)
    IScopes scopes = Sentry.getCurrentScopes();
    Thread closer =
        new Thread(
            () -> {
              scopes.flush(flushMillis);
              scopes.close();
            },
            "monitoring-sentry-close");
    closer.setDaemon(true);
    closer.start();
    try {
      closer.join(flushMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (closer.isAlive()) {
      counters.closeTimedOut(flushMillis);
    }
  }
}
