package com.aicompanion.monitoring.benchmarks.report;

import java.util.List;

/**
 * The rows of the hot-path table: each call of ours, the raw call it is measured against, and the
 * target a module issue set (checked at one thread).
 *
 * <pre>{@code
 * for (HotPaths.Row row : HotPaths.ROWS) { ... }
 * }</pre>
 */
final class HotPaths {
  private HotPaths() {}

  /** A target: ratio to the anchor at most {@code maxRatio}, bytes/op, or ops/s at least. */
  record Target(double maxRatio, double maxBytes, double minOpsPerSecond) {
    static final Target NONE = new Target(Double.NaN, Double.NaN, Double.NaN);

    static Target ratio(double max) {
      return new Target(max, Double.NaN, Double.NaN);
    }

    static Target ratioAndBytes(double max, double bytes) {
      return new Target(max, bytes, Double.NaN);
    }

    static Target opsPerSecond(double min) {
      return new Target(Double.NaN, Double.NaN, min);
    }

    boolean isSet() {
      return !Double.isNaN(maxRatio) || !Double.isNaN(maxBytes) || !Double.isNaN(minOpsPerSecond);
    }

    String describe() {
      StringBuilder s = new StringBuilder();
      if (!Double.isNaN(maxRatio)) {
        s.append("≤ ").append(maxRatio).append('x');
      }
      if (!Double.isNaN(maxBytes)) {
        s.append(s.length() > 0 ? ", " : "").append("≤ ").append((int) maxBytes).append(" B/op");
      }
      if (!Double.isNaN(minOpsPerSecond)) {
        s.append("≥ ").append(String.format("%,.0f", minOpsPerSecond)).append(" events/s");
      }
      return s.toString();
    }
  }

  /** One comparison; {@code anchor} may be null where there is no raw call (a floor). */
  record Row(
      String section, String call, String id, String anchorCall, String anchor, Target target) {}

  static final String FLOOR = "CounterBenchmark.longAdderFloor";

