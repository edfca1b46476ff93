package com.aicompanion.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.aicompanion.monitoring.testsupport.SecretCorpus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The one masking policy on plain strings: every shape of the corpus in every context, keys kept,
 * values lost whole, ordinary text untouched and unallocated, failures contained and counted,
 * dangerous user patterns refused at set-up, and the configuration that builds it.
 */
class SecretMaskingTest {
  private static final String ACCT = "ACCT-(?:\\d|-)+";

  private final SecretMasking masking =
      SecretMasking.builder().maskEmails(true).pattern(SecretCorpus.USER_PATTERN).build();

  @Test
  void theReportedMissesAreMaskedWhole() {
    SecretMasking defaults = SecretMasking.defaults();
    assertThat(defaults.mask("{\"password\":\"a b\"}")).isEqualTo("{\"password\":\"****\"}");
    assertThat(defaults.mask("SECRET_KEY=abc")).isEqualTo("SECRET_KEY=****");
    assertThat(defaults.mask("{\"password\":987654321}")).isEqualTo("{\"password\":\"****\"}");
    assertThat(defaults.mask("{\"token\":[\"a\",\"b\"],\"n\":1}"))
        .isEqualTo("{\"token\":\"****\",\"n\":1}");
    assertThat(defaults.mask("https://:pw1234@host/x")).isEqualTo("https://:****@host/x");
    assertThat(defaults.mask("https://u:p@ss@host/x")).isEqualTo("https://u:****@host/x");
    assertThat(defaults.mask("Server=db;User Id=u;Password=p w;Encrypt=True"))
        .isEqualTo("Server=db;User Id=u;Password=****;Encrypt=True");
    assertThat(defaults.mask("Authorization: Token abc def")).isEqualTo("Authorization: ****");
    assertThat(defaults.mask("curl -H \"Cookie: sid=abc; theme=dark\" https://x"))
        .isEqualTo("curl -H \"Cookie: ****\" https://x");
    assertThat(defaults.mask("{\\\"password\\\":\\\"abc\\\"}"))
        .isEqualTo("{\\\"password\\\":\\\"****\\\"}");
  }

