package com.aicompanion.monitoring.test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicompanion.monitoring.tracing.Spans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class SpansAssertTest {
  @Test
  void endedSpansAreCapturedWithTheirParentsAndAttributes() {
    try (CapturedSpans spans = CapturedSpans.install("spans-test")) {
      Spans.inSpan(
          "handle-request",
          () -> {
            Spans.inSpan("load-history", () -> Spans.attribute("conversation.id", "c-1"));
          });

      SpansAssert.assertThat(spans).hasSize(2).doesNotHaveSpan("retry");
      SpansAssert.assertThat(spans).span("handle-request").hasNoParent().hasEnded();
      SpansAssert.assertThat(spans)
          .span("load-history")
          .hasKind(SpanKind.INTERNAL)
          .hasParent(spans.named("handle-request").get(0))
          .hasAttribute(AttributeKey.stringKey("conversation.id"), "c-1");
    }
  }

  @Test
  void aMissingSpanFailsListingTheSpansThatEnded() {
    try (CapturedSpans spans = CapturedSpans.install("spans-test")) {
      Spans.inSpan("load-history", () -> {});

      assertThatThrownBy(() -> SpansAssert.assertThat(spans).span("save-history"))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("Expected one span named \"save-history\", but found 0 among:")
          .hasMessageContaining("  load-history [INTERNAL, UNSET] ")
          .hasMessageContaining("(root)");
      assertThatThrownBy(() -> SpansAssert.assertThat(spans).hasSize(2))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("Expected 2 span(s), but 1 ended:");
      assertThatThrownBy(() -> SpansAssert.assertThat(spans).doesNotHaveSpan("load-history"))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("Expected 0 span(s) named \"load-history\", but found 1 among:");
    }
  }

  @Test
  void severalSpansOfOneNameAreCountedAndAskedForOneByOne() {
    try (CapturedSpans spans = CapturedSpans.install("spans-test")) {
      Spans.inSpan("poll", () -> {});
      Spans.inSpan("poll", () -> {});

      SpansAssert.assertThat(spans).hasSpanCount("poll", 2);
      assertThatThrownBy(() -> SpansAssert.assertThat(spans).span("poll"))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("Expected one span named \"poll\", but found 2 among:");
    }
  }

  @Test
  void spansStayReadableAfterCloseAndClearForgetsThem() {
    CapturedSpans spans = CapturedSpans.install("spans-test");
    Spans.inSpan("load-history", () -> {});
    spans.close();
    spans.close();

    SpansAssert.assertThat(spans).hasSize(1).span("load-history").hasEnded();
    spans.clear();
    Assertions.assertThat(spans.spans()).isEmpty();
  }
}
