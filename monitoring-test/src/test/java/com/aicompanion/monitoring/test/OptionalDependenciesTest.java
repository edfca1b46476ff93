package com.aicompanion.monitoring.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * A user who has only monitoring-core gets only monitoring-core: the metrics part of the kit runs
 * in a class loader without Logback, OpenTelemetry and the other monitoring modules (the kit's
 * optional dependencies), so none of its classes reaches for them.
 */
class OptionalDependenciesTest {
  private static final List<String> OPTIONAL =
      List.of(
          "monitoring-logging",
          "monitoring-tracing",
          "monitoring-health",
          "logback-",
          "opentelemetry-",
          "sentry",
          "logstash-");

  @Test
  void metricsAssertionsWorkWithOnlyCoreAndAssertJOnTheClasspath() throws Exception {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<URL> kept = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    for (String entry : classpath.split(File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      String name = entry.replace('\\', '/');
      if (OPTIONAL.stream().anyMatch(name::contains)) {
        dropped.add(entry);
      } else {
        kept.add(Path.of(entry).toUri().toURL());
      }
    }
    assertThat(dropped)
        .as("the optional libraries found on the test classpath")
        .hasSizeGreaterThan(5);

    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    try (URLClassLoader metricsOnly =
        new URLClassLoader(kept.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      Thread.currentThread().setContextClassLoader(metricsOnly);
      Callable<?> scenario =
          (Callable<?>)
              metricsOnly
                  .loadClass(MetricsOnlyScenario.class.getName())
                  .getDeclaredConstructor()
                  .newInstance();
      assertThat(scenario.call()).isEqualTo("ok");
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
    }
  }
}
