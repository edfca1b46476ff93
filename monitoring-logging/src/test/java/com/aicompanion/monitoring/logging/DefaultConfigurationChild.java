package com.aicompanion.monitoring.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.WarnStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The child JVM of {@link DefaultConfigurationTest}: an application that logs before and after
 * {@code JsonLogging.builder(..).install()}, makes Logback report a warning about itself, and logs
 * to OpenTelemetry's {@code java.util.logging} logger while installed and after close.
 */
public final class DefaultConfigurationChild {
  static final String BEFORE = "application line before install";
  static final String EARLY_DEBUG = "debug line before install";
  static final String STATUS = "a warning Logback has about itself";
  static final String JUL_INSTALLED = "java.util.logging record while installed";
  static final String JUL_CLOSED = "java.util.logging record after close";
  static final String AFTER = "application line after install";

  private DefaultConfigurationChild() {}

  public static void main(String[] args) {
    Logger log = LoggerFactory.getLogger("app");
    log.debug(EARLY_DEBUG);
    log.info(BEFORE);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getStatusManager().add(new WarnStatus(STATUS, context));

    java.util.logging.Logger otel = java.util.logging.Logger.getLogger("io.opentelemetry.sdk");
    JsonLogging logging = JsonLogging.builder("child-svc").install();
    otel.warning(JUL_INSTALLED);
    log.info(AFTER);
    logging.close();
    otel.warning(JUL_CLOSED);
  }
}
