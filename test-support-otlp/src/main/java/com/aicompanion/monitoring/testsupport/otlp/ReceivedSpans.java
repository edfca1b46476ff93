package com.aicompanion.monitoring.testsupport.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an in-test OTLP receiver decoded: every span with the resource it came with. Adding a batch
 * costs its own spans only (a copy-on-write list copied the references to every span received so
 * far for each new one: in the request-cost harness, at 1,200 spans a second and 200,000 held,
 * about 1 GB a second copied and collected, on the machine that runs the measured child).
 */
public final class ReceivedSpans {
  public record Received(Resource resource, Span span) {
    public String traceId() {
      return hex(span.getTraceId());
    }

    public String spanId() {
      return hex(span.getSpanId());
    }

    public String parentSpanId() {
      return hex(span.getParentSpanId());
    }

    public Map<String, String> attributes() {
      return ReceivedSpans.attributes(span.getAttributesList());
    }

    public Map<String, String> resourceAttributes() {
      return ReceivedSpans.attributes(resource.getAttributesList());
    }
  }

  private final List<Received> spans = new ArrayList<>();
  private final boolean keep;
  private int requests;
  private int counted;

  /** Keeps every span received, for {@link #all()} and {@link #named}. */
  public ReceivedSpans() {
    this(true);
  }

  /**
   * {@code keep} false: counts spans and requests only, keeping none, for a long load (a
   * benchmark): a receiver holding a million spans makes its own JVM's collector pause for tens of
   * ms, which a load generator in that JVM shows as latency of the service it measures.
   */
  public ReceivedSpans(boolean keep) {
    this.keep = keep;
  }

  public void add(ExportTraceServiceRequest request) {
    int n = 0;
    List<Received> batch = new ArrayList<>();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        n += ss.getSpansCount();
        if (keep) {
          for (Span span : ss.getSpansList()) {
            batch.add(new Received(rs.getResource(), span));
          }
        }
      }
    }
    synchronized (this) {
      requests++;
      counted += n;
      spans.addAll(batch);
    }
  }

  /**
   * A copy of every span received so far, in the order they arrived.
   *
   * @throws IllegalStateException on a receiver that only counts ({@link
   *     OtlpHttpReceiver#startCounting()})
   */
  public synchronized List<Received> all() {
    if (!keep) {
      throw new IllegalStateException(
          "this receiver counts spans without keeping them: start it with"
              + " OtlpHttpReceiver.start() to read them");
    }
    return new ArrayList<>(spans);
  }

  /** How many spans were received so far (without copying them). */
  public synchronized int count() {
    return counted;
  }

  public Optional<Received> named(String name) {
    return all().stream().filter(r -> r.span().getName().equals(name)).findFirst();
  }

  /** How many export requests were received so far. */
  public synchronized int requestCount() {
    return requests;
  }

  public static String hex(ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }

  public static Map<String, String> attributes(List<KeyValue> list) {
    Map<String, String> out = new LinkedHashMap<>();
    for (KeyValue kv : list) {
      out.put(kv.getKey(), text(kv.getValue()));
    }
    return out;
  }

  private static String text(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case INT_VALUE -> Long.toString(value.getIntValue());
      case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
      case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
      default -> value.toString();
    };
  }
}
