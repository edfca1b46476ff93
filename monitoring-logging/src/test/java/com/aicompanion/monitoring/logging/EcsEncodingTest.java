package com.aicompanion.monitoring.logging;

import static net.logstash.logback.argument.StructuredArguments.kv;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import com.aicompanion.monitoring.logging.internal.EcsEncoders;
import com.aicompanion.monitoring.logging.internal.SecretMasker;
import com.aicompanion.monitoring.logging.internal.SharedLineEncoder;
import com.aicompanion.monitoring.logging.internal.UtcTimestamp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/**
 * The ECS encoder on hand-made events: every place a value can come from is masked (message, MDC,
 * SLF4J key/value pairs, nested structured arguments, exception), the hand-written timestamp agrees
 * with java.time, and the console and the shipper share one encoding per event.
 */
class EcsEncodingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter REFERENCE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private final LoggerContext context = new LoggerContext();
  private final SecretMasker masker = SecretMasker.defaults(true, List.of());

  EcsEncodingTest() {
    context.setMDCAdapter(new LogbackMDCAdapter());
  }

  private Encoder<ch.qos.logback.classic.spi.ILoggingEvent> encoder() {
    return EcsEncoders.create(
        context, new EcsEncoders.Identity("enc-svc", "2.0.0", "test", "host-1"), masker);
  }

  private static LoggingEvent event(String message) {
    LoggingEvent event = new LoggingEvent();
    event.setLoggerName("com.example.Enc");
    event.setLevel(Level.WARN);
    event.setThreadName("worker-1");
    event.setMessage(message);
    event.setTimeStamp(1_700_000_000_123L);
    return event;
  }

  @Test
  void secretsFromEverySourceOfValuesAreMaskedAndTheLineIsEcsJson() throws Exception {
    String key = "sk-proj-Ab12Cd34Ef56Gh78Ij90KlMnOpQr";
    LoggingEvent event = event("calling with " + key);
    event.setMDCPropertyMap(
        Map.of("db_password", "hunter2-plain", "request.id", "r-1 token=tok-mdc-secret"));
    event.addKeyValuePair(new KeyValuePair("upstream", "Bearer abcDEF123456ghiJKL789"));
    event.addKeyValuePair(new KeyValuePair("client_secret", "cs-plain-value"));
    event.setArgumentArray(
        new Object[] {
          kv("config", Map.of("password", "nested-plain", "url", "https://bob:pw1234@db.example")),
          kv("owner", "mail alice@example.com")
        });
    event.setThrowableProxy(
        new ThrowableProxy(new IllegalStateException("failed with api_key=ak-in-exception")));

    String line = new String(encoder().encode(event), StandardCharsets.UTF_8).replace("\n", "");
    JsonNode json = JSON.readTree(line);

    assertThat(line)
        .doesNotContain(key)
        .doesNotContain("hunter2-plain")
        .doesNotContain("tok-mdc-secret")
        .doesNotContain("abcDEF123456ghiJKL789")
        .doesNotContain("cs-plain-value")
        .doesNotContain("nested-plain")
        .doesNotContain("pw1234")
        .doesNotContain("alice@example.com")
        .doesNotContain("ak-in-exception");
    assertThat(json.path("@timestamp").asText()).isEqualTo("2023-11-14T22:13:20.123Z");
    assertThat(json.path("log.level").asText()).isEqualTo("WARN");
    assertThat(json.path("message").asText()).isEqualTo("calling with ****");
    assertThat(json.path("service.name").asText()).isEqualTo("enc-svc");
    assertThat(json.path("event.dataset").asText()).isEqualTo("enc-svc.log");
    assertThat(json.path("log.logger").asText()).isEqualTo("com.example.Enc");
    assertThat(json.path("process.thread.name").asText()).isEqualTo("worker-1");
    assertThat(json.path("db_password").asText()).isEqualTo("****");
    assertThat(json.path("request.id").asText()).isEqualTo("r-1 token=****");
    assertThat(json.path("config").path("password").asText()).isEqualTo("****");
    assertThat(json.path("config").path("url").asText()).isEqualTo("https://bob:****@db.example");
    assertThat(json.path("error.type").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(json.path("error.stack_trace").asText()).contains("api_key=****");
  }

  @Test
  void handWrittenTimestampAgreesWithJavaTimeAcrossCenturiesAndLeapDays() {
    SplittableRandom random = new SplittableRandom(42);
    long[] fixed = {
      0L,
      -1L,
      951_782_400_000L,
      951_868_799_999L,
      4_107_542_400_000L,
      -62_135_596_800_000L,
      253_402_300_799_999L,
      253_402_300_800_000L,
      -62_135_596_800_001L
    };
    for (long millis : fixed) {
      assertThat(UtcTimestamp.format(millis))
          .as("%d", millis)
          .isEqualTo(REFERENCE.format(Instant.ofEpochMilli(millis)));
    }
    for (int i = 0; i < 20_000; i++) {
      long millis = random.nextLong(-62_000_000_000_000L, 253_000_000_000_000L);
      assertThat(UtcTimestamp.format(millis))
          .as("%d", millis)
          .isEqualTo(REFERENCE.format(Instant.ofEpochMilli(millis)));
    }
  }

  @Test
  void eventsInNewAndRepeatedMillisecondsCarryTheirOwnTimestamp() throws Exception {
    Encoder<ch.qos.logback.classic.spi.ILoggingEvent> encoder = encoder();
    // first of a millisecond (buffer), second (cached), third (cache hit), then a new one
    long[] millis = {1_000L, 1_000L, 1_000L, 1_001L, 999L, 86_399_999L, 86_400_000L, 1_001L};
    for (long at : millis) {
      LoggingEvent event = event("at " + at);
      event.setMDCPropertyMap(Map.of());
      event.setTimeStamp(at);
      JsonNode json = JSON.readTree(encoder.encode(event));
      assertThat(json.path("@timestamp").asText())
          .as("%d", at)
          .isEqualTo(REFERENCE.format(Instant.ofEpochMilli(at)));
    }
  }

  @Test
  void consoleAndShipperShareOneEncodingPerEvent() {
    AtomicInteger encodings = new AtomicInteger();
    Encoder<ch.qos.logback.classic.spi.ILoggingEvent> real = encoder();
    EncoderBase<ch.qos.logback.classic.spi.ILoggingEvent> counting =
        new EncoderBase<>() {
          @Override
          public byte[] headerBytes() {
            return null;
          }

          @Override
          public byte[] encode(ch.qos.logback.classic.spi.ILoggingEvent event) {
            encodings.incrementAndGet();
            return real.encode(event);
          }

          @Override
          public byte[] footerBytes() {
            return null;
          }
        };
    SharedLineEncoder shared = new SharedLineEncoder(counting);
    LoggingEvent first = event("first");
    LoggingEvent second = event("second");
    first.setMDCPropertyMap(Map.of());
    second.setMDCPropertyMap(Map.of());

    byte[] console = shared.encode(first);
    byte[] otherConsole = shared.encode(second);
    byte[] shipper = shared.encode(first);
    byte[] otherShipper = shared.encode(second);

    assertThat(encodings).hasValue(2);
    assertThat(shipper).isSameAs(console);
    assertThat(otherShipper).isSameAs(otherConsole);
    assertThat(new String(console, StandardCharsets.UTF_8)).contains("\"message\":\"first\"");
    assertThat(new String(otherConsole, StandardCharsets.UTF_8)).contains("\"message\":\"second\"");
    // taken by both: a third user (none in practice) encodes again instead of keeping it alive
    assertThat(shared.encode(first)).isNotSameAs(console).isEqualTo(console);
    assertThat(encodings).hasValue(3);
  }
}
