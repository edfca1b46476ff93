package com.aicompanion.monitoring.logging.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Logger;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Routes what the library's dependencies log through {@code java.util.logging} to SLF4J, so that
 * their lines come out on the application's log output in its format (ECS JSON) instead of as
 * two-line text on stderr: OpenTelemetry's SDK and exporters, the OkHttp client under the OTLP
 * exporter, Prometheus' and Micrometer's fallbacks, and the JDK's HTTP server ({@code
 * System.Logger("com.sun.net.httpserver")}, which is {@code java.util.logging} when the {@code
 * java.logging} module is present).
 *
 * <pre>{@code
 * JulRouting routing = JulRouting.install(context);   // by the owner of the root logger
 * routing.close();                                    // puts every logger back as it was
 * }</pre>
 *
 * <p>Only these named loggers are touched, never the root logger, and only while they are as {@code
 * java.util.logging} left them: a logger the application configured (a handler of its own, {@code
 * useParentHandlers=false}, or a level) is left alone, and nothing is done when the application
 * already routes everything ({@link SLF4JBridgeHandler} on the root logger). A routed logger gets
 * one {@link SLF4JBridgeHandler}, {@code useParentHandlers=false} (so the JDK's console handler
 * does not print the line too) and the level Logback lets through for it, so that {@code
 * MONITORING_LOG_LEVELS=io.opentelemetry=DEBUG} works and finer records are not built for nothing
 * (read at install; a later change of Logback's levels is not followed). {@link #close()} undoes
 * exactly that.
 */
public final class JulRouting implements AutoCloseable {
  /** The loggers routed: the library's dependencies that log through java.util.logging. */
  public static final List<String> LOGGERS =
      List.of(
          "io.opentelemetry",
          "okhttp3",
          "io.prometheus",
          "io.micrometer",
          "com.sun.net.httpserver");

  /**
   * One routed logger, held strongly: java.util.logging keeps loggers weakly, and a collected one
   * would come back without the handler.
   */
  private record Routed(Logger logger, Handler handler) {}

  private final List<Routed> routed;

  private JulRouting(List<Routed> routed) {
    this.routed = routed;
  }

  /**
   * Routes the {@link #LOGGERS} that are in their default state.
   *
   * @param context the Logback context whose levels decide what each logger lets through
   */
  public static JulRouting install(LoggerContext context) {
    List<Routed> routed = new ArrayList<>();
    if (!rootRoutesAlready()) {
      for (String name : LOGGERS) {
        Logger logger = Logger.getLogger(name);
        if (logger.getHandlers().length > 0
            || !logger.getUseParentHandlers()
            || logger.getLevel() != null) {
          continue;
        }
        Handler handler = new SLF4JBridgeHandler();
        logger.setLevel(julLevel(finestLevelAtOrBelow(context, name)));
        logger.addHandler(handler);
        logger.setUseParentHandlers(false);
        routed.add(new Routed(logger, handler));
      }
    }
    return new JulRouting(routed);
  }

  /** The names of the loggers this instance routes. */
  public List<String> routedLoggers() {
    return routed.stream().map(r -> r.logger().getName()).toList();
  }

  /** Removes the handlers and puts the level and {@code useParentHandlers} back. Idempotent. */
  @Override
  public void close() {
    synchronized (routed) {
      for (Routed r : routed) {
        r.logger().removeHandler(r.handler());
        r.logger().setUseParentHandlers(true);
        r.logger().setLevel(null);
      }
      routed.clear();
    }
  }

  private static boolean rootRoutesAlready() {
    for (Handler handler : Logger.getLogger("").getHandlers()) {
      if (handler instanceof SLF4JBridgeHandler) {
        return true;
      }
    }
    return false;
  }

  /**
   * The most verbose level Logback gives {@code name} or any logger below it that has a level of
   * its own: java.util.logging filters at the parent first, so it must let through what the most
   * verbose child wants.
   */
  static Level finestLevelAtOrBelow(LoggerContext context, String name) {
    Level finest = context.getLogger(name).getEffectiveLevel();
    String prefix = name + ".";
    for (ch.qos.logback.classic.Logger logger : context.getLoggerList()) {
      Level own = logger.getLevel();
      if (own != null && logger.getName().startsWith(prefix) && own.toInt() < finest.toInt()) {
        finest = own;
      }
    }
    return finest;
  }

  /**
   * The java.util.logging level that lets through what jul-to-slf4j turns into {@code level} or
   * above (FINEST is TRACE; FINER and FINE are DEBUG; INFO stays java.util.logging's own default,
   * so CONFIG records stay out as they do on stderr).
   */
  static java.util.logging.Level julLevel(Level level) {
    return switch (level.toInt()) {
      case Level.ALL_INT, Level.TRACE_INT -> java.util.logging.Level.ALL;
      case Level.DEBUG_INT -> java.util.logging.Level.FINER;
      case Level.INFO_INT -> java.util.logging.Level.INFO;
      case Level.WARN_INT -> java.util.logging.Level.WARNING;
      case Level.ERROR_INT -> java.util.logging.Level.SEVERE;
      default -> java.util.logging.Level.OFF;
    };
  }
}
