package com.aicompanion.monitoring.benchmarks.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.aicompanion.monitoring.logging.EcsJsonEncoder;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.logstash.logback.encoder.LogstashEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The ECS encoder with masking and trace ids against a raw {@link LogstashEncoder} on the same
 * event (target: at most 1.3x the raw time). The {@code ...NewMillisecond} pair gives every event a
 * new timestamp, so that neither encoder profits from a timestamp formatted for the event before.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar EcsEncodeBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EcsEncodeBenchmark {
  private EcsJsonEncoder ecs;
  private LogstashEncoder raw;
  private LoggingEvent event;
  private LoggingEvent ticking;
  private long millis;

  @Setup
  public void setUp() {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    // the public encoder a logback.xml would configure, with the default masking policy
    ecs = new EcsJsonEncoder();
    ecs.setContext(context);
    ecs.setServiceName("bench");
    ecs.setServiceVersion("1.0.0");
    ecs.setEnvironment("dev");
    ecs.setHostname("localhost");
    ecs.start();
    raw = new LogstashEncoder();
    raw.setContext(context);
    raw.start();
    event = event();
    ticking = event();
    millis = ticking.getTimeStamp();
  }

  private static LoggingEvent event() {
    LoggingEvent event = new LoggingEvent();
    event.setLoggerName("com.example.chat.ChatService");
    event.setLevel(Level.INFO);
    event.setThreadName("http-worker-3");
    event.setMessage("answered conversation c-1842 in 840 ms with 312 tokens");
    event.setTimeStamp(System.currentTimeMillis());
    event.setMDCPropertyMap(
        Map.of(
            "trace.id", "4bf92f3577b34da6a3ce929d0e0e4736",
            "span.id", "00f067aa0ba902b7",
            "request.id", "r-9a8b7c"));
    return event;
  }

  @Benchmark
  public byte[] ecsWithMaskingAndTraceIds() {
    return ecs.encode(event);
  }

  @Benchmark
  public byte[] rawLogstashEncoder() {
    return raw.encode(event);
  }

  @Benchmark
  public byte[] ecsWithMaskingAndTraceIdsNewMillisecond() {
    ticking.setTimeStamp(++millis);
    return ecs.encode(ticking);
  }

  @Benchmark
  public byte[] rawLogstashEncoderNewMillisecond() {
    ticking.setTimeStamp(++millis);
    return raw.encode(ticking);
  }
}
