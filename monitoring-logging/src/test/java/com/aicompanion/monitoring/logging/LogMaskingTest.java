package com.aicompanion.monitoring.logging;

import static net.logstash.logback.argument.StructuredArguments.kv;
import static net.logstash.logback.argument.StructuredArguments.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.Monitoring;
import com.aicompanion.monitoring.MonitoringException;
import com.aicompanion.monitoring.SecretMasking;
import com.aicompanion.monitoring.testsupport.SecretCorpus;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The corpus through real Logback to the JSON lines on "stdout" (a captured stream): in the
 * message, an MDC value, an SLF4J key/value pair, a structured argument and an exception (message
 * and stack trace); fields whose name is secret masked whole for every JSON value type; a masking
 * failure masks one field, is counted and logged once, and logging goes on.
 */
class LogMaskingTest {
  private static final Logger LOG = LoggerFactory.getLogger("com.example.chat.Masking");

  private final LineSink sink = new LineSink();
  private JsonLogging logging;

  @AfterEach
  void close() {
    if (logging != null) {
      logging.close();
    }
    MDC.clear();
  }

  private JsonLogging install(JsonLogging.Builder builder) {
    logging = builder.output(sink).config("log.queue.capacity", "100000").install();
    return logging;
  }

  private static List<SecretCorpus.Case> allCases() {
    List<SecretCorpus.Case> all = new ArrayList<>(SecretCorpus.cases());
    all.addAll(SecretCorpus.optIn());
    return all;
  }

  @Test
  void noSecretOfTheCorpusReachesStdoutFromAnySourceOfValues() {
    install(JsonLogging.builder("mask-svc").maskEmails(true).mask(SecretCorpus.USER_PATTERN));
    List<SecretCorpus.Case> cases = allCases();
    for (int i = 0; i < cases.size(); i++) {
      String text = cases.get(i).text();
      String id = "case-" + i + " ";
      LOG.warn(id + text);
      MDC.put("detail", text);
      LOG.info(id + "mdc");
      MDC.remove("detail");
      LOG.atInfo().addKeyValue("detail", text).log(id + "key/value pair");
      LOG.info(id + "argument", kv("detail", text));
      LOG.info(id + "nested", kv("request", Map.of("body", text, "attempt", 2)));
      LOG.error(id + "exception", new IllegalStateException(text));
    }
    logging.close();

    assertThat(logging.consoleDroppedEvents()).isZero();
    Map<Integer, List<String>> linesByCase = new LinkedHashMap<>();
    for (String line : sink.lines()) {
      int at = line.indexOf("\"message\":\"case-");
      if (at >= 0) {
        int start = at + "\"message\":\"case-".length();
        int id = Integer.parseInt(line.substring(start, line.indexOf(' ', start)));
        linesByCase.computeIfAbsent(id, k -> new ArrayList<>()).add(line);
      }
    }
    assertThat(linesByCase).hasSize(cases.size());
    List<String> failures = new ArrayList<>();
    linesByCase.forEach(
        (id, lines) -> {
          SecretCorpus.Case c = cases.get(id);
          assertThat(lines).as(c.toString()).hasSize(6);
          for (String line : lines) {
            List<String> leaks = SecretCorpus.leaks(line, c);
            if (!leaks.isEmpty()) {
              failures.add(c + "\n  -> " + line + "\n  leaks " + leaks);
            } else if (c.key() != null && !line.contains(c.key())) {
              failures.add(c + "\n  -> " + line + "\n  lost the key " + c.key());
            }
          }
        });
    assertThat(failures).isEmpty();
    // the lines are still JSON, one object each
    assertThat(sink.json()).hasSizeGreaterThanOrEqualTo(cases.size() * 6);
  }

