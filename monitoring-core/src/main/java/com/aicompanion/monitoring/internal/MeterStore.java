package com.aicompanion.monitoring.internal;

import com.aicompanion.monitoring.internal.RecordingErrors.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.noop.NoopMeter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The facade's metrics by name: one family per name with a fixed type and fixed label keys, each
 * family's series behind the cardinality guard. The hot path is one hash lookup by name and one
 * probe of the family's {@link LabelSeries} with the caller's map, allocating nothing.
 *
 * <p>A name is exposed as given (one {@code _total} for a counter, {@code _seconds} for a timer) or
 * refused: names that the exposition would rewrite, and names whose exposed samples would clash
 * with another meter's (checked by {@link NameSpace}), are refused once and remembered, so that a
 * refused name costs a map lookup and a count afterwards.
 */
public final class MeterStore {
  private static final int MAX_REMEMBERED_REJECTIONS = 10_000;

  /** Prometheus linters want help text; facade metrics are declared by use, so say where from. */
  private static final String HELP = "Recorded through the Monitor facade";

  /** The type of a family, named as in error messages. */
  public enum Kind {
    COUNTER("a counter", Meter.Type.COUNTER),
    TIMER("a timer", Meter.Type.TIMER),
    SUMMARY("a distribution summary", Meter.Type.DISTRIBUTION_SUMMARY),
    GAUGE("a gauge", Meter.Type.GAUGE);

    private final String article;
    private final Meter.Type type;

