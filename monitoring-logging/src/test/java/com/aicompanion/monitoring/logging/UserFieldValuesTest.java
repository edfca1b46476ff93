package com.aicompanion.monitoring.logging;

import static net.logstash.logback.argument.StructuredArguments.array;
import static net.logstash.logback.argument.StructuredArguments.entries;
import static net.logstash.logback.argument.StructuredArguments.fields;
import static net.logstash.logback.argument.StructuredArguments.kv;
import static net.logstash.logback.argument.StructuredArguments.raw;
import static net.logstash.logback.argument.StructuredArguments.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.testsupport.opensearch.OpenSearchExtension;
import com.aicompanion.monitoring.testsupport.opensearch.OpenSearchNode;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Issue 13 item 1 as a new user tries it: user field names and values of the kinds that the
 * module's own tests do not use, logged through the public API (MDC, SLF4J 2 fluent key/value
 * pairs, logstash structured arguments) with shipping to a real OpenSearch node. Each line on the
 * console must be one strict JSON object that the installed template accepts, and every event must
 * be in the index.
 */
@ExtendWith(OpenSearchExtension.class)
class UserFieldValuesTest {
  private static final Logger LOG = LoggerFactory.getLogger("com.example.fields.Values");

  private final LineSink sink = new LineSink();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private JsonLogging logging;

  @AfterEach
  void close() {
    MDC.clear();
    if (logging != null) {
      logging.close();
    }
  }

  record Point(int x, String message, Map<String, Object> error) {}

  /** A bean whose properties are schema names, for {@code fields(..)}. */
  public static final class Clashing {
    public String getMessage() {
      return "bean message";
    }

    public String getError() {
      return "bean error";
    }

    public int getLabels() {
      return 3;
    }

    public String getTimestamp() {
      return "t";
    }
  }

  enum Color {
    RED
  }

  private JsonLogging install(String service, URI node) {
    logging =
        JsonLogging.builder(service)
            .output(sink)
            .elasticsearch(node)
            .config("elasticsearch.flush.interval", "200ms")
            .config("elasticsearch.max.backoff", "500ms")
            .meterRegistry(meters)
            .install();
    return logging;
  }