  @Test
  void aFieldWhoseNameIsSecretIsMaskedWholeForEveryValueType() throws Exception {
    install(JsonLogging.builder("mask-svc"));
    for (SecretCorpus.Field f : SecretCorpus.fields()) {
      LOG.info("argument " + f.name(), kv(f.name(), f.value()));
      LOG.atInfo().addKeyValue(f.name(), f.value()).log("pair " + f.name());
    }
    MDC.put("SECRET_KEY", "mdcSecretValue42");
    LOG.info("mdc");
    MDC.clear();
    LOG.info(
        "nested",
        kv(
            "config",
            Map.of(
                "apiKey", "nestedApiKey77",
                "url", "https://app:urlPass55@db.internal/chat",
                "users", List.of(Map.of("name", "bob", "password", "listedPass66")))));
    LOG.info("raw secret", raw("password", "{\"hash\":\"rawWhole88\",\"n\":1}"));
    LOG.info("raw body", raw("payload", "{\"password\":\"rawInner99\",\"n\":1}"));
    logging.close();

    String out = sink.text();
    for (SecretCorpus.Field f : SecretCorpus.fields()) {
      for (String prefix : List.of("argument ", "pair ")) {
        JsonNode doc = line(prefix + f.name());
        JsonNode value = LineSink.field(doc, f.name());
        assertThat(value.isTextual()).as(prefix + f.name() + " in " + doc).isTrue();
        assertThat(value.asText()).as(prefix + f.name()).isEqualTo("****");
      }
      assertThat(SecretCorpus.leaks(out, f.fragments())).as(f.name()).isEmpty();
    }
    assertThat(LineSink.field(line("mdc"), "SECRET_KEY").asText()).isEqualTo("****");
    JsonNode config = LineSink.field(line("nested"), "config");
    assertThat(config.get("apiKey").asText()).isEqualTo("****");
    assertThat(config.get("url").asText()).isEqualTo("https://app:****@db.internal/chat");
    // an array of objects is written as its JSON text (README, "User fields and the ECS schema")
    JsonNode users = config.get("users");
    assertThat(users.isTextual()).as("users as JSON text: " + users).isTrue();
    JsonNode user =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(users.asText()).get(0);
    assertThat(user.get("name").asText()).isEqualTo("bob");
    assertThat(user.get("password").asText()).isEqualTo("****");
    assertThat(LineSink.field(line("raw secret"), "password").asText()).isEqualTo("****");
    JsonNode payload = LineSink.field(line("raw body"), "payload");
    assertThat(payload.get("password").asText()).isEqualTo("****");
    assertThat(payload.get("n").asInt()).isEqualTo(1);
    assertThat(out)
        .doesNotContain(
            "mdcSecretValue42",
            "nestedApiKey77",
            "urlPass55",
            "listedPass66",
            "rawWhole88",
            "rawInner99");
  }

  private JsonNode line(String message) {
    return sink.json().stream()
        .filter(d -> d.path("message").asText().equals(message))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line " + message + " in\n" + sink.text()));
  }

  @Test
  void aMaskingFailureMasksTheFieldWholeCountsLogsOnceAndLoggingGoesOn() {
    // no group, so it passes the set-up check; polynomial backtracking stops at the read budget
    install(JsonLogging.builder("mask-svc").mask("\\d*\\d*\\d*\\d*x"));
    String longDigits = "9".repeat(3000);
    LOG.info("before");
    LOG.info("lookup", kv("account", longDigits), kv("user", "bob"));
    LOG.info("again", kv("account", longDigits));
    LOG.info("after");
    // the warning is logged by the console thread while it encodes "lookup", so it comes last
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> sink.text().contains("Masking with the pattern"));
    logging.close();

    JsonNode lookup = line("lookup");
    assertThat(LineSink.field(lookup, "account").asText()).isEqualTo("****");
    assertThat(LineSink.field(lookup, "user").asText()).isEqualTo("bob");
    assertThat(line("after")).isNotNull();
    assertThat(logging.masker().policy().errors()).isEqualTo(2);
    assertThat(sink.lines())
        .filteredOn(l -> l.contains("Masking with the pattern"))
        .singleElement()
        .asString()
        .contains("monitoring_mask_errors_total", "\"log.level\":\"WARN\"")
        .doesNotContain(longDigits);
  }

  @Test
  void aPatternThatWouldOverflowTheStackFailsInstallNamingPatternAndFix() {
    assertThatThrownBy(() -> install(JsonLogging.builder("mask-svc").mask("ACCT-(?:\\d|-)+")))
        .isInstanceOf(MonitoringException.class)
        .hasMessageContaining("mask(...): mask pattern ACCT-(?:\\d|-)+ repeats the group")
        .hasMessageContaining("[\\d-]+");
    assertThatThrownBy(
            () ->
                install(JsonLogging.builder("mask-svc").config("mask.patterns", "ACCT-(?:\\d|-)+")))
        .isInstanceOf(MonitoringException.class)
        .hasMessageContaining("config(\"mask.patterns\", \"ACCT-(?:\\d|-)+\") has the pattern")
        .hasMessageContaining("possessive");
  }

  @Test
  void textLinesAreMaskedByTheSamePolicy() {
    install(JsonLogging.builder("mask-svc").format("text"));
    LOG.info("login {\"password\":\"a b\"} SECRET_KEY=abc");
    MDC.put("db_password_hash", "mdcHash123");
    LOG.info("with mdc");
    logging.close();
    assertThat(sink.text())
        .contains("{\"password\":\"****\"} SECRET_KEY=****")
        .doesNotContain("mdcHash123", " b\"}");
  }

  @Test
  void underMonitoringLoggingUsesThePolicyOfTheConfiguration() {
    try (Monitoring monitoring =
        Monitoring.builder("mask-svc")
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .registerGlobal(false)
            .shutdownHook(false)
            .config("mask.patterns", "CUST-\\d{6}")
            .start()) {
      SecretMasking shared = monitoring.config().masking();
      JsonLogging module = monitoring.get(JsonLogging.class);
      assertThat(module.masker().policy()).isSameAs(shared);
      assertThat(module.mask("CUST-123456 SECRET_KEY=abc")).isEqualTo("**** SECRET_KEY=****");
    }
  }
}
