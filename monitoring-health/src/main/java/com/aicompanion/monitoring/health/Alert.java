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
 * same alert: firing it again refreshes it (with a new severity it replaces the old one), resolving
 * either resolves it.
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
 *
 * <p>Label names follow Alertmanager's rule ({@code [a-zA-Z_][a-zA-Z0-9_]*}) and are checked here:
 * they identify the alert, so a bad one is a programming error and throws. A label with an empty
 * value is no label, as in Alertmanager (which drops empty-valued labels). Annotation names are
 * free here and checked when the alert is fired: one Alertmanager would refuse is renamed there
 * (see {@link AlertNotifier#fire(Alert)}).
 */
public final class Alert {
  /** Alertmanager's rule for label and annotation names. */
  static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  /**
   * Labels set from the alert's name and severity; an alert may not set them as labels ({@code
   * service}, {@code environment} and {@code team} it may: its own value wins over the notifier's).
   */
  static final Set<String> RESERVED = Set.of("alertname", "severity");

  private final String name;
  private final Severity severity;
  private final Map<String, String> labels;
  private final Map<String, String> annotations;

  private Alert(Builder b) {
    this(b.name, b.severity, b.labels, b.annotations);
  }

  private Alert(
      String name, Severity severity, Map<String, String> labels, Map<String, String> annotations) {
    this.name = name;
    this.severity = severity;
    this.labels = Collections.unmodifiableMap(new TreeMap<>(labels));
    this.annotations = Collections.unmodifiableMap(new TreeMap<>(annotations));
  }

  /**
   * {@code name} made a valid Alertmanager label/annotation name: every character outside {@code
   * [a-zA-Z0-9_]} becomes {@code _}, and a name starting with a digit (or empty) gets a leading
   * {@code _}; e.g. {@code runbook-url} becomes {@code runbook_url}.
   */
  static String fixedName(String name) {
    StringBuilder fixed = new StringBuilder(name.length() + 1);
    if (name.isEmpty() || (name.charAt(0) >= '0' && name.charAt(0) <= '9')) {
      fixed.append('_');
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      fixed.append(ok ? c : '_');
    }
    return fixed.toString();
  }

  /** This alert with other annotations. */
  Alert withAnnotations(Map<String, String> replaced) {
    return new Alert(name, severity, labels, replaced);
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

  /**
   * The alert's own labels, without {@code alertname} and {@code severity}; {@code service}, {@code
   * environment} and {@code team} only when the alert sets them itself.
   */
  public Map<String, String> labels() {
    return labels;
  }

  /** {@code summary}, {@code description} and any other annotations. */
  public Map<String, String> annotations() {
    return annotations;
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
     * A label that identifies the alert. An empty {@code value} removes the label (Alertmanager
     * drops empty-valued labels, so the alert is the one without it). {@code service}, {@code
     * environment} and {@code team} override the notifier's values for this alert.
     *
     * @throws IllegalArgumentException for a name outside {@code [a-zA-Z_][a-zA-Z0-9_]*}
     *     (Alertmanager refuses the alert) or a reserved one ({@code alertname}, {@code severity}:
     *     set by {@link Alert#builder(String)} and {@link #severity(Severity)})
     */
    public Builder label(String name, String value) {
      if (name == null || !LABEL_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "alert label name \""
                + name
                + "\" is refused by Alertmanager: label names must match [a-zA-Z_][a-zA-Z0-9_]*;"
                + " use e.g. \""
                + (name == null ? "label" : fixedName(name))
                + "\"");
      }
      if (RESERVED.contains(name)) {
        throw new IllegalArgumentException(
            "alert label \""
                + name
                + "\" is set from the alert's "
                + (name.equals("severity") ? "severity(...)" : "name")
                + "; use another label name");
      }
      Objects.requireNonNull(value, "value");
      if (value.isEmpty()) {
        labels.remove(name);
      } else {
        labels.put(name, value);
      }
      return this;
    }

    /**
     * Any annotation, e.g. {@code runbook_url}. A name Alertmanager refuses (outside {@code
     * [a-zA-Z_][a-zA-Z0-9_]*}, e.g. {@code runbook-url}) is renamed when the alert is fired.
     */
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
