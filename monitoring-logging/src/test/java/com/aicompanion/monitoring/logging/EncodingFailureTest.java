package com.aicompanion.monitoring.logging;

import static net.logstash.logback.argument.StructuredArguments.defer;
import static net.logstash.logback.argument.StructuredArguments.entries;
import static net.logstash.logback.argument.StructuredArguments.kv;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.encoder.Encoder;
import com.aicompanion.monitoring.logging.internal.EcsEncoders;
import com.aicompanion.monitoring.logging.internal.EncodingErrors;
import com.aicompanion.monitoring.logging.internal.SecretMasker;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.logstash.logback.argument.StructuredArgument;
import org.junit.jupiter.api.Test;

/**
 * No event can make the encoder throw: a field whose reading, serializing or masking fails is
 * written as {@code [unavailable: <class>]}, an event that cannot be written at all as a minimal
 * line naming the failure, each counted, the first described once; the next event is whole.
 */
class EncodingFailureTest {
  /**
   * A user mask over a long value. Its unsafe spelling {@code ACCT-(?:\\d|-)+}, which overflows the
   * stack on a few kilobytes, is refused at set-up (docs/masking.md); this is the fix the refusal
   * names, and masking a 100 KB value with it must neither throw nor leak.
   */
  static final String USER_MASK = "ACCT-[\\d-]+";

  private final LoggerContext context = new LoggerContext();
  private final EncodingErrors errors = new EncodingErrors();
  private final List<String> described = new ArrayList<>();
  private final Encoder<ILoggingEvent> encoder;

  EncodingFailureTest() {
    context.setMDCAdapter(new LogbackMDCAdapter());
    errors.onFirstFailure(described::add);
    encoder =
        EcsEncoders.create(
            context,
            new EcsEncoders.Identity("poison-svc", "1.0.0", "test", "host-1"),
            SecretMasker.defaults(false, List.of(Pattern.compile(USER_MASK))),
            errors);
  }

  static LoggingEvent event(String message, Object... arguments) {
    LoggingEvent event = new LoggingEvent();
    event.setLoggerName("com.example.Poison");
    event.setLevel(Level.WARN);
    event.setThreadName("worker-1");
    event.setMessage(message);
    event.setArgumentArray(arguments.length == 0 ? null : arguments);
    event.setTimeStamp(1_700_000_000_123L);
    event.setMDCPropertyMap(new LinkedHashMap<>());
    return event;
  }

  private JsonNode encode(ILoggingEvent event) {
    JsonNode json = DocumentShape.parse(encoder.encode(event));
    assertThat(DocumentShape.problems(json)).as(json.toString()).isEmpty();
    return json;
  }

  /** The next event after a failure is written whole (no generator left half-written). */
  private void nextEventIsWhole() {
    JsonNode json = encode(event("next {}", kv("k", "v")));
    assertThat(json.path("message").asText()).isEqualTo("next k=v");
    assertThat(json.path("k").asText()).isEqualTo("v");
    assertThat(json.path("labels").isMissingNode()).isTrue();
  }

  static String marker(Class<? extends Throwable> type) {
    return "[unavailable: " + type.getName() + "]";
  }

  @Test
  void aGetterThatThrowsAnErrorLeavesAMarkerInItsFieldOnly() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    errors.bindTo(registry);

    JsonNode json = encode(event("with {} {}", kv("bean", new Poison()), kv("after", 1)));

