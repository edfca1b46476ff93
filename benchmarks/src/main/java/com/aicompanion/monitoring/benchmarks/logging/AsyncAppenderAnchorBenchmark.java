package com.aicompanion.monitoring.benchmarks.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import net.logstash.logback.encoder.LogstashEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The anchor of {@link ShippingNodeDownBenchmark}: what a team gets from Logback alone, {@code
 * logger.info} through Logback's own {@code AsyncAppender} (never blocking, default queue) to a raw
 * {@code LogstashEncoder} writing to a discarding stream, in a Logback context of its own.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar AsyncAppenderAnchorBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class AsyncAppenderAnchorBenchmark {
  private LoggerContext context;
  private Logger logger;

  @Setup
  public void setUp() {
    context = new LoggerContext();
    context.setName("async-anchor");
    // without an MDC adapter every event fails in AsyncAppender's preprocessing (NPE, caught by
    // Logback) and the benchmark measures that failure instead of the appender
    context.setMDCAdapter(new LogbackMDCAdapter());
    LogstashEncoder encoder = new LogstashEncoder();
    encoder.setContext(context);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> out = new OutputStreamAppender<>();
    out.setContext(context);
    out.setEncoder(encoder);
    out.setOutputStream(OutputStream.nullOutputStream());
    out.start();
    AsyncAppender async = new AsyncAppender();
    async.setContext(context);
    async.setNeverBlock(true);
    async.addAppender(out);
    async.start();
    logger = context.getLogger("com.example.chat.ChatService");
    logger.setLevel(Level.INFO);
    logger.setAdditive(false);
    logger.addAppender(async);
  }

  @TearDown
  public void tearDown() {
    context.stop();
  }

  @Benchmark
  public void infoThroughLogbackAsyncAppender() {
    logger.info("answered conversation {} in {} ms", "c-1842", 840);
  }
}
