package com.aicompanion.monitoring.logging;

import java.util.List;

/** Secrets of many kinds, each embedded in realistic text, none of which may leave the process. */
final class SecretCorpus {
  /** One kind of secret: the text that is logged and the part that must never appear. */
  record Secret(String kind, String text, String secret) {}

  static final List<Secret> ALL =
      List.of(
          new Secret(
              "openai key",
              "calling with sk-proj-Ab12Cd34Ef56Gh78Ij90KlMnOpQr",
              "sk-proj-Ab12Cd34Ef56Gh78Ij90KlMnOpQr"),
          new Secret(
              "anthropic key",
              "key sk-ant-api03-ZyXwVuTsRqPoNmLkJiHg loaded",
              "sk-ant-api03-ZyXwVuTsRqPoNmLkJiHg"),
          new Secret(
              "aws access key id", "aws id AKIAIOSFODNN7EXAMPLE used", "AKIAIOSFODNN7EXAMPLE"),
          new Secret(
              "aws secret key",
              "aws_secret_access_key=wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY",
              "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY"),
          new Secret(
              "bearer token",
              "Authorization: Bearer abcDEF123456ghiJKL789",
              "abcDEF123456ghiJKL789"),
          new Secret(
              "jwt",
              "session eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N",
              "eyJzdWIiOiIxMjM0NTY3ODkwIn0"),
          new Secret(
              "password in url",
              "connecting to postgres://app:S3cr3tPassw0rd@db.internal:5432/chat",
              "S3cr3tPassw0rd"),
          new Secret(
              "password pair", "login failed password=hunter2hunter2 for bob", "hunter2hunter2"),
          new Secret(
              "secret pair", "client_secret=Qw3rTy-UiOp-Secret99 rejected", "Qw3rTy-UiOp-Secret99"),
          new Secret(
              "token pair", "refresh with token=tok_9f8e7d6c5b4a3f2e", "tok_9f8e7d6c5b4a3f2e"),
          new Secret("json password", "payload {\"password\": \"jsonPass#4242\"}", "jsonPass#4242"),
          new Secret("api key pair", "api_key: apk-77aa88bb99cc00dd", "apk-77aa88bb99cc00dd"),
          new Secret(
              "github token",
              "push with ghp_1234567890abcdefghijABCDEFGHIJ123456",
              "ghp_1234567890abcdefghijABCDEFGHIJ123456"),
          new Secret(
              "slack token",
              "slack xoxb-1234567890-abcdefghijkl posted",
              "xoxb-1234567890-abcdefghijkl"),
          new Secret(
              "google api key",
              "maps AIzaSyA1234567890abcdefghijklmnopqrstu0 quota",
              "AIzaSyA1234567890abcdefghijklmnopqrstu0"),
          new Secret(
              "stripe key",
              "charge via sk_live_51Habcdefghijklmnop1234",
              "sk_live_51Habcdefghijklmnop1234"),
          new Secret(
              "basic auth header",
              "Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l",
              "YWxhZGRpbjpvcGVuc2VzYW1l"),
          new Secret(
              "email address", "welcome mail sent to jane.doe@example.com", "jane.doe@example.com"),
          new Secret("user pattern", "customer CUST-884422 upgraded", "CUST-884422"));

  /** The user-added pattern the corpus relies on. */
  static final String USER_PATTERN = "CUST-\\d{6}";

  private SecretCorpus() {}
}
