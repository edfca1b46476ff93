package com.aicompanion.monitoring.logging.internal;

/**
 * Whether Sentry is on the classpath. {@code io.sentry:sentry-logback} is an optional dependency of
 * monitoring-logging: an application that wants Sentry adds it. This class names no Sentry type, so
 * that asking costs nothing when Sentry is absent.
 *
 * <pre>{@code
 * if (!SentrySupport.available()) log.warn(SentrySupport.missingMessage());
 * }</pre>
 */
public final class SentrySupport {
  /** The artifact an application adds to send errors to Sentry; it brings io.sentry:sentry. */
  public static final String ARTIFACT = "io.sentry:sentry-logback";

  private static final boolean AVAILABLE =
      present("io.sentry.Sentry") && present("io.sentry.logback.SentryAppender");

  private SentrySupport() {}

  /** True when both Sentry's SDK and its Logback appender can be loaded. */
  public static boolean available() {
    return AVAILABLE;
  }

  /** The WARN logged when {@code SENTRY_DSN} is set and Sentry is absent. */
  public static String missingMessage() {
    return "SENTRY_DSN is set but Sentry is not on the classpath, so errors are not sent to"
        + " Sentry: add the dependency "
        + ARTIFACT
        + " to the application (monitoring-logging declares it optional)";
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, SentrySupport.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