  private static void mdcCase(String label, String... keysAndValues) {
    for (int i = 0; i < keysAndValues.length; i += 2) {
      MDC.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    try {
      LOG.info("{} mdc", label);
    } finally {
      MDC.clear();
    }
  }

  /** Logs every case; returns the case labels (each is the first word of its message). */
  private static List<String> logEveryCase() {
    List<String> cases = new ArrayList<>();
    int[] n = {0};
    java.util.function.Supplier<String> next =
        () -> {
          String label = "case" + (++n[0]);
          cases.add(label);
          return label;
        };
    // MDC names
    mdcCase(next.get(), "@timestamp", "not a date");
    mdcCase(next.get(), "ecs.version", "x");
    mdcCase(next.get(), "log", "x");
    mdcCase(next.get(), "log.origin.file.name", "Foo.java");
    mdcCase(next.get(), "labels", "x");
    mdcCase(next.get(), "labels.x", "y");
    mdcCase(next.get(), "event.dataset", "mine");
    mdcCase(next.get(), "Message", "capital");
    mdcCase(next.get(), "message ", "trailing blank");
    mdcCase(next.get(), " message", "leading blank");
    mdcCase(next.get(), "a.b.c", "1", "a.b", "2", "a", "3");
    mdcCase(next.get(), "ключ.значение", "x", "日本語", "y", "🔑", "z");
    mdcCase(next.get(), "k".repeat(5000), "long");
    mdcCase(next.get(), String.join(".", java.util.Collections.nCopies(20, "p")), "deep");
    mdcCase(next.get(), ".", "dot", "..", "dots", "a..b", "x", " ", "blank", "", "empty");
    mdcCase(next.get(), "_source", "s", "_id", "i", "@timestamp.x", "t");
    mdcCase(next.get(), "quote\"key", "q", "back\\slash", "b", "new\nline", "n", "nul\u0000", "z");
    mdcCase(next.get(), "lone\uD800surrogate", "v", "value", "lone \uDC00 in value");
    mdcCase(next.get(), "trace.id", "not-hex", "span.id", "also-not-hex");
    mdcCase(next.get(), "error.code", "E1", "error.code.x", "E2");
    mdcCase(next.get(), "host.ip", "not an ip", "process.pid", "not a number");
    // SLF4J 2 key/value pairs
    LOG.atInfo()
        .setMessage(next.get() + " pairs")
        .addKeyValue("message", "pair message")
        .addKeyValue("@timestamp", Instant.EPOCH)
        .addKeyValue("labels", Map.of("x", 1))
        .addKeyValue("log.level", 5)
        .log();
    LOG.atInfo().setMessage(next.get() + " null pair key").addKeyValue(null, "v").log();
    LOG.atInfo()
        .setMessage(next.get() + " null pair value")
        .addKeyValue("nullvalue", (Object) null)
        .addKeyValue("dup", 1)
        .addKeyValue("dup", 2)
        .log();
    // structured arguments: values of every kind
    Map<String, Object> clash1 = new LinkedHashMap<>();
    clash1.put("x.y", 1);
    clash1.put("x", Map.of("y", 2));
    LOG.info("{} nested clash {}", next.get(), kv("nested1", clash1));
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("y.z", 1);
    inner.put("y", Map.of("z", 2));
    LOG.info("{} nested clash deeper {}", next.get(), kv("nested2", Map.of("x", inner)));
    Map<String, Object> odd = new LinkedHashMap<>();
    odd.put("", 1);
    odd.put(" ", 2);
    odd.put("_id", 3);
    odd.put("a..b", 4);
    LOG.info("{} odd nested keys {}", next.get(), kv("nested3", odd));
    Map<Object, Object> nonString = new LinkedHashMap<>();
    nonString.put(1, "one");
    nonString.put(true, "yes");
    nonString.put(Color.RED, "red");
    LOG.info("{} non-string keys {}", next.get(), kv("nested4", nonString));
    Map<String, Object> nullKey = new HashMap<>();
    nullKey.put(null, "null key");
    nullKey.put("k", "v");
    LOG.info("{} null key {}", next.get(), kv("nested5", nullKey));
    Map<String, Object> cyclic = new HashMap<>();
    cyclic.put("self", cyclic);
    LOG.info("{} cyclic {}", next.get(), kv("cyclic", cyclic));
    LOG.info(
        "{} optionals {} {}",
        next.get(),
        kv("present", Optional.of("x")),
        kv("absent", Optional.empty()));
    LOG.info(
        "{} record {}", next.get(), kv("point", new Point(1, "in record", Map.of("type", "x"))));
    LOG.info("{} bytes {}", next.get(), kv("bytes", new byte[] {1, 2, 3, (byte) 0xff}));
    LOG.info(
        "{} java.time {} {} {}",
        next.get(),
        kv("instant", Instant.parse("2024-01-02T03:04:05Z")),
        kv("date", LocalDate.of(2024, 1, 2)),
        kv("duration", Duration.ofSeconds(90)));
    LOG.info(
        "{} misc {} {} {} {}",
        next.get(),
        kv("uuid", UUID.fromString("00000000-0000-0000-0000-000000000001")),
        kv("uri", URI.create("http://x/y")),
        kv("enum", Color.RED),
        kv("clazz", String.class));
    LOG.info("{} thread {}", next.get(), kv("thread", Thread.currentThread()));
    LOG.info(
        "{} numbers {} {} {} {} {} {} {} {} {}",
        next.get(),
        kv("hugedec", new BigDecimal("1e400")),
        kv("longdec", new BigDecimal("123456789012345678901234567890.123")),
        kv("hugeint", new BigInteger("9".repeat(60))),
        kv("nan", Double.NaN),
        kv("inf", Double.NEGATIVE_INFINITY),
        kv("fnan", Float.NaN),
        kv("negzero", -0.0),
        kv("overfloat", 3.5e38),
        kv("tiny", 1e-50));
    LOG.info(
        "{} arrays {} {} {} {} {} {} {}",
        next.get(),
        kv("mixed", new Object[] {1, "a", true}),
        kv("intdec", List.of(1, 2.5)),
        kv("nestedlist", List.of(List.of(1), 2)),
        kv("ints", new int[] {1, 2}),
        kv("withnull", new String[] {null, "a"}),
        kv("empty", List.of()),
        kv("objects", List.of(Map.of("a", 1), Map.of("a", Map.of("b", 2)))));
    LOG.info(
        "{} array in map {}",
        next.get(),
        kv(
            "holder",
            Map.of("inner", List.of(1, "a"), "deep", List.of(Map.of("q", List.of(true, 1))))));
    LOG.info("{} null value {}", next.get(), kv("n", null));
    LOG.info(
        "{} entries {}",
        next.get(),
        entries(
            new LinkedHashMap<>(
                Map.of("message", "e", "log.level", "e", "a.b", "1", "a", "2", "labels.q", "3"))));
    LOG.info("{} fields {}", next.get(), fields(new Clashing()));
    LOG.info(
        "{} raws {} {} {} {} {}",
        next.get(),
        raw("message", "{\"a\":1}"),
        raw("rawdup", "{\"message\": 1, \"message\": 2}"),
        raw("rawmixed", "[1,\"a\"]"),
        raw("rawid", "{\"_id\":1,\"\":2}"),
        raw("rawnum", "123"));
    LOG.info(
        "{} value and array {} {} {}",
        next.get(),
        value("message", "v"),
        array("log", 1, 2),
        array("arr", 1, "a"));
    LOG.info("{} long value {}", next.get(), kv("longvalue", "v".repeat(40_000)));
    LOG.info("{} lone surrogate in message \uD800 end", next.get());
    LOG.info("{} deep map {}", next.get(), kv("deep", nest(30)));
    return cases;
  }

  private static Map<String, Object> nest(int depth) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("leaf", depth);
    if (depth > 0) {
      map.put("d", nest(depth - 1));
    }
    return map;
  }

