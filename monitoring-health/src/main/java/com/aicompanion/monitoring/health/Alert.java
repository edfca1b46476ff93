package com.aicompanion.monitoring.health;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * An application-side alert for Alertmanager: a name ({@code alertname}), a severity, labels that
 * identify it and annotations that describe it. Two alerts with the same name and labels are the
 * same alert: firing it again refreshes it, resolving either resolves it.
 *
 * <pre>{@code
 * Alert alert = Alert.builder("LlmBudgetExceeded")
 *     .severity(Severity.WARNING)
 *     .summary("LLM spend is over the daily budget")
 *     .label("model", "gpt-4o")
 *     .build();
 * alerts.fire(alert);
 * alerts.resolve(alert);
 * }</pre>
 */
public final class Alert {
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  /** Labels the notifier sets itself; an alert may not override them. */
  static final Set<String> RESERVED = Set.of("alertname", "service", "environment", "severity");

  private final String name;
  private final Severity severity;
  private final Map<String, String> labels;
  private final Map<String, String> annotations;

  private Alert(Builder b) {
    this.name = b.name;
    this.severity = b.severity;
    this.labels = Collections.unmodifiableMap(new TreeMap<>(b.labels));
    this.annotations = Collections.unmodifiableMap(new TreeMap<>(b.annotations));
  }

  /**
   * @throws IllegalArgumentException when {@code name} is not a label value Alertmanager routes on
   *     well (blank)
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** The {@code alertname} label. */
  public String name() {
    return name;
  }

  public Severity severity() {
    return severity;
  }

  /** The alert's own labels, without {@code alertname/service/environment/severity}. */
  public Map<String, String> labels() {
    return labels;
  }

  /** {@code summary}, {@code description} and any other annotations. */
  public Map<String, String> annotations() {
    return annotations;
  }

  /** The identity of the alert: its name and labels. */
  String key() {
    return name + labels;
  }

  @Override
  public String toString() {
    return name + labels;
  }

  /** Builds an {@link Alert}. */
  public static final class Builder {
    private final String name;
    private Severity severity = Severity.WARNING;
    private final Map<String, String> labels = new TreeMap<>();
    private final Map<String, String> annotations = new TreeMap<>();

    private Builder(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("alert name is blank: use e.g. \"HealthCheckFailed\"");
      }
      this.name = name;
    }

    /** Default {@link Severity#WARNING}. */
    public Builder severity(Severity severity) {
      this.severity = Objects.requireNonNull(severity, "severity");
      return this;
    }

    /** The {@code summary} annotation: one line for the notification title. */
    public Builder summary(String summary) {
      return annotation("summary", summary);
    }

    /** The {@code description} annotation. */
    public Builder description(String description) {
      return annotation("description", description);
    }

    /**
     * A label that identifies the alert.
     *
     * @throws IllegalArgumentException for an invalid or reserved name ({@code alertname, service,
     *     environment, severity} are set by the notifier)
     */
    public Builder label(String name, String value) {
      if (name == null || !LABEL_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "alert label name \"" + name + "\" must match [a-zA-Z_][a-zA-Z0-9_]*");
      }
      if (RESERVED.contains(name)) {
        throw new IllegalArgumentException(
            "alert label \"" + name + "\" is set by the notifier; use another name");
      }
      labels.put(name, Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Any annotation, e.g. {@code runbook_url}. */
    public Builder annotation(String name, String value) {
      Objects.requireNonNull(name, "name");
      annotations.put(name, Objects.requireNonNull(value, "value"));
      return this;
    }

    public Alert build() {
      return new Alert(this);
    }
  }
}
