package com.aicompanion.monitoring.logging.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.DefaultJoranConfigurator;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import com.aicompanion.monitoring.MonitoringConfig;
import com.aicompanion.monitoring.ServiceIdentity;
import java.util.List;
import java.util.Locale;

/**
 * Logback's default configuration while monitoring-logging is on the classpath: when the
 * application has no {@code logback-test.xml}, {@code logback.xml} or {@code
 * -Dlogback.configurationFile}, the console writes the library's format (ECS JSON, or text with
 * {@code MONITORING_LOG_FORMAT=text}) at {@code MONITORING_LOG_LEVEL} (default INFO) from the first
 * line, instead of Logback's own DEBUG text console. {@code Monitoring.start(..)} or {@code
 * JsonLogging.builder(..).install()} later replaces it with the full set-up (the service's
 * identity, per-logger levels, the asynchronous console, shipping).
 *
 * <p>Found by Logback through {@code META-INF/services/ch.qos.logback.classic.spi.Configurator};
 * nothing to call:
 *
 * <pre>{@code
 * LoggerFactory.getLogger(Main.class).info("first line");   // already an ECS JSON line
 * }</pre>
 *
 * <p>Logback runs every configurator found as a service before it looks for its XML files, so this
 * one asks Logback's own {@link DefaultJoranConfigurator} first and steps aside when that found a
 * file: an application's XML always wins. Its rank is the lowest custom one, so that any other
 * library's configurator goes first. The configuration keys are read through {@link
 * MonitoringConfig}, the one loader; a bad value falls back to the default here and fails later in
 * {@code install()}, naming the key.
 *
 * <p>It also registers {@link StatusLines}, so that what Logback has to say about itself (a warning
 * or error while it starts) is a line in the same format on the same console, not the text dump
 * Logback prints otherwise.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_LOW_PRIORITY)
public final class DefaultConsoleConfigurator extends ContextAwareBase implements Configurator {
  /** The name of the console appender this configuration attaches to the root logger. */
  public static final String APPENDER_NAME = "monitoring-default-console";

  /**
   * The service name of lines logged before the application names its service (OpenTelemetry's
   * convention for an unnamed service), unless {@code MONITORING_SERVICE_NAME}, {@code
   * OTEL_SERVICE_NAME} or {@code OTEL_RESOURCE_ATTRIBUTES} name it.
   */
  static final String UNKNOWN_SERVICE = "unknown_service:java";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    DefaultJoranConfigurator files = new DefaultJoranConfigurator();
    files.setContext(context);
    if (files.configure(context) == ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY) {
      addInfo(
          "An XML configuration file configured Logback; the library's default console stays off");
      return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
    try {
      configureConsole(context);
      return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    } catch (RuntimeException | LinkageError e) {
      // Logback's own default console follows (alone), and its status dump names what failed
      StatusLines.unregister(context);
      context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(APPENDER_NAME);
      addError("The library's default console could not be set up; Logback's default follows", e);
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
  }

  private void configureConsole(LoggerContext context) {
    Defaults defaults = Defaults.fromEnvironment();
    Encoder<ILoggingEvent> encoder =
        defaults.json()
            ? EcsEncoders.create(context, defaults.identity(), defaults.masker())
            : LogbackSetup.textEncoder(context, defaults.masker(), new EncodingErrors());
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setName(APPENDER_NAME);
    console.setContext(context);
    console.setEncoder(encoder);
    console.start();
    StatusLines.register(context, console);
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(defaults.level());
    root.addAppender(console);
  }

  /**
   * The settings this configuration reads: format, root level, whether e-mail addresses are masked,
   * and the identity the environment gives.
   */
  record Defaults(boolean json, Level level, SecretMasker masker, EcsEncoders.Identity identity) {
    static Defaults fromEnvironment() {
      MonitoringConfig config = MonitoringConfig.fromEnvironment(UNKNOWN_SERVICE);
      boolean json = !"text".equals(orDefault(() -> config.get(LoggingSettings.FORMAT), "json"));
      Level level =
          Level.toLevel(
              orDefault(() -> config.get(LoggingSettings.LEVEL), "INFO").toUpperCase(Locale.ROOT),
              Level.INFO);
      // the configuration's one masking policy (MONITORING_MASK_*), the built-in one when a
      // setting is bad (install() reports it)
      SecretMasker masker =
          orDefault(
              () -> SecretMasker.of(config.masking()), SecretMasker.defaults(false, List.of()));
      ServiceIdentity id = config.identity();
      // the version is the configured one only: the code that first touched SLF4J (a library,
      // Logback itself) is not the application whose jar version Monitoring.start reads
      String version = config.isSet(MonitoringConfig.SERVICE_VERSION) ? id.version() : "unknown";
      return new Defaults(
          json,
          level,
          masker,
          new EcsEncoders.Identity(id.name(), version, id.environment(), id.instanceId()));
    }

    private static <T> T orDefault(java.util.function.Supplier<T> read, T fallback) {
      try {
        return read.get();
      } catch (RuntimeException e) {
        // install() reports the bad value, naming the key; until then the default holds
        return fallback;
      }
    }
  }
}
