package com.aicompanion.monitoring.internal;

import com.aicompanion.monitoring.internal.RecordingErrors.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The facade's metrics by name: one family per name with a fixed type and fixed label keys, each
 * family's series behind the cardinality guard. The hot path is two hash lookups; a label map built
 * with {@code Map.of} is stored as the key itself, so a constant map is found by identity.
 */
public final class MeterStore {
  private static final int MAX_REMEMBERED_REJECTIONS = 10_000;

  /** Prometheus linters want help text; facade metrics are declared by use, so say where from. */
  private static final String HELP = "Recorded through the Monitor facade";

  /** The type of a family, named as in error messages. */
  public enum Kind {
    COUNTER("a counter"),
    TIMER("a timer"),
    SUMMARY("a distribution summary"),
    GAUGE("a gauge");

    private final String article;

    Kind(String article) {
      this.article = article;
    }
  }

  /** Where problems go: the recording path counts and logs them, builder-time APIs throw. */
  public interface Problems {
    void report(Reason reason, String message);
  }

  private final MeterRegistry registry;
  private final int cardinalityLimit;
  private final RecordingErrors errors;
  private final Problems recordingPath;

  /** Name as the caller spelled it -> Family, or the String message that rejected it. */
  private final ConcurrentHashMap<String, Object> byName = new ConcurrentHashMap<>();

  /** Prometheus base name -> Family, to detect one name used with two types. */
  private final ConcurrentHashMap<String, Family> byBaseName = new ConcurrentHashMap<>();

  public MeterStore(MeterRegistry registry, int cardinalityLimit, RecordingErrors errors) {
    this.registry = registry;
    this.cardinalityLimit = cardinalityLimit;
    this.errors = errors;
    this.recordingPath = errors::refuse;
  }

  /** Builder-time problems: thrown as {@link IllegalArgumentException}. */
  public static final Problems THROW =
      (reason, message) -> {
        throw new IllegalArgumentException(message);
      };

  /**
   * The meter of {@code name} and {@code labels}, or {@code null} after reporting why there is
   * none. The result is a {@link Counter}, {@link Timer}, {@link DistributionSummary} or {@link
   * GaugeValue} according to {@code kind}.
   */
  public Object meter(String name, Kind kind, Map<String, String> labels) {
    return meter(name, kind, labels, recordingPath);
  }

  public Object meter(String name, Kind kind, Map<String, String> labels, Problems problems) {
    if (name == null) {
      problems.report(Reason.INVALID_NAME, MetricNames.checkName(null));
      return null;
    }
    Map<String, String> safeLabels = labels == null ? Map.of() : labels;
    Object found = byName.get(name);
    if (found == null) {
      found = resolve(name, kind);
    }
    if (!(found instanceof Family family)) {
      problems.report(Reason.INVALID_NAME, (String) found);
      return null;
    }
    if (family.kind != kind) {
      problems.report(
          Reason.TYPE_CONFLICT,
          "Metric \""
              + name
              + "\" is already registered as "
              + family.kind.article
              + "; cannot record it as "
              + kind.article
              + ": use a different name for the "
              + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
      return null;
    }
    Object meter = family.series.find(safeLabels);
    return meter != null ? meter : family.newSeries(safeLabels, problems);
  }

  private Object resolve(String name, Kind kind) {
    String problem = MetricNames.checkName(name);
    if (problem != null) {
      if (byName.size() < MAX_REMEMBERED_REJECTIONS) {
        byName.putIfAbsent(name, problem);
      }
      return problem;
    }
    String base =
        switch (kind) {
          case COUNTER -> MetricNames.counterBaseName(name);
          case TIMER -> MetricNames.timerBaseName(name);
          default -> name;
        };
    Family family = byBaseName.computeIfAbsent(base, b -> new Family(b, name, kind));
    byName.putIfAbsent(name, family);
    return family;
  }

  /** One metric: its type, its label keys (fixed by the first recording) and its series. */
  final class Family {
    final String baseName;
    final String displayName;
    final Kind kind;
    final Series<Map<String, String>, Object> series;
    volatile Set<String> labelKeys;

    Family(String baseName, String displayName, Kind kind) {
      this.baseName = baseName;
      this.displayName = displayName;
      this.kind = kind;
      this.series = new Series<>(displayName, cardinalityLimit, registry);
    }

    Object newSeries(Map<String, String> labels, Problems problems) {
      if (!labelsAreValid(labels, problems)) {
        return null;
      }
      return series.getOrCreate(
          labels, l -> register(Map.copyOf(l), problems), () -> overflow(problems));
    }

    private boolean labelsAreValid(Map<String, String> labels, Problems problems) {
      for (Map.Entry<String, String> e : labels.entrySet()) {
        String keyProblem = MetricNames.checkLabelKey(displayName, e.getKey());
        if (keyProblem != null) {
          problems.report(Reason.INVALID_LABELS, keyProblem);
          return false;
        }
        if (e.getValue() == null) {
          problems.report(
              Reason.INVALID_LABELS,
              "Label \""
                  + e.getKey()
                  + "\" of metric \""
                  + displayName
                  + "\" has a null value: pass a non-null value such as \"unknown\"");
          return false;
        }
      }
      Set<String> keys = labelKeys;
      if (keys == null) {
        synchronized (this) {
          if (labelKeys == null) {
            labelKeys = Set.copyOf(labels.keySet());
          }
          keys = labelKeys;
        }
      }
      if (!keys.equals(labels.keySet())) {
        problems.report(
            Reason.LABEL_KEYS_CONFLICT,
            "Metric \""
                + displayName
                + "\" was first recorded with label keys "
                + MetricNames.keysText(keys)
                + " and now with "
                + MetricNames.keysText(labels.keySet())
                + ": a metric's label keys must not change; use the same keys or another name");
        return false;
      }
      return true;
    }

    Object overflow(Problems problems) {
      Map<String, String> other = new LinkedHashMap<>();
      for (String key : labelKeys) {
        other.put(key, Series.OTHER);
      }
      return register(other, problems);
    }

    private Object register(Map<String, String> labels, Problems problems) {
      List<Tag> tags = new ArrayList<>(labels.size());
      labels.forEach((k, v) -> tags.add(Tag.of(k, v)));
      try {
        return switch (kind) {
          case COUNTER -> Counter.builder(baseName).description(HELP).tags(tags).register(registry);
          case TIMER -> Timer.builder(baseName).description(HELP).tags(tags).register(registry);
          case SUMMARY ->
              DistributionSummary.builder(baseName).description(HELP).tags(tags).register(registry);
          case GAUGE -> {
            GaugeValue value = new GaugeValue();
            Gauge.builder(baseName, value, GaugeValue::get)
                .description(HELP)
                .tags(tags)
                .strongReference(true)
                .register(registry);
            yield value;
          }
        };
      } catch (RuntimeException e) {
        problems.report(
            Reason.REGISTRY_REJECTED,
            "Metric \"" + displayName + "\" was rejected by the meter registry: " + e.getMessage());
        return null;
      }
    }
  }

  public RecordingErrors errors() {
    return errors;
  }
}
