package com.aicompanion.monitoring.logging;

import static net.logstash.logback.argument.StructuredArguments.array;
import static net.logstash.logback.argument.StructuredArguments.entries;
import static net.logstash.logback.argument.StructuredArguments.fields;
import static net.logstash.logback.argument.StructuredArguments.keyValue;
import static net.logstash.logback.argument.StructuredArguments.kv;
import static net.logstash.logback.argument.StructuredArguments.raw;
import static net.logstash.logback.argument.StructuredArguments.value;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.aicompanion.monitoring.logging.internal.EcsSchema;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.logstash.logback.argument.StructuredArgument;
import org.slf4j.event.KeyValuePair;

/**
 * Random log events whose user fields (MDC, SLF4J key/value pairs, every kind of structured
 * argument) use every name the encoder writes, their parents and children, dotted, empty, blank,
 * metadata-like and unicode names, with values of every JSON kind (numbers no index takes, nested
 * objects with the same kinds of names, arrays of mixed kinds, raw JSON that does not parse).
 */
final class UserFieldArbitraries {
  static final List<String> NAMES;

  static {
    List<String> names = new ArrayList<>();
    for (String field : EcsSchema.FIELDS) {
      names.add(field);
      names.add(field + ".x");
    }
    for (String object : EcsSchema.OBJECTS) {
      names.add(object);
      names.add(object + ".k");
    }
    names.addAll(
        List.of(
            "a",
            "b",
            "a.b",
            "a.b.c",
            "b.a",
            "",
            " ",
            ".",
            "a.",
            ".a",
            "a..b",
            "_id",
            "_source",
            "_x",
            "x. .y",
            "d.".repeat(20) + "d",
            "ключ",
            "名前.値",
            "emoji😀",
            "\u0000",
            "tab\t",
            "\"q\"",
            "*star",
            "labels.x",
            "@timestamp.x",
            "message.text",
            "log.level.x",
            "error.code",
            "event.action",
            "request.id"));
    NAMES = List.copyOf(names);
  }

  private UserFieldArbitraries() {}

  static Arbitrary<String> names() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.of(NAMES)),
        Tuple.of(2, Arbitraries.strings().withChars("ab._ ").ofMaxLength(6)),
        Tuple.of(1, Arbitraries.strings().all().ofMaxLength(4)));
  }

  /** Text without masking triggers, so that a value can be found again as written. */
  static Arbitrary<String> plainText() {
    return Arbitraries.strings().withChars("abcxyz019 ,äß名😀\"\\\n").ofMaxLength(12);
  }

  static Arbitrary<Object> scalars() {
    return Arbitraries.oneOf(
        plainText().map(s -> (Object) s),
        Arbitraries.strings().all().ofMaxLength(6).map(s -> (Object) s),
        Arbitraries.integers().map(i -> (Object) i),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.of(
            0.5, -0.0, 1e300, -1e39, Double.NaN, Double.POSITIVE_INFINITY, 3.4e38, 1.5f, Float.NaN),
        Arbitraries.of(
            new BigInteger("123456789012345678901234567890"),
            BigInteger.TEN,
            new BigDecimal("1E+400"),
            new BigDecimal("12.50"),
            new BigDecimal("123456789012345678901234567890")),
        Arbitraries.of(true, false),
        Arbitraries.just(null),
        Arbitraries.of('c', Level.WARN, Thread.State.NEW));
  }

  /** Scalars, and maps and lists nested up to three levels. */
  static Arbitrary<Object> values() {
    return values(3);
  }

  private static Arbitrary<Object> values(int depth) {
    if (depth == 0) {
      return scalars();
    }
    return Arbitraries.frequencyOf(
        Tuple.of(4, scalars()),
        Tuple.of(1, Arbitraries.maps(names(), values(depth - 1)).ofMaxSize(3).map(m -> (Object) m)),
        Tuple.of(1, values(depth - 1).list().ofMaxSize(3).map(l -> (Object) l)));
  }

  static Arbitrary<StructuredArgument> arguments() {
    return Arbitraries.oneOf(
        Combinators.combine(names(), values()).as((k, v) -> kv(k, v)),
        Combinators.combine(names(), values()).as((k, v) -> keyValue(k, v)),
        Combinators.combine(names(), values()).as((k, v) -> value(k, v)),
        Arbitraries.maps(names(), values()).ofMaxSize(4).map(m -> entries(m)),
        Combinators.combine(names(), values(), Arbitraries.of(true, false))
            .as((k, v, valid) -> raw(k, valid ? json(v) : "{\"open\": [1, ")),
        Combinators.combine(names(), scalars().list().ofMaxSize(3))
            .as((k, vs) -> array(k, vs.toArray())),
        Combinators.combine(plainText(), values())
            .as((m, v) -> fields(new Bean(m, v, new Inner(m.length())))));
  }

  /** An event with an MDC, key/value pairs and structured arguments drawn from the above. */
  static Arbitrary<LoggingEvent> events() {
    return Combinators.combine(
            Arbitraries.maps(names(), plainText()).ofMaxSize(6),
            Combinators.combine(names(), values()).as(KeyValuePair::new).list().ofMaxSize(4),
            arguments().list().ofMaxSize(5))
        .as(UserFieldArbitraries::event);
  }

  static LoggingEvent event(
      Map<String, String> mdc, List<KeyValuePair> pairs, List<StructuredArgument> arguments) {
    LoggingEvent event = new LoggingEvent();
    event.setLoggerName("com.example.Property");
    event.setLevel(Level.INFO);
    event.setThreadName("prop-1");
    event.setMessage("event with {} arguments");
    event.setArgumentArray(arguments.isEmpty() ? new Object[] {0} : arguments.toArray());
    event.setTimeStamp(1_700_000_000_123L);
    event.setMDCPropertyMap(new LinkedHashMap<>(mdc));
    for (KeyValuePair pair : pairs) {
      event.addKeyValuePair(pair);
    }
    return event;
  }

  private static String json(Object value) {
    try {
      return DocumentShape.STRICT.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return "\"" + e.getClass().getSimpleName() + "\"";
    }
  }

  record Bean(String message, Object payload, Inner inner) {}

  record Inner(int count) {}
}
