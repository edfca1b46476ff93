package com.aicompanion.monitoring.tracing.internal;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps OpenTelemetry's metrics and logs exporters off, over every {@code OTEL_*} setting: the
 * library exports only traces through OpenTelemetry (metrics go to {@code /metrics} through
 * Micrometer, logs through Logback), so an organisation-wide {@code
 * OTEL_METRICS_EXPORTER=prometheus} meant for the Java agent must not break start-up.
 * Autoconfigure's properties customizers are the one layer above the environment.
 *
 * <pre>{@code
 * OtelSignals signals = new OtelSignals(OtelSources.forProcess(Map.of()));
 * sdkBuilder.addPropertiesCustomizer(signals::overrides);   // the last customizer
 * signals.logIgnored();                                     // one INFO line when any was set
 * }</pre>
 */
public final class OtelSignals {
  private static final Logger LOG =
      LoggerFactory.getLogger("com.aicompanion.monitoring.tracing.Tracing");

  /** The exporters of the signals the library does not own through OpenTelemetry. */
  static final List<String> NOT_OURS = List.of("otel.metrics.exporter", "otel.logs.exporter");

  private final OtelSources sources;

  public OtelSignals(OtelSources sources) {
    this.sources = sources;
  }

  /** {@code none} for every exporter in {@link #NOT_OURS}, whatever {@code config} says. */
  public Map<String, String> overrides(ConfigProperties config) {
    return Map.of(NOT_OURS.get(0), "none", NOT_OURS.get(1), "none");
  }

  /** The user's settings that {@link #overrides} ignores, as they set them; empty when none. */
  public List<String> ignored() {
    List<String> ignored = new ArrayList<>();
    for (String key : NOT_OURS) {
      String value = sources.value(key);
      if (value != null && !value.trim().toLowerCase(Locale.ROOT).equals("none")) {
        ignored.add(sources.describe(key));
      }
    }
    return ignored;
  }

  /** Logs one INFO line naming the ignored settings, if any. */
  public void logIgnored() {
    List<String> ignored = ignored();
    if (!ignored.isEmpty()) {
      LOG.info(
          "{} ignored by monitoring's OpenTelemetry SDK: it exports traces only (metrics are served"
              + " at /metrics through Micrometer, logs go through Logback), so its metrics and logs"
              + " exporters stay off; the setting still applies to other tools such as the"
              + " OpenTelemetry Java agent",
          String.join(" and ", ignored));
    }
  }
}
