package com.aicompanion.monitoring.logging.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.joran.util.ConfigurationWatchListUtil;
import com.aicompanion.monitoring.MonitoringException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Wires Logback programmatically: console (or any stream) through a bounded asynchronous queue, the
 * optional Elasticsearch shipper, levels. Undone by {@link #close()}.
 *
 * <pre>{@code
 * LogbackSetup setup = LogbackSetup.install(options);
 * setup.close();   // flushes and detaches what install() attached
 * }</pre>
 */
public final class LogbackSetup implements AutoCloseable {
  private static final String ASYNC_CONSOLE = "monitoring-async-console";

  /** Everything install() needs, resolved and validated by the public builder. */
  public record Options(
      EcsEncoders.Identity identity,
      boolean json,
      Level rootLevel,
      Map<String, Level> levels,
      SecretMasker masker,
      OutputStream output,
      int consoleQueue,
      java.time.Duration closeTimeout,
      ElasticsearchAppender.Settings elasticsearch,
      ShippingCounters counters) {}

  private final LoggerContext context;
  private final List<Appender<ILoggingEvent>> attached;
  private final boolean fileConfigured;

  /** The console's encoder and stream, to write synchronously after close(); null with a file. */
  private final Encoder<ILoggingEvent> consoleEncoder;

  private final OutputStream consoleOutput;

  /** Whether install() took the root logger over; only then does the console outlive close(). */
  private final boolean ownRoot;

  /**
   * The levels the per-logger settings replaced (null = inherited), put back at close so that a
   * later installation or the application does not inherit them.
   */
  private final java.util.Map<String, ch.qos.logback.classic.Level> replacedLevels =
      new java.util.LinkedHashMap<>();

  private EncodingErrors encodingErrors = new EncodingErrors();

  private LogbackSetup(
      LoggerContext context,
      List<Appender<ILoggingEvent>> attached,
      boolean fileConfigured,
      Encoder<ILoggingEvent> consoleEncoder,
      OutputStream consoleOutput,
      boolean ownRoot) {
    this.context = context;
    this.attached = attached;
    this.fileConfigured = fileConfigured;
    this.consoleEncoder = consoleEncoder;
    this.consoleOutput = consoleOutput;
    this.ownRoot = ownRoot;
  }

  /** The Logback context SLF4J is bound to; fails naming the binding when it is not Logback. */
  public static LoggerContext loggerContext() {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (factory instanceof LoggerContext context) {
      return context;
    }
    throw new MonitoringException(
        "SLF4J is bound to "
            + factory.getClass().getName()
            + ", not Logback: remove the other SLF4J provider (e.g. slf4j-simple, log4j-slf4j2-impl)"
            + " from the classpath so that monitoring-logging can configure Logback");
  }

  /** {@link #install(Options, boolean)} as the owner of the root logger. */
  public static LogbackSetup install(Options options) {
    return install(options, true);
  }

  /**
   * Attaches the console (unless a logback.xml configured Logback) and the shipper.
   *
   * @param ownRoot whether to take the root logger over (replace its appenders, set the levels);
   *     {@code false} adds ours beside the existing appenders and changes no level
   */
  public static LogbackSetup install(Options options, boolean ownRoot) {
    LoggerContext context = loggerContext();
    java.util.Map<String, ch.qos.logback.classic.Level> previousLevels =
        new java.util.LinkedHashMap<>();
    boolean fileConfigured = fileConfigured(context);
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    List<Appender<ILoggingEvent>> attached = new ArrayList<>();
    Encoder<ILoggingEvent> consoleEncoder = null;
    // one count of encoding failures for every encoder of this installation
    EncodingErrors errors = new EncodingErrors();
    // console JSON and shipper share one encoder: an event both write is encoded once
    Encoder<ILoggingEvent> ecs =
        !fileConfigured && options.json() && options.elasticsearch() != null
            ? new SharedLineEncoder(
                EcsEncoders.create(context, options.identity(), options.masker(), errors))
            : null;
    // started before anything else changes: a spool directory it cannot use fails the set-up
    // (MonitoringException) and leaves Logback as it was
    ElasticsearchAppender shipper = null;
    if (options.elasticsearch() != null) {
      shipper =
          new ElasticsearchAppender(
              options.elasticsearch(),
              ecs != null
                  ? ecs
                  : EcsEncoders.create(context, options.identity(), options.masker(), errors),
              options.counters());
      shipper.setContext(context);
      shipper.start();
    }
    if (!fileConfigured) {
      if (ownRoot) {
        // replace Logback's default console appender (DefaultConsoleConfigurator's, or Logback's
        // own); a logback.xml keeps its own appenders. Logback's status messages went through
        // that console; from here on this set-up is the application's logging.
        StatusLines.unregister(context);
        root.detachAndStopAllAppenders();
        root.setLevel(options.rootLevel());
        options
            .levels()
            .forEach(
                (name, level) -> {
                  Logger logger = context.getLogger(name);
                  previousLevels.put(name, logger.getLevel());
                  logger.setLevel(level);
                });
      }

      Encoder<ILoggingEvent> encoder =
          options.json()
              ? ecs != null
                  ? ecs
                  : EcsEncoders.create(context, options.identity(), options.masker(), errors)
              : textEncoder(context, options.masker(), errors);
      consoleEncoder = encoder;
      // behind the queue: lines gather in a buffer and the queue's worker flushes it once per run
      // of lines it takes (one write call per run instead of one per line)
      OutputStreamAppender<ILoggingEvent> out =
          console(
              context,
              encoder,
              new java.io.BufferedOutputStream(
                  new LossCountingStream(
                      options.output(), options.counters().consoleDropped(), context),
                  1 << 16));
      out.setImmediateFlush(false);

      TraceAwareAsyncAppender async =
          new TraceAwareAsyncAppender(options.counters().consoleDropped());
      async.setName(ASYNC_CONSOLE);
      async.setContext(context);
      async.setQueueSize(options.consoleQueue());
      async.setMaxFlushTime((int) options.closeTimeout().toMillis());
      async.addAppender(out);
      async.start();
      root.addAppender(async);
      attached.add(async);
    }
    if (shipper != null) {
      root.addAppender(shipper);
      attached.add(shipper);
    }
    LogbackSetup setup =
        new LogbackSetup(
            context,
            attached,
            fileConfigured,
            consoleEncoder,
            fileConfigured ? null : options.output(),
            ownRoot);
    setup.replacedLevels.putAll(previousLevels);
    setup.encodingErrors = errors;
    return setup;
  }

  private static OutputStreamAppender<ILoggingEvent> console(
      LoggerContext context, Encoder<ILoggingEvent> encoder, OutputStream output) {
    OutputStreamAppender<ILoggingEvent> out = new OutputStreamAppender<>();
    out.setName("monitoring-console");
    out.setContext(context);
    out.setEncoder(encoder);
    out.setOutputStream(new NonClosingStream(output));
    out.setImmediateFlush(true);
    out.start();
    return out;
  }

  /**
   * Whether an XML file (logback.xml, logback-test.xml, -Dlogback.configurationFile) configured the
   * context. Logback 1.5 registers the file's URL only with {@code scan="true"}, so the
   * configuration model Joran keeps as its fallback point is checked too.
   */
  static boolean fileConfigured(LoggerContext context) {
    return ConfigurationWatchListUtil.getMainWatchURL(context) != null
        || context.getObject(CoreConstants.SAFE_JORAN_CONFIGURATION) != null;
  }

  static Encoder<ILoggingEvent> textEncoder(
      LoggerContext context, SecretMasker masker, EncodingErrors errors) {
    MaskingTextEncoder encoder = new MaskingTextEncoder(masker, errors);
    encoder.setContext(context);
    encoder.start();
    return encoder;
  }

  /**
   * The failures of this installation's encoders ({@code monitoring_log_encoding_errors_total});
   * the caller binds it to a registry and sends its first description to the application's log.
   */
  public EncodingErrors encodingErrors() {
    return encodingErrors;
  }

  /** Whether a logback.xml configured Logback before; its appenders were kept. */
  public boolean fileConfigured() {
    return fileConfigured;
  }

  public LoggerContext context() {
    return context;
  }

  /** Adds an appender to the root logger, stopped and removed again by {@link #close()}. */
  public void attach(Appender<ILoggingEvent> appender) {
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
    attached.add(appender);
  }

  /**
   * Flushes (each appender within its own deadline) and detaches, in reverse order. The console
   * then stays, written synchronously, so that lines logged later in the JVM's shutdown (the
   * library's "closed" line, an application hook's last words) still reach it.
   */
  @Override
  public void close() {
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    boolean hadConsole = false;
    for (int i = attached.size() - 1; i >= 0; i--) {
      Appender<ILoggingEvent> appender = attached.get(i);
      hadConsole |= appender.getName() != null && appender.getName().equals(ASYNC_CONSOLE);
      root.detachAppender(appender);
      appender.stop();
    }
    attached.clear();
    replacedLevels.forEach((name, level) -> context.getLogger(name).setLevel(level));
    replacedLevels.clear();
    if (hadConsole && consoleEncoder != null && ownRoot) {
      root.addAppender(console(context, consoleEncoder, consoleOutput));
    }
  }

  /**
   * Under the console's buffer: a write that fails (stdout closed, a pipe that refused, an
   * interrupted write) loses the lines in it, which are counted in {@code
   * monitoring_log_console_dropped_total} (one per line end in the failed bytes) and reported once
   * through Logback's status, instead of reaching Logback's {@code OutputStreamAppender}, which
   * stops itself on the first {@code IOException} and would drop every later line uncounted.
   */
  static final class LossCountingStream extends java.io.FilterOutputStream {
    private final java.util.concurrent.atomic.LongAdder dropped;
    private final ch.qos.logback.core.Context context;
    private final java.util.concurrent.atomic.AtomicBoolean reported =
        new java.util.concurrent.atomic.AtomicBoolean();

    LossCountingStream(
        OutputStream out,
        java.util.concurrent.atomic.LongAdder dropped,
        ch.qos.logback.core.Context context) {
      super(out);
      this.dropped = dropped;
      this.context = context;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      try {
        out.write(b, off, len);
      } catch (java.io.IOException | RuntimeException e) {
        int lines = 0;
        for (int i = off; i < off + len; i++) {
          if (b[i] == '\n') {
            lines++;
          }
        }
        dropped.add(lines);
        report(e);
      }
    }

    @Override
    public void flush() {
      try {
        out.flush();
      } catch (java.io.IOException | RuntimeException e) {
        report(e);
      }
    }

    private void report(Exception e) {
      if (reported.compareAndSet(false, true)) {
        context
            .getStatusManager()
            .add(
                new ch.qos.logback.core.status.ErrorStatus(
                    "Writing to the console failed; the lines of a failed write are counted in"
                        + " monitoring_log_console_dropped_total (reported once)",
                    this,
                    e));
      }
    }
  }

  /** Stopping the appender closes its stream; stdout must stay open. */
  private static final class NonClosingStream extends java.io.FilterOutputStream {
    NonClosingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws java.io.IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws java.io.IOException {
      flush();
    }
  }
}