  static final List<Row> ROWS =
      List.of(
          new Row(
              "Counter",
              "`monitor.incrementCounter(name, constantMap)`",
              "CounterBenchmark.facadeIncrementCounter",
              "Micrometer `Counter.builder(..).tags(..).register(..).increment()`",
              "CounterBenchmark.micrometerBuilderRegisterIncrement",
              Target.ratioAndBytes(0.35, 16)),
          new Row(
              "Counter",
              "`monitor.incrementCounter(name, constantMap)`",
              "CounterBenchmark.facadeIncrementCounter",
              "client_java `counter.labelValues(..).inc()`",
              "CounterBenchmark.clientJavaLabelValuesInc",
              Target.NONE),
          new Row(
              "Counter",
              "bound `monitor.counter(..)`, `increment()`",
              "CounterBenchmark.facadeBoundCounter",
              "held Micrometer counter",
              "CounterBenchmark.micrometerHeldCounter",
              Target.ratio(1.1)),
          new Row("Counter", "`LongAdder.increment()` (floor)", FLOOR, "", null, Target.NONE),
          new Row(
              "Timer",
              "`monitor.recordCustomMetric(name, Duration, labels)`",
              "TimerBenchmark.facadeRecordCustomMetric",
              "Micrometer `Timer.builder(..).tags(..).register(..).record(..)`",
              "TimerBenchmark.micrometerBuilderRegisterRecord",
              Target.NONE),
          new Row(
              "Timer",
              "`monitor.recordCustomMetric(name, Duration, labels)`",
              "TimerBenchmark.facadeRecordCustomMetric",
              "held Micrometer timer",
              "TimerBenchmark.micrometerHeldTimer",
              Target.NONE),
          new Row(
              "Histogram timer",
              "`monitor.http().record(method, route, status, Duration)`",
              "TimerBenchmark.facadeHttpRecord",
              "held Micrometer timer, same 13 SLO buckets",
              "TimerBenchmark.micrometerHeldHistogram",
              Target.NONE),
          new Row(
              "Histogram timer",
              "`monitor.http().record(method, route, status, Duration)`",
              "TimerBenchmark.facadeHttpRecord",
              "client_java `Histogram.labelValues(4 labels).observe(..)`, same bounds",
              "TimerBenchmark.clientJavaHistogramLabelValues",
              Target.NONE),
          new Row(
              "Gauge",
              "`monitor.setGauge(name, value, labels)`",
              "GaugeCacheBenchmark.facadeSetGauge",
              "Micrometer gauge on a held atomic double, `set(..)`",
              "GaugeCacheBenchmark.micrometerHeldAtomicGauge",
              Target.NONE),
          new Row(
              "Gauge",
              "`monitor.setGauge(name, value, labels)`",
              "GaugeCacheBenchmark.facadeSetGauge",
              "client_java `Gauge.labelValues(..).set(..)`",
              "GaugeCacheBenchmark.clientJavaGaugeLabelValuesSet",
              Target.NONE),
          new Row(
              "Cache",
              "`monitor.cache(name).hit()`",
              "GaugeCacheBenchmark.facadeCacheHit",
              "held Micrometer counter `cache.gets{result=hit}`",
              "GaugeCacheBenchmark.micrometerHeldCacheCounter",
              Target.NONE),
          new Row(
              "Cache",
              "held `CacheMetrics.hit()`",
              "GaugeCacheBenchmark.facadeHeldCacheHit",
              "held Micrometer counter",
              "GaugeCacheBenchmark.micrometerHeldCacheCounter",
              Target.NONE),
          new Row(
              "LLM call",
              "`monitor.llm().start(..).finish(in, out)`",
              "LlmBenchmark.facadeLlmCall",
              "held Micrometer timer + 2 summaries + cost counter",
              "LlmBenchmark.micrometerHeldLlmMeters",
              Target.NONE),
          new Row(
              "Span",
              "`Spans.inSpan(name, supplier)`, OTLP exporter",
              "SpansBenchmark.inSpan[exporter=otlp]",
              "raw `spanBuilder().startSpan()`, `makeCurrent()`, `end()`",
              "SpansBenchmark.rawSpanWithScope[exporter=otlp]",
              Target.ratio(1.1)),
          new Row(
              "Span",
              "`Spans.inSpan(name, supplier)`, tracing off",
              "SpansBenchmark.inSpan[exporter=none]",
              "raw span with scope, tracing off",
              "SpansBenchmark.rawSpanWithScope[exporter=none]",
              Target.ratio(1.1)),
          new Row(
              "GenAI span",
              "`monitor.llm().start(..).finish(..)` with the tracing observer",
              "GenAiSpanBenchmark.facadeLlmCallWithSpan",
              "raw OTel span, same attributes, + held Micrometer LLM meters",
              "GenAiSpanBenchmark.rawGenAiSpanAndMeters",
              Target.NONE),
          new Row(
              "GenAI span",
              "`monitor.llm().start(..).finish(..)` with the tracing observer",
              "GenAiSpanBenchmark.facadeLlmCallWithSpan",
              "raw OTel span, same attributes, no metrics",
              "GenAiSpanBenchmark.rawGenAiSpan",
              Target.NONE),
          new Row(
              "Logging",
              "ECS encode with masking and trace ids",
              "EcsEncodeBenchmark.ecsWithMaskingAndTraceIds",
              "raw `LogstashEncoder`, same event",
              "EcsEncodeBenchmark.rawLogstashEncoder",
              Target.ratio(1.3)),
          new Row(
              "Logging",
              "ECS encode, new millisecond each event",
              "EcsEncodeBenchmark.ecsWithMaskingAndTraceIdsNewMillisecond",
              "raw `LogstashEncoder`, new millisecond",
              "EcsEncodeBenchmark.rawLogstashEncoderNewMillisecond",
              Target.ratio(1.3)),
          new Row(
              "Logging",
              "ECS encode with the masking policy: no secret, 55-character message and MDC",
              "MaskedEventsEncodeBenchmark.ecsWithMasking[event=plain]",
              "raw `LogstashEncoder`, same event",
              "MaskedEventsEncodeBenchmark.rawLogstashEncoder[event=plain]",
              Target.ratio(1.3)),
          new Row(
              "Logging",
              "ECS encode with the masking policy: no secret, a line of key=value pairs and a URL",
              "MaskedEventsEncodeBenchmark.ecsWithMasking[event=pairs]",
              "raw `LogstashEncoder`, same event",
              "MaskedEventsEncodeBenchmark.rawLogstashEncoder[event=pairs]",
              Target.ratio(1.3)),
          new Row(
              "Logging",
              "ECS encode with the masking policy: no secret, structured arguments and key/value pairs",
              "MaskedEventsEncodeBenchmark.ecsWithMasking[event=arguments]",
              "raw `LogstashEncoder`, same event",
              "MaskedEventsEncodeBenchmark.rawLogstashEncoder[event=arguments]",
              Target.ratio(1.3)),
          new Row(
              "Logging",
              "ECS encode with the masking policy: a bearer token, a password pair, an API key, a secret-named argument",
              "MaskedEventsEncodeBenchmark.ecsWithMasking[event=secret]",
              "raw `LogstashEncoder`, same event",
              "MaskedEventsEncodeBenchmark.rawLogstashEncoder[event=secret]",
              Target.ratio(1.3)),
          new Row(
              "Logging",
              "ECS encode with the masking policy: an ERROR with a 3 KB stack trace",
              "MaskedEventsEncodeBenchmark.ecsWithMasking[event=exception]",
              "raw `LogstashEncoder`, same event",
              "MaskedEventsEncodeBenchmark.rawLogstashEncoder[event=exception]",
              Target.ratio(1.3)),
          new Row(
              "Logging",
              "`logger.info` with shipping on, node down: never blocks (ops/s)",
              "ShippingNodeDownBenchmark.infoNeverBlocksWhileNodeDown",
              "`logger.info` through Logback's `AsyncAppender` and a raw `LogstashEncoder`",
              "AsyncAppenderAnchorBenchmark.infoThroughLogbackAsyncAppender",
              Target.opsPerSecond(150_000)));
}