  private List<String> lineProblems() {
    List<String> problems = new ArrayList<>();
    for (String line : sink.lines()) {
      try {
        JsonNode json = DocumentShape.parse((line + "\n").getBytes(StandardCharsets.UTF_8));
        for (String p : DocumentShape.problems(json)) {
          problems.add(p + " in " + abbreviate(line));
        }
      } catch (AssertionError e) {
        problems.add(abbreviate(e.getMessage()));
      }
    }
    return problems;
  }

  private static String abbreviate(String s) {
    return s.length() > 600 ? s.substring(0, 600) + "..." : s;
  }

  private String shipperLines() {
    return sink.lines().stream()
        .filter(l -> l.contains("com.aicompanion.monitoring.logging.shipping"))
        .map(UserFieldValuesTest::abbreviate)
        .reduce("", (a, b) -> a + "\n" + b);
  }

  private double reason(String outcome, String reason) {
    return meters
        .get("monitoring.log.event.reasons")
        .tag("outcome", outcome)
        .tag("reason", reason)
        .functionCounter()
        .count();
  }

  private static JsonNode json(String body) {
    try {
      return LineSink.JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first words of the messages of the documents in {@code stream}. */
  private static TreeSet<String> firstWords(OpenSearchNode node, String stream) {
    node.request("POST", "/" + stream + "/_refresh", null);
    JsonNode hits =
        json(node.request("GET", "/" + stream + "/_search?size=1000&_source=message", null).body())
            .path("hits")
            .path("hits");
    TreeSet<String> words = new TreeSet<>();
    hits.forEach(h -> words.add(h.path("_source").path("message").asText().split(" ")[0]));
    return words;
  }

  @Test
  void everyLineIsStrictJsonThatTheTemplateAccepts(OpenSearchNode node) {
    install("uf-fields", node.uri());

    List<String> cases = logEveryCase();
    logging.close();
    try {
      // kept for the reader of a failure: what each case gave
      java.nio.file.Files.writeString(
          java.nio.file.Path.of("target", "user-field-values-lines.json"), sink.text());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }

    assertThat(lineProblems()).isEmpty();
  }

  @Test
  void everyCaseIsInTheIndexAndNoneFailed(OpenSearchNode node) {
    install("uf-ship", node.uri());

    List<String> cases = logEveryCase();

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                logging.shippedEvents() + logging.failedEvents() + logging.droppedEvents()
                    >= cases.size() + 1);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> meters.get("monitoring.log.queue.size").gauge().value() == 0);
    String failures = shipperLines();
    TreeSet<String> missing = new TreeSet<>(cases);
    missing.removeAll(firstWords(node, logging.dataStream()));
    assertThat(missing).as("cases not in the index; shipper said:%s", failures).isEmpty();
    assertThat(logging.failedEvents()).as(failures).isZero();
    // one document is sent in its safe form here: case11's "a.b.c" maps a.b as an object, and the
    // entries case's "a.b" is then a value (a conflict between documents, as documented)
    assertThat(reason("shipped", "safe_form")).as("sent in the safe form").isLessThanOrEqualTo(1);
  }

  private JsonNode lineWith(String message) {
    return sink.json().stream()
        .filter(j -> j.path("message").asText().equals(message))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line " + message + " in " + sink.text()));
  }

