package com.aicompanion.monitoring.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code trace.id} and {@code span.id} from a real OpenTelemetry SDK span, wherever the encoder
 * runs: in Logback's own synchronous console (which freezes the event's MDC before encoding), in
 * {@link JsonLogging}'s queue beside such a console, and behind Logback's plain {@code
 * AsyncAppender} (not supported: no ids, never wrong ones). Lines are read with duplicate keys
 * rejected.
 */
@SuppressWarnings("try") // scopes and installations held open, not referenced
class TraceIdsTest {
  private static final ObjectMapper STRICT =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /** The ids an HTTP server instrumentation put in the MDC for the request's outer span. */
  private static final String OUTER_TRACE = "0af7651916cd43dd8448eb211c80319c";

  private static final String OUTER_SPAN = "b7ad6b7169203331";

  // the SDK hands out a no-op tracer while no span processor is registered
  private final SdkTracerProvider tracing =
      SdkTracerProvider.builder().addSpanProcessor(new Started()).build();
  private final Tracer tracer = tracing.get("trace-ids-test");
  private final PrintStream stdout = System.out;

  @AfterEach
  void restore() {
    System.setOut(stdout);
    tracing.close();
  }

  @Test
  void logbackXmlConsoleAppenderWritesTheCurrentSpansIdsOnce() throws Exception {
    LineSink console = captureStdout();
    LoggerContext context = configure("logback-ecs-console.xml");
    Logger log = context.getLogger("com.example.Traced");
    Span span = tracer.spanBuilder("request").startSpan();
    SpanContext ids = span.getSpanContext();
    assertThat(ids.isValid()).isTrue();
    context.getMDCAdapter().put("request.id", "r-7");
    try (Scope ignored = span.makeCurrent()) {
      log.info("inside the span");
      // an outer span's ids in the MDC (as an HTTP instrumentation leaves them) lose to the
      // span current where the line is logged, and are not written a second time
      context.getMDCAdapter().put("trace.id", OUTER_TRACE);
      context.getMDCAdapter().put("span.id", OUTER_SPAN);
      log.info("inside a child span");
      context.getMDCAdapter().remove("trace.id");
      context.getMDCAdapter().remove("span.id");
    } finally {
      span.end();
    }
    log.info("outside the span");
    context.getMDCAdapter().clear();
    context.stop();

    List<JsonNode> lines = lines(console, "com.example.Traced");
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0).path("message").asText()).isEqualTo("inside the span");
    assertThat(lines.get(0).path("trace.id").asText()).isEqualTo(ids.getTraceId());
    assertThat(lines.get(0).path("span.id").asText()).isEqualTo(ids.getSpanId());
    assertThat(lines.get(0).path("request.id").asText()).isEqualTo("r-7");
    assertThat(lines.get(1).path("trace.id").asText()).isEqualTo(ids.getTraceId());
    assertThat(lines.get(1).path("span.id").asText()).isEqualTo(ids.getSpanId());
    assertThat(lines.get(1).has("labels")).isFalse();
    assertThat(lines.get(2).path("message").asText()).isEqualTo("outside the span");
    assertThat(lines.get(2).has("trace.id")).isFalse();
    assertThat(lines.get(2).has("span.id")).isFalse();
    assertThat(lines.get(2).path("request.id").asText()).isEqualTo("r-7");
  }

  @Test
  void mdcIdsAreWrittenOnceWhenNoSpanIsCurrent() throws Exception {
    LineSink console = captureStdout();
    LoggerContext context = configure("logback-ecs-console.xml");
    context.getMDCAdapter().put("trace.id", OUTER_TRACE);
    context.getMDCAdapter().put("span.id", OUTER_SPAN);
    context.getLogger("com.example.Traced").info("ids from the mdc");
    context.getMDCAdapter().clear();
    context.stop();

    List<JsonNode> lines = lines(console, "com.example.Traced");
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).path("trace.id").asText()).isEqualTo(OUTER_TRACE);
    assertThat(lines.get(0).path("span.id").asText()).isEqualTo(OUTER_SPAN);
  }

  @Test
  void besideASynchronousConsoleJsonLoggingsQueueStillCarriesTheSpanIds() throws Exception {
    LoggerContext global = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = global.getLogger(Logger.ROOT_LOGGER_NAME);
    // what Logback's own default configuration attaches: a synchronous console with a pattern,
    // which freezes each event's MDC before our queue sees the event
    LineSink plain = new LineSink();
    OutputStreamAppender<ILoggingEvent> console = patternConsole(global, plain, "%msg [%mdc]%n");
    root.addAppender(console);
    LineSink json = new LineSink();
    LineSink text = new LineSink();
    org.slf4j.Logger log = LoggerFactory.getLogger("com.example.Beside");
    Span span = tracer.spanBuilder("request").startSpan();
    SpanContext ids = span.getSpanContext();
    try (JsonLogging besideJson =
            JsonLogging.builder("beside").output(json).registerGlobal(false).install();
        JsonLogging besideText =
            JsonLogging.builder("beside")
                .format("text")
                .output(text)
                .registerGlobal(false)
                .install()) {
      try (Scope ignored = span.makeCurrent()) {
        log.info("inside the span");
      } finally {
        span.end();
      }
      log.info("outside the span");
    } finally {
      root.detachAppender(console);
      console.stop();
    }

    List<JsonNode> lines = lines(json, "com.example.Beside");
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0).path("trace.id").asText()).isEqualTo(ids.getTraceId());
    assertThat(lines.get(0).path("span.id").asText()).isEqualTo(ids.getSpanId());
    assertThat(lines.get(1).path("message").asText()).isEqualTo("outside the span");
    assertThat(lines.get(1).has("trace.id")).isFalse();
    assertThat(text.text())
        .contains("trace.id=" + ids.getTraceId())
        .contains("span.id=" + ids.getSpanId());
    // the application's event is left as it was: the other console's MDC has no ids
    assertThat(plain.lines()).contains("inside the span []", "outside the span []");
  }

  @Test
  void behindLogbacksPlainAsyncAppenderLinesCarryNoIdsNeverWrongOnes() throws Exception {
    LineSink console = captureStdout();
    LoggerContext context = configure("logback-ecs-async-console.xml");
    Logger log = context.getLogger("com.example.Async");
    Span span = tracer.spanBuilder("request").startSpan();
    try (Scope ignored = span.makeCurrent()) {
      log.info("inside the span");
    } finally {
      span.end();
    }
    context.stop(); // drains the queue

    List<JsonNode> lines = lines(console, "com.example.Async");
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).path("message").asText()).isEqualTo("inside the span");
    // documented: the encoder runs on the queue's worker, where the span is not current
    assertThat(lines.get(0).has("trace.id")).isFalse();
    assertThat(lines.get(0).has("span.id")).isFalse();
  }

  /** A span processor that only asks to see spans start, so that the SDK records them. */
  private static final class Started implements SpanProcessor {
    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {}

    @Override
    public boolean isEndRequired() {
      return false;
    }
  }

  private LineSink captureStdout() {
    LineSink sink = new LineSink();
    System.setOut(new PrintStream(sink, true, StandardCharsets.UTF_8));
    return sink;
  }

  private static LoggerContext configure(String resource) throws Exception {
    LoggerContext context = new LoggerContext();
    // what SLF4J's Logback provider does for the context it owns
    context.setMDCAdapter(new LogbackMDCAdapter());
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(TraceIdsTest.class.getResource("/" + resource));
    assertThat(context.getStatusManager().getCopyOfStatusList())
        .noneMatch(s -> s.getLevel() == Status.ERROR);
    return context;
  }

  private static OutputStreamAppender<ILoggingEvent> patternConsole(
      LoggerContext context, LineSink sink, String pattern) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(pattern);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(sink);
    appender.start();
    return appender;
  }

  /** The lines of {@code logger}, each parsed with duplicate keys rejected. */
  private static List<JsonNode> lines(LineSink sink, String logger) {
    return sink.lines().stream()
        .filter(line -> line.startsWith("{"))
        .map(TraceIdsTest::strict)
        .filter(line -> line.path("log.logger").asText().equals(logger))
        .toList();
  }

  private static JsonNode strict(String line) {
    try {
      return STRICT.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException("not one JSON object with unique keys: " + line, e);
    }
  }
}
