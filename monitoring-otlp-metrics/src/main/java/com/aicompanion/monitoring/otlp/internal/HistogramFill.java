package com.aicompanion.monitoring.otlp.internal;

import io.micrometer.core.instrument.distribution.HistogramSupport;
import io.micrometer.registry.otlp.OtlpMetricsSender;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the OTLP histograms of the push the bucket counts of the Prometheus registry's timers and
 * distribution summaries.
 *
 * <pre>{@code
 * HistogramFill fill = new HistogramFill(delta);
 * fill.add(HistogramFill.key(otlpName, otlpTags), prometheusTimer, true, null);
 * byte[] complete = fill.apply(requestBytes);   // in the metrics sender, before the HTTP call
 * }</pre>
 *
 * <p>micrometer-registry-otlp turns a meter into an OTLP histogram only when it made the meter
 * itself, so each such meter is mirrored as a function timer, which the registry encodes as a
 * histogram data point with the right name, attributes, start and end time and temporality, but
 * with a single bucket. Here, in the metrics sender, each of those data points gets the values of
 * one snapshot of its Prometheus-registry meter: the same boundaries that {@code /metrics} exposes
 * as {@code le}, one count per bucket, and the count and sum of the same snapshot, so that the
 * point is consistent (OTLP requires the count to be the sum of the bucket counts). With delta
 * temporality each point carries what was recorded since the previous push.
 *
 * <p>Only the publishing thread calls {@link #apply}; the mirror adds and removes sources from the
 * registering threads.
 */
final class HistogramFill {
  /** One Prometheus-registry meter whose histogram is pushed. */
  private static final class Source {
    final HistogramSupport meter;
    final boolean timeBased;
    final String unit;

    /** The point of the previous push (delta temporality). */
    HistogramPoint previous;

    Source(HistogramSupport meter, boolean timeBased, String unit) {
      this.meter = meter;
      this.timeBased = timeBased;
      this.unit = unit;
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(HistogramFill.class);
  private final java.util.concurrent.atomic.AtomicBoolean failedOnce =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final boolean delta;
  private final Map<String, Source> sources = new ConcurrentHashMap<>();

  HistogramFill(boolean delta) {
    this.delta = delta;
  }

  /**
   * The key of one OTLP data point: the metric's name and its attributes as the OTLP registry
   * writes them.
   */
  static String key(String name, Map<String, String> attributes) {
    return name + '\u0000' + new TreeMap<>(attributes);
  }

  /**
   * Fills the data point keyed {@code key} from {@code meter}; {@code unit} replaces the unit the
   * registry gives the mirror (a summary's own base unit), or null to keep it.
   */
  void add(String key, HistogramSupport meter, boolean timeBased, String unit) {
    sources.put(key, new Source(meter, timeBased, unit));
  }

  void remove(String key) {
    sources.remove(key);
  }

  /**
   * {@code request} with its histogram points filled; the request as it is (without buckets, still
   * with count and sum) when filling fails, which is logged once.
   */
  OtlpMetricsSender.Request fill(OtlpMetricsSender.Request request) {
    byte[] filled;
    try {
      filled = apply(request.getMetricsData());
    } catch (RuntimeException | com.google.protobuf.InvalidProtocolBufferException e) {
      if (failedOnce.compareAndSet(false, true)) {
        LOG.warn(
            "Could not add the histogram buckets to the OTLP metrics push; timers and summaries are"
                + " pushed with count and sum only",
            e);
      }
      return request;
    }
    if (filled == request.getMetricsData()) {
      return request;
    }
    return OtlpMetricsSender.Request.builder(filled)
        .address(request.getAddress())
        .headers(request.getHeaders())
        .compressionMode(request.getCompressionMode())
        .build();
  }

  /**
   * {@code request} (an encoded {@code ExportMetricsServiceRequest}) with the histogram points of
   * the known sources filled in; the same bytes when it holds none.
   *
   * @throws com.google.protobuf.InvalidProtocolBufferException when {@code request} is not one
   */
  byte[] apply(byte[] request) throws com.google.protobuf.InvalidProtocolBufferException {
    if (sources.isEmpty()) {
      return request;
    }
    ExportMetricsServiceRequest.Builder out =
        ExportMetricsServiceRequest.parseFrom(request).toBuilder();
    boolean changed = false;
    for (ResourceMetrics.Builder resource : out.getResourceMetricsBuilderList()) {
      for (ScopeMetrics.Builder scope : resource.getScopeMetricsBuilderList()) {
        for (Metric.Builder metric : scope.getMetricsBuilderList()) {
          if (metric.hasHistogram()) {
            changed |= fill(metric);
          }
        }
      }
    }
    return changed ? out.build().toByteArray() : request;
  }

  private boolean fill(Metric.Builder metric) {
    boolean changed = false;
    for (HistogramDataPoint.Builder point :
        metric.getHistogramBuilder().getDataPointsBuilderList()) {
      Source source = sources.get(key(metric.getName(), attributes(point.getAttributesList())));
      if (source == null) {
        continue;
      }
      HistogramPoint now = HistogramPoint.of(source.meter.takeSnapshot(), source.timeBased);
      HistogramPoint values = now;
      if (delta) {
        values = now.minus(source.previous);
        source.previous = now;
      }
      point.setCount(values.count()).setSum(values.sum()).clearExplicitBounds().clearBucketCounts();
      for (double bound : values.bounds()) {
        point.addExplicitBounds(bound);
      }
      for (long count : values.counts()) {
        point.addBucketCounts(count);
      }
      if (source.unit != null) {
        metric.setUnit(source.unit);
      }
      changed = true;
    }
    return changed;
  }

  private static Map<String, String> attributes(List<KeyValue> attributes) {
    Map<String, String> out = new TreeMap<>();
    for (KeyValue kv : attributes) {
      out.put(kv.getKey(), kv.getValue().getStringValue());
    }
    return out;
  }
}
