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
 * SdkExportLogging.quiet();     // before the SDK is built
 * SdkExportLogging.restore();   // when that Tracing closes
 * }</pre>
 *
 * <p>These loggers are JVM-wide: while a Tracing is open they are off (an application's own
 * OpenTelemetry exporters are quiet too, as the start-up line says); when the last one closes, the
 * levels are put back as they were.
 */
public final class SdkExportLogging {
  /** The exporters' and processors' loggers, and their parents' names. */
  static final List<String> LOGGERS =
      List.of("io.opentelemetry.exporter", "io.opentelemetry.sdk.trace.export");

  /** java.util.logging holds loggers weakly: a level set on a collected logger would be lost. */
  private static final List<Logger> HELD = LOGGERS.stream().map(Logger::getLogger).toList();

  private SdkExportLogging() {}

  /** Open Tracings that asked for quiet. Guarded by the class. */
  private static int holders;

  /** Turns the SDK's export loggers off, unless the application gave them a level. */
  public static synchronized void quiet() {
    if (holders++ > 0) {
      return;
    }
    for (Logger logger : HELD) {
      if (logger.getLevel() == null) {
        logger.setLevel(Level.OFF);
        QUIETED.add(logger);
      }
    }
  }

  /** When the last Tracing that asked for quiet closes, puts the levels back as they were. */
  public static synchronized void restore() {
    if (holders == 0 || --holders > 0) {
      return;
    }
    for (Logger logger : QUIETED) {
      if (logger.getLevel() == Level.OFF) {
        logger.setLevel(null);
      }
    }
    QUIETED.clear();
  }

  private static final List<Logger> QUIETED = new java.util.ArrayList<>();
}
