package com.aicompanion.monitoring.tracing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromptMaskingTest {
  private final PromptMasking masking = new PromptMasking(1000);

  @Test
  void masksApiKeysBearerTokensJwtsPasswordsAndUrlCredentials() {
    String jwt =
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
    String text =
        "key sk-proj-abcdefghij1234567890 auth Bearer abc.def-ghi_jkl123 jwt "
            + jwt
            + " password=hunter2 api_key: 'k3y' db postgres://app:s3cret@db:5432/x";
    String masked = masking.apply(text);
    assertThat(masked)
        .contains(
            "sk-****", "Bearer ****", "password=****", "api_key: ****", "postgres://app:****@db")
        .doesNotContain(
            "abcdefghij1234567890", "abc.def-ghi_jkl123", jwt, "hunter2", "k3y", "s3cret");
  }

  @Test
  void truncatesAfterMaskingSoNoSecretIsCutInHalf() {
    PromptMasking short10 = new PromptMasking(10);
    String masked = short10.apply("sk-abcdefghijklmnop tail");
    assertThat(masked).startsWith("sk-****").contains("[truncated").doesNotContain("abcdefgh");
  }

  @Test
  void ordinaryTextIsUnchanged() {
    assertThat(masking.apply("What is the capital of France?"))
        .isEqualTo("What is the capital of France?");
  }
}