  @Test
  void everyCaseOfTheCorpusIsMaskedAndKeepsItsKey() {
    List<SecretCorpus.Case> cases = new ArrayList<>(SecretCorpus.cases());
    cases.addAll(SecretCorpus.optIn());
    assertThat(SecretCorpus.shapeCount()).isGreaterThanOrEqualTo(40);
    assertThat(cases).hasSizeGreaterThan(1000);
    List<String> failures = new ArrayList<>();
    for (SecretCorpus.Case c : cases) {
      String masked = masking.mask(c.text());
      List<String> leaks = SecretCorpus.leaks(masked, c);
      if (!leaks.isEmpty()) {
        failures.add(c + " -> " + masked + " leaks " + leaks);
      } else if (c.key() != null && !masked.contains(c.key())) {
        failures.add(c + " -> " + masked + " lost the key");
      } else if (!masked.contains(SecretMasking.MASK)) {
        failures.add(c + " -> " + masked + " has no mask");
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void textWithoutASecretIsReturnedAsTheSameInstance() {
    String[] clean = {
      "answered conversation c-1842 in 840 ms with 312 tokens",
      "user u-1 connected from 10.0.0.7 with basic plan",
      "password reset mail queued",
      "GET https://api.example.com/v1/chat?page=2&size=10 200",
      "token count: exceeded",
      "secret= ",
      "2024-01-01T12:30:45.123Z status: 200 took 840ms",
      "tokens=312 model=gpt-4o input_tokens=12 token_count=3 tokenizer=cl100k max_tokens=1024",
      "key=user:42 cache_key=abc partition_key=p1 idempotency-key=k-1 public_key=ssh-rsa",
      "http://localhost:8080/health and http://host:8080/a@b",
      "\tat com.example.chat.Foo.bar(Foo.java:42)",
      "Caused by: java.net.ConnectException: Connection refused",
      "Bearer authentication failed; token validation failed",
      "author=bob authority=ca a == b && c != d",
      "Received {\"type\":\"chat\",\"content\":\"Hello, how are you?\"}",
      "task-force-management-system-v2 and risk-assessment-pipeline-v2 started",
      "trace_id=4bf92f3577b34da6a3ce929d0e0e4736 sha256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b",
      "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
    };
    SecretMasking defaults = SecretMasking.defaults();
    for (String text : clean) {
      assertThat(defaults.mask(text)).as(text).isSameAs(text);
    }
  }

  @Test
  void stackFramesAreSkippedButTextMadeToLookLikeOneIsNot() {
    String trace =
        "java.lang.IllegalStateException: rejected api_key=sk-proj-Ab12Cd34Ef56Gh78Ij90\n"
            + "\tat com.example.chat.TokenService.call(TokenService.java:42)\n"
            + "\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)\n"
            + "\tat ch.qos.logback.Foo.bar(Foo.kt:7) ~[logback-classic-1.5.6.jar:1.5.6]\n"
            + "Caused by: java.io.IOException: token=tok_9f8e7d6c5b4a\n"
            + "\t... 5 common frames omitted";
    assertThat(SecretMasking.defaults().mask(trace))
        .isEqualTo(
            "java.lang.IllegalStateException: rejected api_key=****\n"
                + "\tat com.example.chat.TokenService.call(TokenService.java:42)\n"
                + "\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)\n"
                + "\tat ch.qos.logback.Foo.bar(Foo.kt:7) ~[logback-classic-1.5.6.jar:1.5.6]\n"
                + "Caused by: java.io.IOException: token=****\n"
                + "\t... 5 common frames omitted");
    String key = "sk-proj-" + "Zy98Xw76Vu54Ts32Rq10";
    for (String fake :
        List.of(
            "\n\tat com.x.Y.z(password=hunter2hunter2.java:1)",
            "\n\tat " + key + ".z(Y.java:1)",
            "\n\tat com.x.Y.z(Y.java:1) ~[" + key + "]",
            "\n\tat com.x.Y.z(Bearer abcdefgh12345678.java:1)",
            "\n\tat com.x.Y.z(" + key + ")")) {
      String masked = SecretMasking.defaults().mask(fake);
      assertThat(masked).as(fake).doesNotContain("hunter2hunter2", "Zy98Xw76", "abcdefgh12345678");
    }
  }

  @Test
  void emailsAreMaskedOnlyWhenAskedFor() {
    String text = "mail bob.smith@example.org now";
    assertThat(SecretMasking.defaults().mask(text)).isSameAs(text);
    assertThat(masking.mask(text)).isEqualTo("mail **** now");
    assertThat(masking.masksEmails()).isTrue();
  }

  @Test
  void fieldNamesThatHoldASecretInAnySpelling() {
    for (String name :
        List.of(
            "password",
            "SECRET_KEY",
            "db_password_hash",
            "x-api-key",
            "clientSecret",
            "AWSAccessKeyId",
            "X-Amz-Signature",
            "sig",
            "refreshToken",
            "Authorization",
            "Proxy-Authorization",
            "Set-Cookie",
            "PRIVATE-TOKEN",
            "Ocp-Apim-Subscription-Key",
            "signing.key",
            "db_pwd",
            "sessionId",
            "app.datasource.credentials",
            "csrf_token")) {
      assertThat(masking.isSecretName(name)).as(name).isTrue();
      assertThat(masking.maskField(name, "anything at all")).as(name).isEqualTo("****");
    }
    for (String name :
        List.of(
            "tokens",
            "input_tokens",
            "gen_ai.usage.output_tokens",
            "token_count",
            "tokenizer",
            "request.id",
            "trace.id",
            "message",
            "author",
            "cache_key",
            "public_key",
            "passenger",
            "bypass")) {
      assertThat(masking.isSecretName(name)).as(name).isFalse();
    }
    assertThat(masking.maskField("note", "key sk-" + "a".repeat(20))).isEqualTo("key ****");
    assertThat(masking.maskField(null, "plain")).isEqualTo("plain");
    assertThat(masking.maskField("password", null)).isNull();
    assertThat(masking.mask(null)).isNull();
  }

  @Test
  void aUserPatternThatFailsMasksTheValueWholeCountsAndLogsOnce() {
    // bounded repeats pass the set-up check, yet nest deep enough to overflow the stack
    SecretMasking nested =
        SecretMasking.builder().pattern("ACCT-(?:(?:\\d|-){1,150}){1,150}").build();
    // no group at all, but polynomial backtracking: stopped by the read budget
    SecretMasking slow = SecretMasking.builder().pattern("\\d*\\d*\\d*\\d*x").build();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    nested.bindTo(registry);
    String value = "ACCT-" + "1-".repeat(1500);
    try (LogCapture log = LogCapture.of(SecretMasking.class)) {
      assertTimeoutPreemptively(
          Duration.ofSeconds(10),
          () -> {
            assertThat(nested.mask(value)).isEqualTo("****");
            assertThat(nested.mask("id " + value)).isEqualTo("****");
            assertThat(nested.mask("ACCT-12-34 short")).isEqualTo("**** short");
            assertThat(slow.mask("9".repeat(3000))).isEqualTo("****");
          });
      assertThat(nested.errors()).isEqualTo(2);
      assertThat(slow.errors()).isEqualTo(1);
      assertThat(registry.get("monitoring.mask.errors").counter().count()).isEqualTo(2.0);
      assertThat(log.warnings())
          .filteredOn(w -> w.contains("ACCT-(?:(?:"))
          .hasSize(1)
          .allSatisfy(
              w ->
                  assertThat(w)
                      .contains(
                          "StackOverflowError", "3005 characters", "monitoring_mask_errors_total")
                      .doesNotContain("1-1-1-1"));
      assertThat(log.warnings())
          .filteredOn(w -> w.contains("\\d*\\d*"))
          .singleElement()
          .asString()
          .contains("backtracks too much");
    }
    // binding again (e.g. the tracing module after core) does not count twice
    nested.bindTo(registry);
    // a value long enough to overflow the stack however far the JIT has shrunk the frames
    assertThat(nested.mask("ACCT-" + "1-".repeat(200_000))).isEqualTo("****");
    assertThat(registry.get("monitoring.mask.errors").counter().count()).isEqualTo(3.0);
  }

  @Test
  void patternsThatOverflowTheStackAreRefusedAtSetUpNamingPatternRuleAndFix() {
    assertThatThrownBy(() -> SecretMasking.builder().pattern(ACCT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mask pattern " + ACCT)
        .hasMessageContaining("alternation")
        .hasMessageContaining("StackOverflowError")
        .hasMessageContaining("[\\d-]+")
        .hasMessageContaining("(?:\\d|-)++");
    for (String dangerous :
        List.of(
            "(a+)+b",
            "(a|aa)*b",
            "(?:x?y){1,}",
            "(\\w+\\s?)*$",
            "(?:a|b){1,5000}",
            "((?:a|b)c)+")) {
      assertThatThrownBy(() -> SecretMasking.builder().pattern(dangerous))
          .as(dangerous)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(dangerous);
    }
    for (String safe :
        List.of(
            "ACCT-[\\d-]+",
            "ACCT-(?:\\d|-)++",
            "(?>\\d|-)+",
            "(?:\\d-)+",
            "CUST-\\d{6}",
            "(?:\\d|-){1,50}",
            "[(|]+",
            "\\(a|b\\)+",
            "(?i)order-[0-9]{4}|ref\\d+",
            "\\Q(a|b)+\\E")) {
      SecretMasking built = SecretMasking.builder().pattern(safe).build();
      assertThat(built.patterns()).extracting(Pattern::pattern).containsExactly(safe);
      assertTimeoutPreemptively(
          Duration.ofSeconds(5), () -> built.mask("ACCT-" + "1-".repeat(50_000)));
      assertThat(built.errors()).as(safe).isZero();
    }
    assertThatThrownBy(() -> SecretMasking.builder().pattern("CUST-(\\d"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CUST-(\\d is not a regular expression")
        .hasMessageContaining("e.g. CUST-\\d{6}");
  }

  @Test
  void userPatternsWithAndWithoutALiteralPrefixApply() {
    SecretMasking custom =
        SecretMasking.builder()
            .pattern("(?i)order-[0-9]{4}|ref\\d+")
            .pattern("CUST-\\d{6}")
            .build();
    assertThat(custom.mask("ORDER-1234 and ref99 and CUST-123456, CUST-12"))
        .isEqualTo("**** and **** and ****, CUST-12");
    assertThat(custom.toBuilder().maskEmails(true).build().patterns()).hasSize(2);
  }

  @Test
  void adversarialInputFinishesQuickly() {
    String[] inputs = {
      "a.".repeat(50_000) + "@x",
      "x://" + "a".repeat(100_000) + ":",
      "password".repeat(20_000) + "=",
      "password=" + "\"".repeat(50_000),
      "-----BEGIN PRIVATE KEY-----" + " ".repeat(100_000),
      "-----BEGIN ".repeat(20_000),
      "eyJ" + "a".repeat(100_000) + ".",
      "Bearer " + " ".repeat(100_000),
      "{\"password\":" + "[".repeat(50_000),
      "a=".repeat(50_000),
      "k:" + "x:".repeat(50_000),
      "https://u:" + "@".repeat(50_000),
      "sk-" + "a-".repeat(50_000),
      "Authorization: " + "=\"".repeat(50_000),
    };
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          for (String input : inputs) {
            assertThat(masking.mask(input)).isNotNull();
          }
        });
    assertThat(masking.errors()).isZero();
  }

  @Test
  void oneInstanceIsSafeToShareBetweenThreads() throws Exception {
    List<SecretCorpus.Case> cases = SecretCorpus.cases();
    List<String> expected = cases.stream().map(c -> masking.mask(c.text())).toList();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<String>>> runs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        runs.add(pool.submit(() -> cases.stream().map(c -> masking.mask(c.text())).toList()));
      }
      for (Future<List<String>> run : runs) {
        assertThat(run.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // configuration

  private static MonitoringConfig config(Map<String, String> env, String... properties) {
    return MonitoringConfig.load(
        "mask-svc", "1.0", env, TestMonitoring.props(properties), Map.of());
  }

  @Test
  void theConfigurationBuildsThePolicyOnceForEveryModule() {
    MonitoringConfig config =
        config(
            Map.of("MONITORING_MASK_PATTERNS", "CUST-\\d{6}  ACCT-[\\d-]+"),
            "monitoring.mask.emails",
            "true");
    SecretMasking policy = config.masking();
    assertThat(policy.masksEmails()).isTrue();
    assertThat(policy.patterns())
        .extracting(Pattern::pattern)
        .containsExactly("CUST-\\d{6}", "ACCT-[\\d-]+");
    assertThat(policy.mask("CUST-123456 ACCT-1-2 bob@example.org")).isEqualTo("**** **** ****");
    // the same instance for the module that declares its keys, and for a builder that does not
    // touch masking; a new one for a builder that does
    assertThat(config.declaring(List.of()).masking()).isSameAs(policy);
    assertThat(config.withBuilderValues(Map.of("log.level", "DEBUG"), Map.of()).masking())
        .isSameAs(policy);
    SecretMasking changed =
        config.withBuilderValues(Map.of("mask.emails", "false"), Map.of()).masking();
    assertThat(changed).isNotSameAs(policy);
  }

  @Test
  void theLoggingModulesOlderEmailKeyStillWorks() {
    assertThat(config(Map.of("MONITORING_LOG_MASK_EMAILS", "true")).masking().masksEmails())
        .isTrue();
    assertThat(config(Map.of()).masking().masksEmails()).isFalse();
    assertThat(config(Map.of()).masking().patterns()).isEmpty();
  }

  @Test
  void aDangerousConfiguredPatternFailsStartNamingKeyPatternAndFix() {
    Properties properties = TestMonitoring.props("monitoring.mask.patterns", ACCT);
    assertThatThrownBy(
            () -> TestMonitoring.builder("mask-svc", Map.of(), properties).start().close())
        .isInstanceOf(MonitoringException.class)
        .hasMessageContaining("-Dmonitoring.mask.patterns=" + ACCT)
        .hasMessageContaining("has the pattern " + ACCT + ", which repeats the group")
        .hasMessageContaining("possessive");
    assertThatThrownBy(() -> config(Map.of("MONITORING_MASK_PATTERNS", "ok-\\d+ bad-(")).masking())
        .isInstanceOf(MonitoringException.class)
        .hasMessageContaining("MONITORING_MASK_PATTERNS=ok-\\d+ bad-(")
        .hasMessageContaining("bad-(, which is not a regular expression");
  }

  @Test
  void monitoringExposesTheMaskErrorCounter() {
    try (Monitoring monitoring =
        TestMonitoring.builder("mask-svc").config("mask.patterns", "\\d*\\d*\\d*\\d*x").start()) {
      SecretMasking policy = monitoring.config().masking();
      assertThat(policy.mask("9".repeat(3000))).isEqualTo("****");
      assertThat(TestMonitoring.scrape(monitoring))
          .contains("# TYPE monitoring_mask_errors_total counter")
          .contains("monitoring_mask_errors_total 1.0");
    }
  }
}
