package com.aicompanion.monitoring.tracing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Tracing's builder rejects null as every builder of the library does: naming the method. */
class BuilderArgumentsTest {
  @Test
  void nullArgumentsAreRefusedNamingTheMethod() {
    assertThatThrownBy(() -> Tracing.builder("svc").environment(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "environment(null): pass a value; to keep the default, do not call environment()");
    assertThatThrownBy(() -> Tracing.builder("svc").otlpEndpoint(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("otlpEndpoint(null)");
  }
}
