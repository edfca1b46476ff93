package com.aicompanion.monitoring.jdbc;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;

/** Reading the database spans that OpenTelemetry's JDBC instrumentation recorded. */
final class JdbcSpans {
  static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system");
  static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");
  static final AttributeKey<String> DB_STATEMENT = AttributeKey.stringKey("db.statement");
  static final AttributeKey<String> DB_QUERY_TEXT = AttributeKey.stringKey("db.query.text");
  static final AttributeKey<String> DB_NAME = AttributeKey.stringKey("db.name");
  static final AttributeKey<String> DB_NAMESPACE = AttributeKey.stringKey("db.namespace");

  private JdbcSpans() {}

  /** The CLIENT spans, in the order they ended. */
  static List<SpanData> clientSpans(List<SpanData> spans) {
    return spans.stream().filter(s -> s.getKind() == SpanKind.CLIENT).toList();
  }

  /**
   * The statement text under either convention (old {@code db.statement}, stable {@code
   * db.query.text}).
   */
  static String statement(SpanData span) {
    String old = span.getAttributes().get(DB_STATEMENT);
    return old != null ? old : span.getAttributes().get(DB_QUERY_TEXT);
  }

  static String system(SpanData span) {
    String old = span.getAttributes().get(DB_SYSTEM);
    return old != null ? old : span.getAttributes().get(DB_SYSTEM_NAME);
  }

  static String namespace(SpanData span) {
    String old = span.getAttributes().get(DB_NAME);
    return old != null ? old : span.getAttributes().get(DB_NAMESPACE);
  }

  static SpanData withStatementContaining(List<SpanData> spans, String part) {
    return clientSpans(spans).stream()
        .filter(s -> statement(s) != null && statement(s).contains(part))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no CLIENT span whose statement contains \""
                        + part
                        + "\"; spans: "
                        + spans.stream().map(s -> s.getName() + " " + s.getAttributes()).toList()));
  }
}
