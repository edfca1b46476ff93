package com.aicompanion.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Review of issue 13 item 2 with secret shapes outside {@code SecretCorpus}: what the policy masks,
 * what it misses (disabled, "finding N") and ordinary text it must leave alone.
 */
class SecretMaskingEdgeCasesTest {
  private final SecretMasking masking = SecretMasking.builder().build();

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "Authorization: Digest username=\"a\", response=\"6629fae49393a05397450978507c4ef1\""
            + "|6629fae49393a05397450978507c4ef1",
        "X-Api-Key: abc123def456ghi789|abc123def456ghi789",
        "{\"client_secret\": \"s3cr3tvalue\"}|s3cr3tvalue",
        "jdbc:postgresql://db:5432/app?user=app&pwd=Hunter2pw&ssl=true|Hunter2pw",
        "jdbc:sqlserver://db;user=sa;password=Hunter2pw|Hunter2pw",
        "GET https://api.example.com/v1?access_token=ya1234567890abcdef&x=1|ya1234567890abcdef",
        "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA=="
            + ";EndpointSuffix=core.windows.net|Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA",
        "{\"auths\":{\"registry.example.com\":{\"auth\":\"dXNlcjpodW50ZXIyc2VjcmV0\"}}}"
            + "|dXNlcjpodW50ZXIyc2VjcmV0",
        "`-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBGZ1234567890abcdefghijklmnop\n=abcd\n"
            + "-----END PGP PRIVATE KEY BLOCK-----`|lQOYBGZ1234567890abcdefghijklmnop",
        "`-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAAB`"
            + "|b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAAB",
        "token hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789|AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
        "dapi0123456789abcdef0123456789abcdef|0123456789abcdef0123456789abcdef",
        "dop_v1_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
            + "|0123456789abcdef0123456789abcdef",
        "shpat_0123456789abcdef0123456789abcdef|0123456789abcdef0123456789abcdef",
        "mailgun key-0123456789abcdef0123456789abcdef|0123456789abcdef0123456789abcdef",
        "refresh_token=1//0gAbcdefghijkl|0gAbcdefghijkl",
        "X-Vault-Token: s.AbCdEf0123456789|AbCdEf0123456789",
        "Set-Cookie: JSESSIONID=ABCDEF0123456789; Path=/|ABCDEF0123456789",
        "PGPASSWORD=Hunter2pw psql|Hunter2pw",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY|wJalrXUtnFEMI",
        "<add name=\"db\" connectionString=\"Server=x;Password=Hunter2pw\"/>|Hunter2pw",
      })
  void secretsOutsideTheCorpusAreMasked(String text, String secret) {
    assertThat(masking.mask(text)).doesNotContain(secret).contains("****");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "passwordless login enabled",
        "password reset email sent to user 42",
        "token count 42",
        "token_count=42 input_tokens=1234 output_tokens=56 max_tokens=256 tokenizer=cl100k_base",
        "commit 3b18e512dba79e4c8300dd08aeb37f8e728b8dad",
        "request 123e4567-e89b-12d3-a456-426614174000",
        "primary key violation: duplicate key value (id)=(5)",
        "key-value store ready",
        "Basic authentication disabled",
        "Token expired for user 42",
        "Bearer token missing",
        "error: Authorization header missing, retrying",
        "sk-learn model loaded",
        "hf_transfer enabled",
        "dapi-version=3",
        "passenger=Bob compass=north author=bob",
      })
  void ordinaryTextStaysAsItIs(String text) {
    assertThat(masking.mask(text)).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource({
    "password_policy,strict",
    "password_length,12",
    "signatureAlgorithm,RS256",
    "cookie_consent,yes",
    "pass_rate,0.9",
    "auth_method,oauth",
    "credential_type,x509",
    "passwordExpires,2027-01-01",
    "api-key-version,2",
  })
  void fieldsThatDescribeASecretButHoldNoneStayReadable(String name, String value) {
    // the last word says the value describes the secret (its policy, size, kind, method)
    assertThat(masking.maskField(name, value)).isEqualTo(value);
  }

  /**
   * Deliberate: a session id is a session credential wherever it is written (a web session id opens
   * the session), and a name that contains a secret word anywhere is masked (docs/masking.md): the
   * safe side costs a readable {@code secretary}.
   */
  @ParameterizedTest
  @CsvSource({"session.id,6b1f2c", "secretary,Alice", "password,strict", "signature,abcdef"})
  void namesThatHoldASecretOrContainASecretWordStayMasked(String name, String value) {
    assertThat(masking.maskField(name, value)).isEqualTo("****");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SELECT email FROM users WHERE password = ?",
        "UPDATE accounts SET api_key = $1, token = $2 WHERE id = $3",
        "DELETE FROM sessions WHERE session_token=?1",
      })
  void bindPlaceholdersOfSanitizedStatementsAreKept(String statement) {
    assertThat(masking.mask(statement)).isEqualTo(statement);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "password = ?hunter2|?hunter2",
        "password=$ecret12|$ecret12",
        "api_key = $12345|$12345",
      })
  void valuesThatOnlyStartLikeAPlaceholderAreMasked(String text, String secret) {
    assertThat(masking.mask(text)).doesNotContain(secret).contains("****");
  }
}
