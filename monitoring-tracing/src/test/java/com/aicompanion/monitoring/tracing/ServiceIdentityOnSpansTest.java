package com.aicompanion.monitoring.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.MonitoringConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Spans name the service, version, environment and instance exactly as logs and metrics do, even
 * when OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES say otherwise: the identity is resolved once
 * (those variables are in its precedence) and put into the resource above every OTel layer.
 */
class ServiceIdentityOnSpansTest {
  private static final Map<String, String> PROPERTIES =
      Map.of(
          "monitoring.service.name", "ours",
          "otel.service.name", "theirs",
          "otel.resource.attributes",
              "service.name=resource-name,service.version=2.0.0,deployment.environment.name=qa,"
                  + "service.instance.id=pod-3,team=a%20b,deployment.environment=staging",
          "monitoring.environment", "prod");

  @Test
  void spansCarryTheIdentityThatLogsAndMetricsCarry() {
    PROPERTIES.forEach(System::setProperty);
    try {
      MonitoringConfig config = MonitoringConfig.fromEnvironment("given");
      AtomicReference<Resource> seen = new AtomicReference<>();
      Tracing tracing =
          Tracing.builder("given")
              .config(config)
              .meterRegistry(new SimpleMeterRegistry())
              .registerGlobal(false)
              .shutdownHook(false)
              .otelProperty("otel.traces.exporter", "none")
              .spanProcessor(new ResourceCapture(seen))
              .install();
      tracing.tracer().spanBuilder("work").startSpan().end();
      tracing.close();

      assertThat(config.identity().name()).isEqualTo("ours");
      Resource resource = seen.get();
      assertThat(resource.getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("ours");
      assertThat(resource.getAttribute(AttributeKey.stringKey("service.version")))
          .isEqualTo(config.serviceVersion())
          .isEqualTo("2.0.0");
      assertThat(resource.getAttribute(AttributeKey.stringKey("deployment.environment.name")))
          .isEqualTo(config.environment())
          .isEqualTo("prod");
      assertThat(resource.getAttribute(AttributeKey.stringKey("deployment.environment")))
          .isEqualTo("prod");
      assertThat(resource.getAttribute(AttributeKey.stringKey("team"))).isEqualTo("a b");
      assertThat(resource.getAttribute(AttributeKey.stringKey("service.instance.id")))
          .isEqualTo("pod-3");
    } finally {
      PROPERTIES.keySet().forEach(System::clearProperty);
    }
  }

  private static final class ResourceCapture implements SpanProcessor {
    private final AtomicReference<Resource> seen;

    ResourceCapture(AtomicReference<Resource> seen) {
      this.seen = seen;
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      seen.set(span.toSpanData().getResource());
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }
  }
}
