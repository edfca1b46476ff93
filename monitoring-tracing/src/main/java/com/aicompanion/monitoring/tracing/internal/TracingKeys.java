package com.aicompanion.monitoring.tracing.internal;

import java.util.Set;

/**
 * The {@code MONITORING_TRACING_*} keys, in their canonical form.
 *
 * <pre>{@code
 * config.bool(TracingKeys.ENABLED, true);   // MONITORING_TRACING_ENABLED
 * }</pre>
 */
public final class TracingKeys {
  public static final String ENABLED = "tracing.enabled";
  public static final String ENDPOINT = "tracing.otlp.endpoint";
  public static final String PROTOCOL = "tracing.otlp.protocol";
  public static final String SAMPLING_RATIO = "tracing.sampling.ratio";
  public static final String CAPTURE_CONTENT = "tracing.capture.content";
  public static final String CAPTURE_MAX_LENGTH = "tracing.capture.max.length";

  /** Every key this module reads beyond core's. */
  public static final Set<String> ALL =
      Set.of(ENABLED, ENDPOINT, PROTOCOL, SAMPLING_RATIO, CAPTURE_CONTENT, CAPTURE_MAX_LENGTH);

  private TracingKeys() {}
}
