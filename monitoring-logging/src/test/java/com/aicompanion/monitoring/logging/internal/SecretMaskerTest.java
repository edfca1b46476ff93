package com.aicompanion.monitoring.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicompanion.monitoring.SecretMasking;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The logging module's view of core's policy (the rules themselves are tested in core's {@code
 * SecretMaskingTest}): it adds no rule, and the JSON generator masks every value type.
 */
class SecretMaskerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theViewDelegatesToTheSharedPolicy() {
    SecretMasking policy = SecretMasking.builder().pattern("CUST-\\d{6}").build();
    SecretMasker masker = SecretMasker.of(policy);
    assertThat(masker.policy()).isSameAs(policy);
    String clean = "answered in 840 ms";
    assertThat(masker.mask(clean)).isSameAs(clean);
    assertThat(masker.mask("CUST-123456 SECRET_KEY=abc")).isEqualTo("**** SECRET_KEY=****");
    assertThat(masker.secretField("db_password_hash")).isTrue();
    assertThat(SecretMasker.isSecretField("x-api-key")).isTrue();
    assertThat(SecretMasker.isSecretField("input_tokens")).isFalse();
  }

  @Test
  void defaultsRefuseAPatternThatWouldOverflowTheStack() {
    assertThatThrownBy(
            () -> SecretMasker.defaults(false, List.of(Pattern.compile("ACCT-(?:\\d|-)+"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ACCT-(?:\\d|-)+");
  }

  private static String write(GeneratorWork work) throws Exception {
    StringWriter out = new StringWriter();
    JsonGenerator generator =
        new MaskingJsonGenerator(
            new JsonFactory(JSON).createGenerator(out), SecretMasker.of(SecretMasking.defaults()));
    generator.writeStartObject();
    work.run(generator);
    generator.writeEndObject();
    generator.close();
    return out.toString();
  }

  private interface GeneratorWork {
    void run(JsonGenerator generator) throws Exception;
  }

  @Test
  void theGeneratorMasksASecretFieldWholeWhateverItsType() throws Exception {
    String json =
        write(
            g -> {
              g.writeNumberField("password", 987654321);
              g.writeBooleanField("secret_enabled", true);
              g.writeFieldName("token");
              g.writeObject(List.of("t1", "t2", Map.of("deep", "t3")));
              g.writeFieldName("credentials");
              g.writeObject(Map.of("user", "bob", "inner", List.of(1, 2)));
              g.writeBinaryField("api_key", new byte[] {1, 2, 3});
              g.writeFieldName("sig");
              g.writeArray(new int[] {1, 2, 3}, 0, 3);
              g.writeFieldName("client_secret");
              g.writeRawValue("{\"a\":[1,2]}");
              g.writeFieldName("clientSecret");
              g.writeTree(JSON.readTree("{\"x\":{\"y\":1}}"));
              g.writeNullField("refresh_token");
              g.writeStringField("after", "kept");
              g.writeFieldName("payload");
              g.writeRawValue("{\"password\":123,\"note\":\"sk-" + "a".repeat(24) + "\"}");
              g.writeFieldName("config");
              g.writeObject(Map.of("apiKey", 42, "url", "redis://:pw@cache"));
            });
    var doc = JSON.readTree(json);
    for (String name :
        List.of(
            "password",
            "secret_enabled",
            "token",
            "credentials",
            "api_key",
            "sig",
            "client_secret",
            "clientSecret")) {
      assertThat(doc.get(name).asText()).as(name + " in " + json).isEqualTo("****");
    }
    assertThat(doc.get("refresh_token").isNull()).isTrue();
    assertThat(doc.get("after").asText()).isEqualTo("kept");
    assertThat(doc.get("payload").get("password").asText()).isEqualTo("****");
    assertThat(doc.get("payload").get("note").asText()).isEqualTo("****");
    assertThat(doc.get("config").get("apiKey").asText()).isEqualTo("****");
    assertThat(doc.get("config").get("url").asText()).isEqualTo("redis://:****@cache");
  }
}