    assertThat(json.path("bean").asText()).isEqualTo(marker(PoisonError.class));
    assertThat(json.path("after").asInt()).isEqualTo(1);
    assertThat(json.path("message").asText()).startsWith("with bean=");
    assertThat(errors.count()).isEqualTo(1);
    assertThat(described)
        .singleElement()
        .asString()
        .contains("bean")
        .contains(PoisonError.class.getName())
        .doesNotContain("ak-should-not-appear");
    assertThat(registry.get(EncodingErrors.METRIC).functionCounter().count()).isEqualTo(1.0);
    nextEventIsWhole();
  }

  @Test
  void anArgumentThatOverflowsTheStackMidFieldLeavesAMarker() {
    StructuredArgument overflowing =
        new Argument(
            generator -> {
              generator.writeFieldName("deep");
              throw new StackOverflowError();
            });
    StructuredArgument halfAnObject =
        new Argument(
            generator -> {
              generator.writeFieldName("partial");
              generator.writeStartObject();
              generator.writeFieldName("x");
              throw new IllegalStateException("in the middle");
            });

    JsonNode json = encode(event("args", overflowing, halfAnObject, kv("after", "ok")));

    assertThat(json.path("deep").asText()).isEqualTo(marker(StackOverflowError.class));
    assertThat(json.path("partial").asText()).isEqualTo(marker(IllegalStateException.class));
    assertThat(json.path("after").asText()).isEqualTo("ok");
    assertThat(errors.count()).isEqualTo(2);
    assertThat(described).hasSize(1);
    nextEventIsWhole();
  }

  @Test
  void aKeyWhoseToStringThrowsAndASupplierThatThrowsBecomeLabels() {
    Map<Object, Object> map = new LinkedHashMap<>();
    map.put("before", "kept");
    map.put(new ThrowingToString(), "lost with its key");
    StructuredArgument supplied =
        defer(
            () -> {
              throw new IllegalArgumentException("supplier");
            });

    JsonNode json = encode(event("keys {}", entries(map), supplied));

    assertThat(json.path("before").asText()).isEqualTo("kept");
    assertThat(json.path("labels").path("encoding_error").asText())
        .isEqualTo(marker(PoisonError.class));
    assertThat(json.path("labels").path("encoding_error_2").asText())
        .isEqualTo(marker(IllegalArgumentException.class));
    // Logback's own formatting turns the failing toString() into a marker of its own
    assertThat(json.path("message").asText()).startsWith("keys ");
    assertThat(errors.count()).isEqualTo(2);
    nextEventIsWhole();
  }

  @Test
  void anExceptionWhoseMessageAndStackCannotBeReadKeepsItsType() {
    LoggingEvent event =
        new LoggingEvent() {
          @Override
          public IThrowableProxy getThrowableProxy() {
            return new UnreadableThrowable();
          }
        };
    event.setLoggerName("com.example.Poison");
    event.setLevel(Level.WARN);
    event.setMessage("failed");
    event.setThreadName("worker-1");
    event.setTimeStamp(1_700_000_000_123L);
    event.setMDCPropertyMap(Map.of());

    JsonNode json = encode(event);

    assertThat(json.path("error.type").asText()).isEqualTo("com.example.Unreadable");
    assertThat(json.path("error.message").asText()).isEqualTo(marker(PoisonError.class));
    assertThat(json.path("error.stack_trace").asText()).isEqualTo(marker(PoisonError.class));
    assertThat(json.path("message").asText()).isEqualTo("failed");
    assertThat(errors.count()).isEqualTo(2);
    nextEventIsWhole();
  }

  @Test
  void anEventEncodedWhileThisThreadEncodesAnotherGetsTheMinimalLine() {
    List<byte[]> nested = new ArrayList<>();
    Object reentrant =
        new Object() {
          @SuppressWarnings("unused")
          public String getValue() {
            nested.add(encoder.encode(event("nested with trace")));
            return "outer value";
          }
        };
    LoggingEvent outer = event("outer {}", kv("bean", reentrant));

    JsonNode json = encode(outer);

    assertThat(json.path("bean").path("value").asText()).isEqualTo("outer value");
    JsonNode minimal = DocumentShape.parse(nested.get(0));
    assertThat(DocumentShape.problems(minimal)).isEmpty();
    assertThat(minimal.path("message").asText()).isEqualTo("nested with trace");
    assertThat(minimal.path("log.level").asText()).isEqualTo("WARN");
    assertThat(minimal.path("service.name").asText()).isEqualTo("poison-svc");
    assertThat(minimal.path("@timestamp").asText()).isEqualTo("2023-11-14T22:13:20.123Z");
    assertThat(minimal.path("labels").path("encoding_error").asText())
        .isEqualTo(marker(IllegalStateException.class));
    assertThat(errors.count()).isEqualTo(1);
    nextEventIsWhole();
  }

  @Test
  void aUserMaskOnAHugeValueNeverThrowsNorLeaksTheValue() {
    String account = "ACCT-" + "1-".repeat(50_000);
    LoggingEvent event = event("account " + account + " {} {}", kv("acct", account));
    event.getMDCPropertyMap().put("account", account);
    event.addKeyValuePair(new org.slf4j.event.KeyValuePair("nested", Map.of("acct", account)));

    byte[] line = encoder.encode(event);

    String text = new String(line, StandardCharsets.UTF_8);
    JsonNode json = DocumentShape.parse(line);
    assertThat(DocumentShape.problems(json)).isEmpty();
    assertThat(text).doesNotContain("ACCT-1-1-1-1");
    assertThat(json.path("service.name").asText()).isEqualTo("poison-svc");
    // each field is there, masked or (when masking failed) the marker: the line kept its shape
    assertThat(json.path("account").asText()).isNotEmpty();
    assertThat(json.has("acct")).isTrue();
    assertThat(json.has("nested")).isTrue();
    nextEventIsWhole();
  }

  /** The line an index gets when even the minimal line's parts fail: time and failure. */
  @Test
  void theMinimalLineSurvivesAMessageThatCannotBeFormatted() {
    LoggingEvent event =
        new LoggingEvent() {
          @Override
          public String getFormattedMessage() {
            throw new PoisonError();
          }
        };
    event.setLoggerName("com.example.Poison");
    event.setLevel(Level.ERROR);
    event.setThreadName("worker-2");
    event.setTimeStamp(1_700_000_000_123L);
    event.setMDCPropertyMap(Map.of("trace.id", "t-1"));

    JsonNode json = encode(event);

    assertThat(json.path("message").asText()).isEqualTo(marker(PoisonError.class));
    assertThat(json.path("trace.id").asText()).isEqualTo("t-1");
    assertThat(json.path("log.logger").asText()).isEqualTo("com.example.Poison");
    assertThat(errors.count()).isEqualTo(1);
    nextEventIsWhole();
  }

  static final class PoisonError extends Error {
    private static final long serialVersionUID = 1L;

    PoisonError() {
      super("poison with api_key=ak-should-not-appear");
    }
  }

  /** A bean whose getter throws an Error (Jackson rethrows Errors from getters as they are). */
  public static final class Poison {
    public String getValue() {
      throw new PoisonError();
    }

    @Override
    public String toString() {
      return "Poison";
    }
  }

  static final class ThrowingToString {
    @Override
    public String toString() {
      throw new PoisonError();
    }
  }

  interface Writer {
    void write(JsonGenerator generator) throws IOException;
  }

  /** A structured argument of the application's own making. */
  record Argument(Writer writer) implements StructuredArgument {
    @Override
    public void writeTo(JsonGenerator generator) throws IOException {
      writer.write(generator);
    }

    @Override
    public String toString() {
      return "argument";
    }
  }

  /** A throwable proxy (e.g. from a remote or a custom appender) whose parts cannot be read. */
  static final class UnreadableThrowable implements IThrowableProxy {
    @Override
    public String getMessage() {
      throw new PoisonError();
    }

    @Override
    public String getClassName() {
      return "com.example.Unreadable";
    }

    @Override
    public StackTraceElementProxy[] getStackTraceElementProxyArray() {
      throw new PoisonError();
    }

    @Override
    public int getCommonFrames() {
      return 0;
    }

    @Override
    public IThrowableProxy getCause() {
      return null;
    }

    @Override
    public IThrowableProxy[] getSuppressed() {
      return new IThrowableProxy[0];
    }

    @Override
    public boolean isCyclic() {
      return false;
    }
  }
}
