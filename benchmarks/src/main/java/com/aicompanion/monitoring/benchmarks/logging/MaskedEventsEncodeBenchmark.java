package com.aicompanion.monitoring.benchmarks.logging;

import static net.logstash.logback.argument.StructuredArguments.kv;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.aicompanion.monitoring.logging.EcsJsonEncoder;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.logstash.logback.encoder.LogstashEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.slf4j.event.KeyValuePair;

/**
 * The cost of masking by the one policy on events of different shapes: the ECS encoder (masking
 * every string by kind and every secret-named field whole, trace ids) against a raw {@link
 * LogstashEncoder} encoding the same event in the same run (target: at most 1.3x the raw time).
 *
 * <ul>
 *   <li>{@code plain}: an INFO message of 55 characters and three MDC entries (no secret);
 *   <li>{@code pairs}: a message of {@code key=value} pairs and a URL, the scanner's busiest
 *       ordinary line (no secret);
 *   <li>{@code arguments}: structured arguments and SLF4J key/value pairs, a number, a nested map
 *       (no secret); the map's name, {@code request}, overlaps the MDC's {@code request.id}, so it
 *       is written under {@code labels} as its JSON text (the label path);
 *   <li>{@code secret}: a message with an authorization header, a password pair and an API key, and
 *       a secret-named argument (masked);
 *   <li>{@code exception}: an ERROR with a stack trace of about 3 KB (its messages masked before
 *       Logback formats it, its frame lines checked once per stack trace element, not scanned).
 * </ul>
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar MaskedEventsEncodeBenchmark -f 1 -wi 3 -i 5
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MaskedEventsEncodeBenchmark {
  @Param({"plain", "pairs", "arguments", "secret", "exception"})
  public String event;

  private EcsJsonEncoder ecs;
  private LogstashEncoder raw;
  private LoggingEvent prepared;

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
    prepared = event(event);
  }

  static LoggingEvent event(String shape) {
    LoggingEvent e = new LoggingEvent();
    e.setLoggerName("com.example.chat.ChatService");
    e.setLevel(shape.equals("exception") ? Level.ERROR : Level.INFO);
    e.setThreadName("http-worker-3");
    e.setTimeStamp(System.currentTimeMillis());
    e.setMDCPropertyMap(
        Map.of(
            "trace.id", "4bf92f3577b34da6a3ce929d0e0e4736",
            "span.id", "00f067aa0ba902b7",
            "request.id", "r-9a8b7c"));
    switch (shape) {
      case "plain" -> e.setMessage("answered conversation c-1842 in 840 ms with 312 tokens");
      case "pairs" ->
          e.setMessage(
              "GET https://api.example.com/v1/chat?page=2&size=10 status=200 user=u-1842"
                  + " model=gpt-4o took=840ms tokens=312 cache=hit region=eu-west-1");
      case "arguments" -> {
        e.setMessage("answered conversation");
        e.setArgumentArray(
            new Object[] {
              kv("user", "u-1842"),
              kv("tokens", 312),
              kv("request", Map.of("path", "/chat", "attempt", 2, "model", "gpt-4o"))
            });
        e.addKeyValuePair(new KeyValuePair("conversation", "c-1842"));
        e.addKeyValuePair(new KeyValuePair("latency_ms", 840));
      }
      case "secret" -> {
        e.setMessage(
            "upstream call with Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"
                + " failed; retry with password=hunter2hunter2 and key"
                + " sk-proj-Ab12Cd34Ef56Gh78Ij90KlMnOpQr");
        e.setArgumentArray(new Object[] {kv("api_key", "ak-1234567890abcdef")});
      }
      case "exception" -> {
        e.setMessage("model call failed");
        e.setThrowableProxy(new ThrowableProxy(deepException()));
      }
      default -> throw new IllegalArgumentException("unknown event shape " + shape);
    }
    return e;
  }

  /** An exception with a cause and about 40 frames: a stack trace of about 3 KB. */
  private static Throwable deepException() {
    try {
      return recurse(20);
    } catch (IllegalStateException e) {
      return e;
    }
  }

  private static IllegalStateException recurse(int depth) {
    if (depth == 0) {
      throw new IllegalStateException(
          "upstream 503 from https://api.example.com/v1/chat after 3 retries",
          new java.io.IOException("connection reset by peer"));
    }
    return recurse(depth - 1);
  }

  @Benchmark
  public byte[] ecsWithMasking() {
    return ecs.encode(prepared);
  }

  @Benchmark
  public byte[] rawLogstashEncoder() {
    return raw.encode(prepared);
  }
}
