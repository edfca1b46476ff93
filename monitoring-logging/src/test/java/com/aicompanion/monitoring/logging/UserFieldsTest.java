package com.aicompanion.monitoring.logging;

import static net.logstash.logback.argument.StructuredArguments.array;
import static net.logstash.logback.argument.StructuredArguments.entries;
import static net.logstash.logback.argument.StructuredArguments.fields;
import static net.logstash.logback.argument.StructuredArguments.kv;
import static net.logstash.logback.argument.StructuredArguments.raw;
import static net.logstash.logback.argument.StructuredArguments.value;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.encoder.Encoder;
import com.aicompanion.monitoring.logging.internal.EcsEncoders;
import com.aicompanion.monitoring.logging.internal.EcsSchema;
import com.aicompanion.monitoring.logging.internal.SecretMasker;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/**
 * User fields (MDC, SLF4J key/value pairs, structured arguments) never collide with the schema or
 * with each other: each case of the issue with the value it must give
 * (monitoring-logging/README.md, "User fields and the ECS schema"). Every line is also parsed with
 * duplicate detection and checked against the template's mapping ({@link DocumentShape}).
 */
class UserFieldsTest {
  private final LoggerContext context = new LoggerContext();
  private final Encoder<ILoggingEvent> encoder;

  UserFieldsTest() {
    context.setMDCAdapter(new LogbackMDCAdapter());
    encoder =
        EcsEncoders.create(
            context,
            new EcsEncoders.Identity("fields-svc", "1.0.0", "test", "host-1"),
            SecretMasker.defaults(false, List.of()));
  }

  private static LoggingEvent event(String message, Object... arguments) {
    LoggingEvent event = new LoggingEvent();
    event.setLoggerName("com.example.Fields");
    event.setLevel(Level.INFO);
    event.setThreadName("worker-1");
    event.setMessage(message);
    event.setArgumentArray(arguments.length == 0 ? null : arguments);
    event.setTimeStamp(1_700_000_000_123L);
    event.setMDCPropertyMap(new LinkedHashMap<>());
    return event;
  }

