package com.aicompanion.monitoring.tracing.internal;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Silences what the OpenTelemetry SDK's exporters and span processors log through {@code
 * java.util.logging} (a stack trace per failed export), because {@link ExportPipeline} already
 * reports an outage once at WARN, then at most once a minute, and counts every span. A level that
 * the application set on these loggers itself (e.g. in {@code logging.properties}) is kept.
 *
 * <pre>{@code
 * SdkExportLogging.quiet();   // before the SDK is built
 * }</pre>
 */
public final class SdkExportLogging {
  /** The exporters' and processors' loggers, and their parents' names. */
  static final List<String> LOGGERS =
      List.of("io.opentelemetry.exporter", "io.opentelemetry.sdk.trace.export");

  /** java.util.logging holds loggers weakly: a level set on a collected logger would be lost. */
  private static final List<Logger> HELD = LOGGERS.stream().map(Logger::getLogger).toList();

  private SdkExportLogging() {}

  /** Turns the SDK's export loggers off, unless the application gave them a level. Idempotent. */
  public static void quiet() {
    for (Logger logger : HELD) {
      if (logger.getLevel() == null) {
        logger.setLevel(Level.OFF);
      }
    }
  }
}
