package com.aicompanion.monitoring.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recording path's error regime: never throw, log each distinct problem once at WARN, count
 * every occurrence in {@code monitoring_metric_errors_total{reason}}.
 */
public final class RecordingErrors {
  private static final Logger LOG = LoggerFactory.getLogger("com.aicompanion.monitoring.Monitor");

  /** Bounds the memory spent on remembering which problems were already logged. */
  private static final int MAX_REMEMBERED = 10_000;

  private static final java.util.concurrent.atomic.AtomicBoolean OBSERVER_FAILED_LOGGED =
      new java.util.concurrent.atomic.AtomicBoolean();

  private final Set<String> logged = ConcurrentHashMap.newKeySet();
  private final MeterRegistry registry;
  private final ConcurrentHashMap<Reason, Counter> counters = new ConcurrentHashMap<>();

  /** Why a recording was refused; the value of the {@code reason} label. */
  public enum Reason {
    INVALID_NAME("invalid_name"),
    INVALID_LABELS("invalid_labels"),
    INVALID_VALUE("invalid_value"),
    TYPE_CONFLICT("type_conflict"),
    LABEL_KEYS_CONFLICT("label_keys_conflict"),
    REGISTRY_REJECTED("registry_rejected"),
    NAME_CONFLICT("name_conflict"),
    RESERVED_SUFFIX("reserved_suffix"),
    CALLBACK_FAILED("callback_failed");

    final String label;

    Reason(String label) {
      this.label = label;
    }
  }

  public RecordingErrors(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Registers {@code monitoring_metric_errors_total} for every reason at 0 (the reasons are a fixed
   * set), so that {@code increase(...)} sees the first refusal. Call it once the registry's meter
   * filters are in place ({@code Monitoring} does at start), so the series carry the common tags.
   *
   * @return this
   */
  public RecordingErrors registerAtZero() {
    for (Reason reason : Reason.values()) {
      counter(reason);
    }
    return this;
  }

  private Counter counter(Reason reason) {
    return counters.computeIfAbsent(
        reason,
        r ->
            Counter.builder("monitoring.metric.errors")
                .description("Recordings the Monitor facade refused, by reason")
                .tag("reason", r.label)
                .register(registry));
  }

  /** The longest duration a timer can hold: {@code Long.MAX_VALUE} nanoseconds, ~292 years. */
  private static final java.time.Duration LONGEST = java.time.Duration.ofNanos(Long.MAX_VALUE);

  /**
   * Null when {@code duration} can be recorded in a timer, else the value and the rule, e.g. {@code
   * "PT-1S: pass a Duration >= 0"}.
   */
  public static String durationProblem(java.time.Duration duration) {
    if (duration == null) {
      return "null: pass a Duration >= 0";
    }
    if (duration.isNegative()) {
      return duration + ": pass a Duration >= 0";
    }
    if (duration.compareTo(LONGEST) > 0) {
      return duration + ": a timer holds at most " + LONGEST + " (Long.MAX_VALUE nanoseconds)";
    }
    return null;
  }

  /** Logs {@code message} at WARN if it was not logged before; counts nothing. */
  public void warnOnce(String message) {
    if (logged.size() < MAX_REMEMBERED && logged.add(message)) {
      LOG.warn("{}. This warning is logged once.", message);
    }
  }

  /** An observer (another module's callback) threw; logged at WARN once per JVM. */
  public static void observerFailed(RuntimeException e) {
    if (OBSERVER_FAILED_LOGGED.compareAndSet(false, true)) {
      LOG.warn("An LLM call observer failed; the metrics are recorded regardless. Logged once.", e);
    }
  }

  /** Counts the refused recording and logs {@code message} if it was not logged before. */
  public void refuse(Reason reason, String message) {
    counter(reason).increment();
    if (logged.size() < MAX_REMEMBERED && logged.add(message)) {
      LOG.warn("Ignoring recording: {}. This warning is logged once.", message);
    }
  }
}