  /** {@code event} with an MDC of {@code keysAndValues}, in that order. */
  private static LoggingEvent withMdc(LoggingEvent event, String... keysAndValues) {
    for (int i = 0; i < keysAndValues.length; i += 2) {
      event.getMDCPropertyMap().put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return event;
  }

  /** The line, checked: one strict JSON object, nothing an index with the template rejects. */
  private JsonNode encode(ILoggingEvent event) {
    byte[] line = encoder.encode(event);
    JsonNode json = DocumentShape.parse(line);
    assertThat(DocumentShape.problems(json)).as(new String(line, StandardCharsets.UTF_8)).isEmpty();
    assertThat(json.path("message").isTextual()).isTrue();
    return json;
  }

  @Test
  void mdcErrorGoesToLabelsBesideTheSchemasErrorObject() {
    JsonNode json = encode(withMdc(event("hi"), "error", "x"));

    assertThat(json.has("error")).isFalse();
    assertThat(json.path("labels").path("error").asText()).isEqualTo("x");
    assertThat(json.path("message").asText()).isEqualTo("hi");
  }

  @Test
  void mdcErrorWithAnExceptionKeepsTheExceptionFields() {
    LoggingEvent event = withMdc(event("failed"), "error", "x", "error.type", "mine");
    event.setThrowableProxy(new ThrowableProxy(new IllegalStateException("boom")));

    JsonNode json = encode(event);

    assertThat(json.path("error.type").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(json.path("error.message").asText()).isEqualTo("boom");
    assertThat(json.path("labels").path("error").asText()).isEqualTo("x");
    assertThat(json.path("labels").path("error_type").asText()).isEqualTo("mine");
  }

  @Test
  void messageFromMdcKeyValuePairsAndStructuredArgumentsNeverDuplicatesTheMessage() {
    LoggingEvent event =
        withMdc(event("the real {}", kv("message", "from kv")), "message", "from mdc");
    event.addKeyValuePair(new KeyValuePair("message", "from pair"));

    JsonNode json = encode(event);

    assertThat(json.path("message").asText()).isEqualTo("the real message=from kv");
    JsonNode labels = json.path("labels");
    assertThat(labels.path("message").asText()).isEqualTo("from mdc");
    assertThat(labels.path("message_2").asText()).isEqualTo("from pair");
    assertThat(labels.path("message_3").asText()).isEqualTo("from kv");
  }

  @Test
  void everyFieldTheEncoderWritesAndTheirParentsAreProtected() {
    Map<String, String> mdc = new LinkedHashMap<>();
    for (String field : EcsSchema.FIELDS) {
      if (!field.equals("trace.id") && !field.equals("span.id")) {
        mdc.put(field, "user " + field);
      }
    }
    for (String object : EcsSchema.OBJECTS) {
      mdc.put(object, "user " + object);
    }
    LoggingEvent event = event("protected");
    event.getMDCPropertyMap().putAll(mdc);

    JsonNode json = encode(event);

    assertThat(json.path("message").asText()).isEqualTo("protected");
    assertThat(json.path("log.level").asText()).isEqualTo("INFO");
    assertThat(json.path("log.logger").asText()).isEqualTo("com.example.Fields");
    assertThat(json.path("service.name").asText()).isEqualTo("fields-svc");
    assertThat(json.path("@timestamp").asText()).isEqualTo("2023-11-14T22:13:20.123Z");
    assertThat(json.path("labels").path("log_level").asText()).isEqualTo("user log.level");
    assertThat(json.path("labels").path("service").asText()).isEqualTo("user service");
    assertThat(json.path("labels").path("process_thread").asText())
        .isEqualTo("user process.thread");
    assertThat(json.path("labels").path("_timestamp").isMissingNode()).isTrue();
    assertThat(json.path("labels").path("@timestamp").asText()).isEqualTo("user @timestamp");
    assertThat(json.path("labels").path("labels").asText()).isEqualTo("user labels");
    assertThat(json.path("labels").size()).isEqualTo(mdc.size());
  }

  @Test
  void childrenOfSchemaFieldsGoToLabelsChildrenOfSchemaObjectsStay() {
    JsonNode json =
        encode(
            event(
                "x",
                kv("log.level.x", "1"),
                kv("message.text", "2"),
                kv("@timestamp.raw", "3"),
                kv("error.code", "E42"),
                kv("event.action", "login"),
                kv("labels.env", "prod")));

    assertThat(json.path("labels").path("log_level_x").asText()).isEqualTo("1");
    assertThat(json.path("labels").path("message_text").asText()).isEqualTo("2");
    assertThat(json.path("labels").path("@timestamp_raw").asText()).isEqualTo("3");
    assertThat(json.path("labels").path("labels_env").asText()).isEqualTo("prod");
    // ECS fields the encoder does not write keep their place
    assertThat(json.path("error.code").asText()).isEqualTo("E42");
    assertThat(json.path("event.action").asText()).isEqualTo("login");
  }

  @Test
  void traceIdsComeFromTheMdcOnlyAnArgumentCannotReplaceThem() {
    LoggingEvent event =
        withMdc(
            event("traced", kv("trace.id", "forged"), kv("span", Map.of("id", "s"))),
            "trace.id",
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "span.id",
            "00f067aa0ba902b7");

    JsonNode json = encode(event);

    assertThat(json.path("trace.id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(json.path("span.id").asText()).isEqualTo("00f067aa0ba902b7");
    assertThat(json.path("labels").path("trace_id").asText()).isEqualTo("forged");
    assertThat(json.path("labels").path("span").asText()).isEqualTo("{\"id\":\"s\"}");
  }

  @Test
  void userFieldsThatOverlapEachOtherAreWrittenOnce() {
    LoggingEvent event =
        withMdc(
            event("overlap", kv("a", "from kv"), kv("a.b.c", 3), kv("x", Map.of("y", 1))),
            "a",
            "from mdc",
            "a.b",
            "deeper");
    event.addKeyValuePair(new KeyValuePair("x.y", 2));

    JsonNode json = encode(event);

    assertThat(json.path("a").asText()).isEqualTo("from mdc");
    assertThat(json.path("labels").path("a_b").asText()).isEqualTo("deeper");
    assertThat(json.path("labels").path("a").asText()).isEqualTo("from kv");
    assertThat(json.path("labels").path("a_b_c").asText()).isEqualTo("3");
    assertThat(json.path("x.y").asInt()).isEqualTo(2);
    assertThat(json.path("labels").path("x").asText()).isEqualTo("{\"y\":1}");
  }

  @Test
  void namesAnIndexRejectsGoToLabels() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("", "empty");
    map.put("a.", "trailing dot");
    map.put(".a", "leading dot");
    map.put("a..b", "double dot");
    map.put(" ", "blank");
    map.put("_id", "metadata");
    map.put("x. .y", "blank part");
    map.put("d.".repeat(20) + "d", "too deep");

    JsonNode json = encode(event("names", entries(map)));

    JsonNode labels = json.path("labels");
    assertThat(labels.path("_").asText()).isEqualTo("empty");
    assertThat(labels.path("a_").asText()).isEqualTo("trailing dot");
    assertThat(labels.path("_a").asText()).isEqualTo("leading dot");
    assertThat(labels.path("a__b").asText()).isEqualTo("double dot");
    // "_" again, made unique
    assertThat(labels.path("__2").asText()).isEqualTo("blank");
    assertThat(labels.path("_id").asText()).isEqualTo("metadata");
    assertThat(labels.path("x_ _y").asText()).isEqualTo("blank part");
    assertThat(labels.path("d_".repeat(20) + "d").asText()).isEqualTo("too deep");
  }

  @Test
  void nestedValuesAreMadeIndexableWithoutLosingTheirText() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("", 1);
    nested.put("b.c", "dotted");
    nested.put("b", "now a scalar");
    nested.put("mixed", List.of(1, "x", true));
    nested.put("objects", List.of(Map.of("k", 1), Map.of("k", "v")));
    nested.put("strings", List.of("s1", "s2"));
    LoggingEvent event =
        event(
            "nested",
            kv("obj", nested),
            kv("nan", Double.NaN),
            kv("huge", 1e300),
            kv("bigint", new BigInteger("123456789012345678901234567890")),
            kv("bigdec", new BigDecimal("1E+400")),
            kv("small", 42),
            raw("raw_ok", "{\"r\":[1,2]}"),
            raw("raw_bad", "{not json"),
            array("tags", "a", "b"),
            value("plain", true));

    JsonNode json = encode(event);

    JsonNode obj = json.path("obj");
    assertThat(obj.path("_").asInt()).isEqualTo(1);
    assertThat(obj.path("b.c").asText()).isEqualTo("dotted");
    assertThat(obj.path("b_2").asText()).isEqualTo("now a scalar");
    assertThat(obj.path("mixed").asText()).isEqualTo("[1,\"x\",true]");
    assertThat(obj.path("objects").isTextual()).isTrue();
    assertThat(obj.path("strings").get(1).asText()).isEqualTo("s2");
    assertThat(json.path("nan").asText()).isEqualTo("NaN");
    assertThat(json.path("huge").asText()).isEqualTo("1.0E300");
    assertThat(json.path("bigint").asText()).isEqualTo("123456789012345678901234567890");
    assertThat(json.path("bigdec").asText()).isEqualTo("1E+400");
    assertThat(json.path("small").asInt()).isEqualTo(42);
    assertThat(json.path("raw_ok").path("r").get(1).asInt()).isEqualTo(2);
    assertThat(json.path("raw_bad").asText()).isEqualTo("{not json");
    assertThat(json.path("tags").get(0).asText()).isEqualTo("a");
    assertThat(json.path("plain").asBoolean()).isTrue();
  }

  @Test
  void fieldsOfAnObjectAreUserFieldsToo() {
    JsonNode json = encode(event("bean", fields(new Bean("from bean", "ok", new Inner(7)))));

    assertThat(json.path("message").asText()).isEqualTo("bean");
    assertThat(json.path("labels").path("message").asText()).isEqualTo("from bean");
    assertThat(json.path("status").asText()).isEqualTo("ok");
    assertThat(json.path("inner").path("count").asInt()).isEqualTo(7);
  }

  @Test
  void aSecretNameMasksEveryKindOfValueWhereverItGoes() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("password", "nested-plain");
    LoggingEvent event =
        withMdc(
            event(
                "secrets",
                kv("password", 987654321),
                kv("api_key", Map.of("id", "k-plain")),
                kv("config", nested),
                kv("labels.client_secret", "label-plain")),
            "error.password",
            "mdc-plain");

    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
    JsonNode json = encode(event);

    assertThat(line)
        .doesNotContain("987654321")
        .doesNotContain("k-plain")
        .doesNotContain("nested-plain")
        .doesNotContain("label-plain")
        .doesNotContain("mdc-plain");
    assertThat(json.path("password").asText()).isEqualTo("****");
    assertThat(json.path("api_key").asText()).isEqualTo("****");
    assertThat(json.path("labels").path("labels_client_secret").asText()).isEqualTo("****");
  }

  @Test
  void theReadmeTableGivesWhatItShows() {
    assertThat(encode(withMdc(event("hi"), "error", "x")).path("labels").toString())
        .isEqualTo("{\"error\":\"x\"}");

    JsonNode message = encode(withMdc(event("hi {}", kv("message", "y")), "message", "x"));
    assertThat(message.path("message").asText()).isEqualTo("hi message=y");
    assertThat(message.path("labels").toString())
        .isEqualTo("{\"message\":\"x\",\"message_2\":\"y\"}");

    JsonNode children = encode(event("c", kv("log.level.x", 1), kv("service", Map.of("id", "s"))));
    assertThat(children.path("labels").toString())
        .isEqualTo("{\"log_level_x\":\"1\",\"service\":\"{\\\"id\\\":\\\"s\\\"}\"}");

    JsonNode overlap =
        encode(withMdc(event("o", kv("a.b", 2), kv("a", 3), kv("a_b", 4)), "a", "1"));
    assertThat(overlap.path("a").asText()).isEqualTo("1");
    assertThat(overlap.path("labels").toString()).isEqualTo("{\"a_b\":\"2\",\"a\":\"3\"}");
    assertThat(overlap.path("a_b").asInt()).isEqualTo(4);

    assertThat(encode(event("e", kv("error.code", "E42"))).path("error.code").asText())
        .isEqualTo("E42");

    JsonNode metadata = encode(event("m", entries(Map.of("_id", "x", "", "y"))));
    assertThat(metadata.path("labels").path("_id").asText()).isEqualTo("x");
    assertThat(metadata.path("labels").path("_").asText()).isEqualTo("y");
  }

  record Bean(String message, String status, Inner inner) {}

  record Inner(int count) {}
}
