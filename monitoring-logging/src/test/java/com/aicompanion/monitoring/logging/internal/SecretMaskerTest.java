package com.aicompanion.monitoring.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The masking policy on plain strings: what is masked, what is kept, and what it costs. */
class SecretMaskerTest {
  private final SecretMasker masker =
      SecretMasker.defaults(true, List.of(Pattern.compile("CUST-\\d{6}")));

  @Test
  void textWithoutASecretIsReturnedAsTheSameInstance() {
    String[] clean = {
      "answered conversation c-1842 in 840 ms with 312 tokens",
      "user u-1 connected from 10.0.0.7 with basic plan",
      "password reset mail queued",
      "GET https://api.example.com/v1/chat 200",
      "token count: exceeded",
      "secret= ",
    };
    for (String text : clean) {
      assertThat(masker.mask(text)).as(text).isSameAs(text);
    }
  }

  @Test
  void pairsKeepTheKeyAndLoseTheValue() {
    assertThat(masker.mask("login password=hunter2 for bob"))
        .isEqualTo("login password=**** for bob");
    assertThat(masker.mask("{\"db_password\" : \"p@ss w\"}"))
        .isEqualTo("{\"db_password\" : \"**** w\"}");
    assertThat(masker.mask("AWS_SECRET_ACCESS_KEY: abc123"))
        .isEqualTo("AWS_SECRET_ACCESS_KEY: ****");
    assertThat(masker.mask("a?access_token=x1&b=2;Api-Key=y2"))
        .isEqualTo("a?access_token=****&b=2;Api-Key=****");
    assertThat(masker.mask("PWD=abc")).isEqualTo("PWD=****");
  }

  @Test
  void wholeTokenSecretsAndUrlPasswordsAreMasked() {
    assertThat(masker.mask("url redis://default:s3cret@cache:6379/0"))
        .isEqualTo("url redis://default:****@cache:6379/0");
    assertThat(masker.mask("Authorization: bearer abcdefgh12345678"))
        .isEqualTo("Authorization: bearer ****");
    assertThat(masker.mask("k=sk-ant-api03-abcdefghijklmnop end")).isEqualTo("k=**** end");
    assertThat(masker.mask("id AKIAIOSFODNN7EXAMPLE.")).isEqualTo("id ****.");
    assertThat(masker.mask("mail bob.smith@example.org now")).isEqualTo("mail **** now");
    assertThat(masker.mask("customer CUST-123456 and CUST-12"))
        .isEqualTo("customer **** and CUST-12");
    assertThat(
            masker.mask(
                "-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\n-----END RSA PRIVATE KEY----- done"))
        .isEqualTo("**** done");
  }

  @Test
  void emailsAreKeptUnlessAskedFor() {
    SecretMasker plain = SecretMasker.defaults(false, List.of());
    String text = "mail bob@example.org";
    assertThat(plain.mask(text)).isSameAs(text);
  }

  @Test
  void userPatternsWithoutALiteralPrefixStillApply() {
    SecretMasker custom =
        SecretMasker.defaults(false, List.of(Pattern.compile("(?i)order-[0-9]{4}|ref\\d+")));
    assertThat(custom.mask("ORDER-1234 and ref99")).isEqualTo("**** and ****");
    assertThat(SecretMasker.literalPrefix(Pattern.compile("CUST-\\d{6}"))).isEqualTo("CUST-");
    assertThat(SecretMasker.literalPrefix(Pattern.compile("\\bab?c"))).isEqualTo("a");
    assertThat(SecretMasker.literalPrefix(Pattern.compile("[A-Z]x"))).isEmpty();
  }

  @Test
  void adversarialInputDoesNotMakeTheExpressionsBacktrackForLong() {
    String words = "a.".repeat(50_000);
    String[] inputs = {
      words + "@x",
      "x://" + "a".repeat(100_000) + ":",
      "password".repeat(20_000) + "=",
      "-----BEGIN PRIVATE KEY-----" + " ".repeat(100_000),
      "eyJ" + "a".repeat(100_000) + ".",
      "Bearer " + " ".repeat(100_000),
    };
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () -> {
          for (String input : inputs) {
            assertThat(masker.mask(input)).isNotNull();
          }
        });
  }

  @Test
  void secretFieldNamesAreRecognisedIgnoringCase() {
    assertThat(SecretMasker.isSecretField("DB_PASSWORD")).isTrue();
    assertThat(SecretMasker.isSecretField("refreshToken")).isTrue();
    assertThat(SecretMasker.isSecretField("Authorization")).isTrue();
    assertThat(SecretMasker.isSecretField("tokens")).isFalse();
    assertThat(SecretMasker.isSecretField("request.id")).isFalse();
  }
}
