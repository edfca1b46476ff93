package com.aicompanion.monitoring.test;

import io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions;
import io.opentelemetry.sdk.testing.assertj.SpanDataAssert;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on the spans a {@link CapturedSpans} holds; one span is checked with OpenTelemetry's
 * own {@link SpanDataAssert} (name, kind, attributes, status, parent, events, ...).
 *
 * <pre>{@code
 * import static com.aicompanion.monitoring.test.SpansAssert.assertThat;
 * import static io.opentelemetry.api.common.AttributeKey.stringKey;
 *
 * assertThat(spans).hasSize(2).doesNotHaveSpan("retry");
 * assertThat(spans).span("chat gpt-4o")
 *     .hasKind(SpanKind.CLIENT)
 *     .hasAttribute(stringKey("gen_ai.request.model"), "gpt-4o")
 *     .hasParent(spans.named("POST /chat").get(0));
 * }</pre>
 *
 * <p>{@code assertThat(spans)} takes the spans ended so far. A failure lists them as {@code name
 * [kind, status] trace/span (parent)}.
 */
public final class SpansAssert extends AbstractAssert<SpansAssert, List<SpanData>> {
  private SpansAssert(List<SpanData> spans) {
    super(spans, SpansAssert.class);
  }

  /**
   * The spans {@code spans} captured so far.
   *
   * @throws NullPointerException when {@code spans} is null
   */
  public static SpansAssert assertThat(CapturedSpans spans) {
    Objects.requireNonNull(spans, "assertThat(spans): spans is null");
    return new SpansAssert(spans.spans());
  }

  /**
   * Checks how many spans ended.
   *
   * @throws AssertionError listing the spans when the count differs
   */
  public SpansAssert hasSize(int expected) {
    if (actual.size() != expected) {
      failWithMessage(
          "%nExpected %s span(s), but %s ended:%n%s", expected, actual.size(), listing());
    }
    return this;
  }

  /**
   * The one span named {@code name}, for OpenTelemetry's {@link SpanDataAssert}.
   *
   * @throws AssertionError when none or several have that name, listing the spans
   */
  public SpanDataAssert span(String name) {
    Objects.requireNonNull(name, "span(name): name is null");
    List<SpanData> named = actual.stream().filter(s -> s.getName().equals(name)).toList();
    if (named.size() != 1) {
      failWithMessage(
          "%nExpected one span named \"%s\", but found %s among:%n%s",
          name, named.size(), listing());
    }
    return OpenTelemetryAssertions.assertThat(named.get(0));
  }

  /**
   * Checks how many spans are named {@code name}.
   *
   * @throws AssertionError listing the spans when the count differs
   */
  public SpansAssert hasSpanCount(String name, int expected) {
    Objects.requireNonNull(name, "hasSpanCount(name, ..): name is null");
    long count = actual.stream().filter(s -> s.getName().equals(name)).count();
    if (count != expected) {
      failWithMessage(
          "%nExpected %s span(s) named \"%s\", but found %s among:%n%s",
          expected, name, count, listing());
    }
    return this;
  }

  /**
   * Checks that no span is named {@code name}.
   *
   * @throws AssertionError listing the spans otherwise
   */
  public SpansAssert doesNotHaveSpan(String name) {
    return hasSpanCount(name, 0);
  }

  private String listing() {
    if (actual.isEmpty()) {
      return "  (no span ended)";
    }
    StringBuilder b = new StringBuilder();
    for (SpanData span : actual) {
      b.append("  ")
          .append(span.getName())
          .append(" [")
          .append(span.getKind())
          .append(", ")
          .append(span.getStatus().getStatusCode())
          .append("] ")
          .append(span.getTraceId())
          .append('/')
          .append(span.getSpanId())
          .append(
              span.getParentSpanContext().isValid()
                  ? " (parent " + span.getParentSpanId() + ")"
                  : " (root)")
          .append('\n');
    }
    return b.toString();
  }
}
