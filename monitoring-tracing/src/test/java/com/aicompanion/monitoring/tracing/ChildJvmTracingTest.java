package com.aicompanion.monitoring.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a process's own environment does, shown in a child JVM: an OpenTelemetry the application
 * registered first, and {@code OTEL_*} environment variables (a test cannot set them in its own
 * JVM).
 */
class ChildJvmTracingTest {
  @Test
  void anOpenTelemetryTheApplicationSetFirstIsNeverReplaced() throws Exception {
    String out = run("foreign", Map.of());
    assertThat(out)
        .contains("REFUSED Tracing for registering cannot become the global OpenTelemetry")
        .contains("the library never replaces it")
        .contains("registerGlobal(false)")
        .contains("BESIDE started")
        .contains("GLOBAL the application's")
        .doesNotContain("RESULT installed");
  }

  @Test
  void aGlobalFixedToTheNoOpByAnEarlyGetDoesNotStopTracingNorMonitoring() throws Exception {
    String out = run("noopFirst", Map.of());
    assertThat(out)
        .contains("RESULT started; Spans traced true")
        .contains("GlobalOpenTelemetry was already fixed to the no-op")
        .doesNotContain("REFUSED");
  }

  @Test
  void anotherGlobalOpenTelemetryLeavesTracingOffAndEverythingElseRunning() throws Exception {
    String out = run("foreignMonitoring", Map.of());
    assertThat(out)
        .contains("RESULT monitoring started on port")
        .contains("Tracing is off: another OpenTelemetry")
        .contains("registerGlobal(false)");
  }

  @Test
  void aSamplerArgOutOfRangeInTheEnvironmentIsNamedAsTheVariable() throws Exception {
    String out = run("install", Map.of("OTEL_TRACES_SAMPLER_ARG", "1.5"));
    assertThat(out)
        .contains("REFUSED OTEL_TRACES_SAMPLER_ARG=1.5 is not a sampling ratio")
        .contains("0.0 to 1.0")
        .contains("MONITORING_TRACING_SAMPLING_RATIO");
  }

  @Test
  void metricsAndLogsExportersInTheEnvironmentAreIgnoredWithOneInfoLine() throws Exception {
    String out =
        run("install", Map.of("OTEL_METRICS_EXPORTER", "prometheus", "OTEL_LOGS_EXPORTER", "otlp"));
    assertThat(out)
        .contains("RESULT started grpc")
        .contains(
            "OTEL_METRICS_EXPORTER=prometheus and OTEL_LOGS_EXPORTER=otlp ignored by monitoring's"
                + " OpenTelemetry SDK: it exports traces only")
        .doesNotContain("REFUSED");
  }

  private static String run(String mode, Map<String, String> env)
      throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    ForeignGlobalChild.class.getName(),
                    mode))
            .redirectErrorStream(true);
    builder
        .environment()
        .keySet()
        .removeIf(k -> k.startsWith("OTEL_") || k.startsWith("MONITORING_"));
    builder.environment().putAll(env);
    Process child = builder.start();
    byte[] output = child.getInputStream().readAllBytes();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child JVM ended").isTrue();
    String out = new String(output, StandardCharsets.UTF_8);
    assertThat(child.exitValue()).as(out).isZero();
    return out;
  }
}
