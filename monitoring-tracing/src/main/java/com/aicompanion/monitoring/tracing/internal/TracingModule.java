package com.aicompanion.monitoring.tracing.internal;

import com.aicompanion.monitoring.ConfigKey;
import com.aicompanion.monitoring.MonitoringConfig;
import com.aicompanion.monitoring.MonitoringContext;
import com.aicompanion.monitoring.MonitoringModule;
import com.aicompanion.monitoring.tracing.Tracing;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts {@link Tracing} inside {@link com.aicompanion.monitoring.Monitoring}: exemplars on the
 * registry's histograms, a GenAI span per LLM call, {@code monitoring_spans_total} in the same
 * registry, and a flush within the monitoring shutdown deadline. Found through {@code
 * META-INF/services}.
 *
 * <pre>{@code
 * Monitoring monitoring = Monitoring.start("ai-companion");   // tracing starts with it
 * Tracing tracing = monitoring.get(Tracing.class);
 * }</pre>
 */
public final class TracingModule implements MonitoringModule {
  private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);

  @Override
  public String name() {
    return "tracing";
  }

  @Override
  public int order() {
    return ORDER_TRACING;
  }

  @Override
  public List<ConfigKey<?>> configKeys() {
    return TracingKeys.ALL;
  }

  /** Trace ids as exemplars on the HTTP and LLM histograms, unless tracing is off. */
  @Override
  public boolean suppliesExemplars(MonitoringConfig config) {
    return config.get(TracingKeys.ENABLED);
  }

  @Override
  public void start(MonitoringContext context) {
    MonitoringConfig config = context.config();
    if (!config.get(TracingKeys.ENABLED)) {
      LOG.info("Tracing is off: {}", config.describe(TracingKeys.ENABLED));
      return;
    }
    if (context.registerGlobal() && Tracing.foreignGlobalInstalled()) {
      LOG.warn(
          "Tracing is off: another OpenTelemetry (the OpenTelemetry Java agent, or the"
              + " application's SDK) is installed globally, and the library never replaces it;"
              + " metrics, logs and health run as usual. To run the library's tracing beside it,"
              + " use Monitoring.builder(...).registerGlobal(false); to leave tracing to it, set {}",
          TracingKeys.ENABLED.envName() + "=false");
      return;
    }
    Tracing tracing =
        Tracing.builder(config.serviceName())
            .config(config)
            .meterRegistry(context.registry())
            .shutdownHook(false)
            .registerGlobal(context.registerGlobal())
            .install();
    context.onClose("tracing", tracing::close);
    context.exemplars(tracing.exemplarSpanContext());
    context.monitor().llm().observer(tracing.llmObserver());
    context.publish(Tracing.class, tracing);
  }
}
