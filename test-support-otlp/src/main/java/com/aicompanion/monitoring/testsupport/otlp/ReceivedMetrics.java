package com.aicompanion.monitoring.testsupport.otlp;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** What an in-test OTLP receiver decoded at {@code /v1/metrics}: every metric with its resource. */
public final class ReceivedMetrics {
  /** One metric of one export request, with the resource it came with. */
  public record Received(Resource resource, Metric metric) {
    public String name() {
      return metric.getName();
    }

    public Map<String, String> resourceAttributes() {
      return ReceivedSpans.attributes(resource.getAttributesList());
    }
  }

  private final List<Received> metrics = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final List<ExportMetricsServiceRequest> requests = new CopyOnWriteArrayList<>();

  public void add(ExportMetricsServiceRequest request, String authorization) {
    requests.add(request);
    authorizations.add(String.valueOf(authorization));
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric metric : sm.getMetricsList()) {
          metrics.add(new Received(rm.getResource(), metric));
        }
      }
    }
  }

  /** Every metric of every request, oldest first. */
  public List<Received> all() {
    return new ArrayList<>(metrics);
  }

  /** The newest metric named {@code name}. */
  public Optional<Received> latest(String name) {
    List<Received> all = all();
    for (int i = all.size() - 1; i >= 0; i--) {
      if (all.get(i).name().equals(name)) {
        return Optional.of(all.get(i));
      }
    }
    return Optional.empty();
  }

  /**
   * Every data point of the histogram {@code name} whose attributes include {@code attributes},
   * oldest first: one per push that carried it.
   */
  public List<HistogramDataPoint> histogramPoints(String name, Map<String, String> attributes) {
    List<HistogramDataPoint> points = new ArrayList<>();
    for (Received r : all()) {
      if (!r.name().equals(name) || !r.metric().hasHistogram()) {
        continue;
      }
      for (HistogramDataPoint point : r.metric().getHistogram().getDataPointsList()) {
        if (ReceivedSpans.attributes(point.getAttributesList())
            .entrySet()
            .containsAll(attributes.entrySet())) {
          points.add(point);
        }
      }
    }
    return points;
  }

  /** The newest data point of {@link #histogramPoints}. */
  public Optional<HistogramDataPoint> latestHistogramPoint(
      String name, Map<String, String> attributes) {
    List<HistogramDataPoint> points = histogramPoints(name, attributes);
    return points.isEmpty() ? Optional.empty() : Optional.of(points.get(points.size() - 1));
  }

  /** The {@code Authorization} header of each request ({@code "null"} when absent). */
  public List<String> authorizations() {
    return new ArrayList<>(authorizations);
  }

  public int requestCount() {
    return requests.size();
  }
}
