package com.aicompanion.monitoring.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which OpenTelemetry an instrumentation follows, and how often it reads the global one (its read
 * takes {@code GlobalOpenTelemetry}'s lock, which every request would contend for).
 */
class TelemetryTest {
  private final AtomicInteger built = new AtomicInteger();
  private OpenTelemetrySdk sdk;

  @BeforeEach
  void setUp() {
    GlobalOpenTelemetry.resetForTest();
    sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder().build()).build();
  }

  @AfterEach
  void tearDown() {
    GlobalOpenTelemetry.resetForTest();
    sdk.close();
  }

  private Telemetry<ServerCall, Integer> telemetry(OpenTelemetry fixed) {
    return new Telemetry<>(
        fixed,
        otel -> {
          built.incrementAndGet();
          return ServerInstrumenter.create(otel);
        });
  }

  @Test
  void anOpenTelemetryGivenToTheBuilderIsUsedAndItsInstrumenterBuiltOnce() {
    Telemetry<ServerCall, Integer> t = telemetry(sdk);

    Instrumenter<ServerCall, Integer> first = t.instrumenter();
    assertThat(first).isNotNull();
    assertThat(t.instrumenter()).isSameAs(first);
    assertThat(t.openTelemetry()).isSameAs(sdk);
    assertThat(built).hasValue(1);
  }

  @Test
  void aGlobalSetAfterTheFirstRequestsIsSeenAtTheNextOne() {
    Telemetry<ServerCall, Integer> t = telemetry(null);
    assertThat(t.instrumenter()).as("no global: no spans, no instrumenter").isNull();
    assertThat(t.instrumenter()).isNull();
    assertThat(built).hasValue(0);

    GlobalOpenTelemetry.set(sdk);

    Instrumenter<ServerCall, Integer> afterSet = t.instrumenter();
    assertThat(afterSet).isNotNull();
    assertThat(t.openTelemetry()).isSameAs(GlobalOpenTelemetry.get());
    assertThat(built).hasValue(1);
  }

  @Test
  void aGlobalOtherThanTheNoOpIsReadOnceAndKept() {
    GlobalOpenTelemetry.set(sdk);
    Telemetry<ServerCall, Integer> t = telemetry(null);
    Instrumenter<ServerCall, Integer> first = t.instrumenter();
    assertThat(first).isNotNull();

    // OpenTelemetry lets the global be set once per JVM; only a test can take it back, and the
    // instrumentation does not follow that: it no longer reads the global at all
    GlobalOpenTelemetry.resetForTest();
    GlobalOpenTelemetry.set(OpenTelemetry.noop());

    assertThat(t.instrumenter()).isSameAs(first);
    assertThat(built).hasValue(1);
  }

  @Test
  void theNoOpSetAsTheGlobalMakesNoInstrumenter() {
    GlobalOpenTelemetry.set(OpenTelemetry.noop());
    Telemetry<ServerCall, Integer> t = telemetry(null);

    assertThat(t.instrumenter()).isNull();
    assertThat(t.instrumenter()).isNull();
    assertThat(built).hasValue(0);
  }
}