  @Test
  void javaTimeAndOptionalValuesKeepTheirValue() {
    logging = JsonLogging.builder("uf-values").output(sink).install();
    LOG.info(
        "values",
        kv("at", Instant.parse("2024-01-02T03:04:05Z")),
        kv("day", LocalDate.of(2024, 1, 2)),
        kv("took", Duration.ofSeconds(90)),
        kv("maybe", Optional.of("x")));
    logging.close();

    JsonNode line = lineWith("values");
    assertThat(line.toString()).doesNotContain("[unavailable");
    assertThat(line.path("at").asText()).contains("2024-01-02");
    assertThat(line.path("day").asText()).contains("2024");
    assertThat(line.path("maybe").asText()).isEqualTo("x");
  }

  @Test
  void jdkValuesKeepTheirValueAtAnyDepthAndAsLabels() {
    logging = JsonLogging.builder("uf-jdk-values").output(sink).install();
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("at", Instant.parse("2024-01-02T03:04:05Z"));
    nested.put("none", Optional.empty());
    nested.put("count", java.util.OptionalInt.of(3));
    LOG.atInfo()
        .setMessage("jdk values")
        .addKeyValue("@timestamp", Instant.EPOCH)
        .addKeyValue("took", Duration.ofSeconds(90))
        .addKeyValue("nested", nested)
        .addKeyValue("worker", Thread.currentThread())
        .log();
    logging.close();

    JsonNode line = lineWith("jdk values");
    assertThat(line.toString()).doesNotContain("[unavailable");
    assertThat(line.path("labels").path("@timestamp").asText()).isEqualTo("1970-01-01T00:00:00Z");
    assertThat(line.path("took").asText()).isEqualTo("PT1M30S");
    assertThat(line.path("nested").path("at").asText()).isEqualTo("2024-01-02T03:04:05Z");
    assertThat(line.path("nested").path("none").isNull()).isTrue();
    assertThat(line.path("nested").path("count").asInt()).isEqualTo(3);
    assertThat(line.path("worker").asText()).isEqualTo(Thread.currentThread().toString());
  }

  @Test
  void aKeyValuePairWithANullKeyIsKeptUnderLabelsNotDroppedSilently() {
    logging = JsonLogging.builder("uf-null-key").output(sink).install();
    LOG.atInfo().setMessage("null key").addKeyValue(null, "the value").log();
    logging.close();

    assertThat(lineWith("null key").path("labels").path("_").asText()).isEqualTo("the value");
  }

  @Test
  void anEventWithANewKeyAfterTheIndexHasManyFieldsIsShippedNotLost(OpenSearchNode node) {
    install("uf-growing", node.uri());
    LOG.info("first");
    await().atMost(Duration.ofSeconds(60)).until(() -> logging.shippedEvents() >= 1);
    // the index's field limit (1,000 by default) lowered, so that a few hundred new keys pass it
    // without a thousand mapping updates (minutes on a busy machine)
    var limit =
        node.request(
            "PUT",
            "/" + logging.dataStream() + "/_settings",
            "{\"index.mapping.total_fields.limit\": 150}");
    assertThat(limit.statusCode()).as(limit.body()).isEqualTo(200);
    for (int i = 0; i < 250; i++) {
      MDC.put("request-" + i, "v");
      LOG.info("growing {}", i);
      MDC.clear();
    }

    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                logging.shippedEvents() + logging.failedEvents() + logging.droppedEvents() >= 251);
    assertThat(
            meters
                .get("monitoring.log.event.reasons")
                .tag("outcome", "shipped")
                .tag("reason", "safe_form")
                .functionCounter()
                .count())
        .as("past the limit, documents went in their safe form")
        .isPositive();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> meters.get("monitoring.log.queue.size").gauge().value() == 0);
    assertThat(logging.failedEvents()).as(shipperLines()).isZero();
  }

  @Test
  void anEventWith2000DistinctMdcKeysIsShippedNotLost(OpenSearchNode node) {
    install("uf-many", node.uri());
    for (int i = 0; i < 2000; i++) {
      MDC.put("key" + i, "v" + i);
    }
    LOG.info("many keys");
    MDC.clear();
    LOG.info("after");

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> logging.shippedEvents() + logging.failedEvents() + logging.droppedEvents() >= 3);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> meters.get("monitoring.log.queue.size").gauge().value() == 0);
    assertThat(logging.failedEvents()).as(shipperLines()).isZero();
    assertThat(firstWords(node, logging.dataStream())).contains("many", "after");
  }
}
