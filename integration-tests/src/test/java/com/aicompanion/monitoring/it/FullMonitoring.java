package com.aicompanion.monitoring.it;

import com.aicompanion.examples.chat.ChatApplication;
import com.aicompanion.examples.chat.ChatSettings;
import com.aicompanion.monitoring.Monitoring;
import java.net.URI;

/**
 * Monitoring for the chat service as the integration tests run it: every module on, the endpoint on
 * 127.0.0.1 and a free port, alerts to a real Alertmanager, spans to a loopback OTLP receiver.
 */
public final class FullMonitoring {
  private FullMonitoring() {}

  public static Monitoring start(
      String environment,
      ChatSettings settings,
      URI alertmanager,
      URI otlpReceiver,
      String healthCacheInterval) {
    return Monitoring.builder("ai-companion")
        .environment(environment)
        .metricsHost("127.0.0.1")
        .metricsPort(0)
        .llmPrices(ChatApplication.prices(settings))
        .config("alertmanager.url", alertmanager.toString())
        .config("tracing.otlp.endpoint", otlpReceiver.toString())
        .config("tracing.otlp.protocol", "http/protobuf")
        .config("health.cache.interval", healthCacheInterval)
        .start();
  }
}