    Kind(String article, Meter.Type type) {
      this.article = article;
      this.type = type;
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
  private final NameSpace nameSpace;

  /** Name as the caller spelled it -> Family, or the Refused that rejected it. */
  private final ConcurrentHashMap<String, Object> byName = new ConcurrentHashMap<>();

  /** Prometheus base name -> Family, to detect one name used with two types. */
  private final ConcurrentHashMap<String, Family> byBaseName = new ConcurrentHashMap<>();

  /**
   * @param nameSpace the registry's name-space guard, or null for a registry that does not expose
   *     Prometheus names
   */
  public MeterStore(
      MeterRegistry registry, int cardinalityLimit, RecordingErrors errors, NameSpace nameSpace) {
    this.registry = registry;
    this.cardinalityLimit = cardinalityLimit;
    this.errors = errors;
    this.recordingPath = errors::refuse;
    this.nameSpace = nameSpace;
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
    if (found instanceof Refused refused) {
      problems.report(refused.reason(), refused.message());
      return null;
    }
    Family family = (Family) found;
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
    Refused familyRefused = family.refused;
    if (familyRefused != null) {
      problems.report(familyRefused.reason(), familyRefused.message());
      return null;
    }
    LabelSeries<Object> series = family.series;
    Object meter = series == null ? null : series.find(safeLabels);
    if (meter == null) {
      meter = family.newSeries(safeLabels, problems);
    }
    if (meter instanceof Refused refused) {
      problems.report(refused.reason(), refused.message());
      return null;
    }
    return meter;
  }

  private Object resolve(String name, Kind kind) {
    String problem = MetricNames.checkName(name);
    if (problem != null) {
      return remember(name, new Refused(Reason.INVALID_NAME, problem));
    }
    String base =
        switch (kind) {
          case COUNTER -> MetricNames.counterBaseName(name);
          case TIMER -> MetricNames.timerBaseName(name);
          default -> name;
        };
    String rewritten = rewriteProblem(name, base, kind);
    if (rewritten != null) {
      return remember(name, new Refused(Reason.RESERVED_SUFFIX, rewritten));
    }
    Family family = byBaseName.computeIfAbsent(base, b -> new Family(b, name, kind));
    byName.putIfAbsent(name, family);
    return family;
  }

  private Object remember(String name, Refused refused) {
    if (byName.size() < MAX_REMEMBERED_REJECTIONS) {
      byName.putIfAbsent(name, refused);
    }
    return refused;
  }

  /**
   * Why the exposition would not show {@code name} as given (plus one {@code _total} for a counter
   * or {@code _seconds} for a timer), or null: client_java strips the suffixes that its formats
   * reserve for sample names ({@code _total}, {@code _created}, {@code _bucket}, {@code _info})
   * from family names, so {@code build_info} would become {@code build}.
   */
  private String rewriteProblem(String name, String base, Kind kind) {
    if (nameSpace == null) {
      return null;
    }
    String expected = kind == Kind.TIMER ? base + "_seconds" : base;
    String family = nameSpace.familyName(base, kind.type, null);
    if (family.equals(expected)) {
      return null;
    }
    String exposed = kind == Kind.COUNTER ? family + "_total" : family;
    return "Metric \""
        + name
        + "\" ("
        + kind.article
        + ") would be exposed as \""
        + exposed
        + "\": Prometheus formats reserve the suffixes _total, _created, _bucket and _info for"
        + " sample names, so the exposition strips them from "
        + (kind == Kind.COUNTER
            ? "a counter's name before adding _total"
            : "the name of " + kind.article)
        + "; choose a name without them, e.g. \""
        + MetricNames.withoutReservedSuffixes(base)
        + (kind == Kind.COUNTER ? "_total" : "")
        + "\"";
  }

  /** A refusal kept in place of a family or a series, so that later recordings refuse at once. */
  private record Refused(Reason reason, String message) {}

  /**
   * A meter left the registry ({@code registry.remove}, {@code clear}): the facade family it
   * belongs to forgets its series, so that the next recording registers again instead of writing
   * into a meter no scrape sees.
   */
  public void removed(Meter meter) {
    Family family = byBaseName.get(meter.getId().getName());
    if (family != null) {
      family.series = null;
    }
  }

  /** One metric: its type, its label keys (fixed by the first recording) and its series. */
  final class Family {
    final String baseName;
    final String displayName;
    final Kind kind;
    volatile LabelSeries<Object> series;
    volatile Refused refused;

    Family(String baseName, String displayName, Kind kind) {
      this.baseName = baseName;
      this.displayName = displayName;
      this.kind = kind;
    }

    Object newSeries(Map<String, String> labels, Problems problems) {
      LabelSeries<Object> s = seriesFor(labels, problems);
      if (s == null) {
        return null;
      }
      return s.getOrCreate(labels, values -> register(s.keys(), values), () -> overflow(s));
    }

    /** The series store, made by the first valid recording, which fixes the label keys. */
    private LabelSeries<Object> seriesFor(Map<String, String> labels, Problems problems) {
      for (Map.Entry<String, String> e : labels.entrySet()) {
        String keyProblem = MetricNames.checkLabelKey(displayName, e.getKey());
        if (keyProblem != null) {
          problems.report(Reason.INVALID_LABELS, keyProblem);
          return null;
        }
        if (e.getValue() == null) {
          problems.report(
              Reason.INVALID_LABELS,
              "Label \""
                  + e.getKey()
                  + "\" of metric \""
                  + displayName
                  + "\" has a null value: pass a non-null value such as \"unknown\"");
          return null;
        }
      }
      LabelSeries<Object> s = series;
      if (s == null) {
        synchronized (this) {
          s = series;
          if (s == null) {
            String[] keys = labels.keySet().stream().sorted().toArray(String[]::new);
            s = new LabelSeries<>(displayName, keys, cardinalityLimit, registry);
            series = s;
          }
        }
      }
      List<String> keys = List.of(s.keys());
      if (keys.size() != labels.size() || !labels.keySet().containsAll(keys)) {
        problems.report(
            Reason.LABEL_KEYS_CONFLICT,
            "Metric \""
                + displayName
                + "\" was first recorded with label keys "
                + MetricNames.keysText(keys)
                + " and now with "
                + MetricNames.keysText(labels.keySet())
                + ": a metric's label keys must not change; use the same keys or another name");
        return null;
      }
      return s;
    }

    private Object overflow(LabelSeries<Object> s) {
      String[] keys = s.keys();
      String[] values = new String[keys.length];
      java.util.Arrays.fill(values, Series.OTHER);
      return register(keys, values);
    }

    /** Registers one series, or returns why the registry did not take it. */
    private Object register(String[] keys, String[] values) {
      List<Tag> tags = new ArrayList<>(keys.length);
      for (int i = 0; i < keys.length; i++) {
        tags.add(Tag.of(keys[i], values[i]));
      }
      Object created;
      try {
        created =
            nameSpace == null
                ? build(tags, new GaugeValue())
                : nameSpace.asFacade(() -> build(tags, new GaugeValue()));
      } catch (RuntimeException e) {
        return new Refused(
            Reason.REGISTRY_REJECTED,
            "Metric \"" + displayName + "\" was rejected by the meter registry: " + e.getMessage());
      }
      String rejection = nameSpace == null ? null : nameSpace.takeRejection();
      if (rejection != null) {
        // a clash of exposed names, or a label the family's shape reserves, holds for every
        // label set of the family
        Refused familyWide = new Refused(nameSpace.takeRejectionReason(), rejection);
        refused = familyWide;
        return familyWide;
      }
      if (created instanceof Meter meter && meter instanceof NoopMeter) {
        return new Refused(
            Reason.REGISTRY_REJECTED,
            "Metric \""
                + displayName
                + "\" was not registered: the meter registry returned a no-op meter (a MeterFilter"
                + " denied it, or the registry is closed), so its recordings would be lost");
      }
      return created;
    }

    /** The meter for {@code tags}; a gauge returns its {@link GaugeValue}, or the no-op gauge. */
    private Object build(List<Tag> tags, GaugeValue value) {
      return switch (kind) {
        case COUNTER -> Counter.builder(baseName).description(HELP).tags(tags).register(registry);
        case TIMER -> Timer.builder(baseName).description(HELP).tags(tags).register(registry);
        case SUMMARY ->
            DistributionSummary.builder(baseName).description(HELP).tags(tags).register(registry);
        case GAUGE -> {
          Gauge gauge =
              Gauge.builder(baseName, value, GaugeValue::get)
                  .description(HELP)
                  .tags(tags)
                  .strongReference(true)
                  .register(registry);
          yield gauge instanceof NoopMeter ? gauge : value;
        }
      };
    }
  }

  public RecordingErrors errors() {
    return errors;
  }
}
