package com.aicompanion.monitoring;

import com.aicompanion.monitoring.internal.ShutdownSequence;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The meters every service gets: {@code app_info}, {@code monitoring_mask_errors_total} and the JVM
 * and process binders.
 */
final class StandardMeters {
  private StandardMeters() {}

  /**
   * Filters must be in place before the first meter registers: the common tags (so that every
   * meter, JVM ones included, carries them; a meter's own tag of the same key wins) and the renames
   * below.
   */
  static void configureFilters(PrometheusMeterRegistry registry, Map<String, String> commonTags) {
    if (!commonTags.isEmpty()) {
      List<Tag> tags = new ArrayList<>();
      commonTags.forEach((k, v) -> tags.add(Tag.of(k, v)));
      registry.config().meterFilter(MeterFilter.commonTags(tags));
    }
    // Micrometer's process.cpu.time is in nanoseconds, which Prometheus linters reject;
    // bindStandardMeters exposes the standard process_cpu_seconds_total instead
    registry.config().meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"));
    // and a gauge must not end in _count: system_cpu_count becomes system_cpu_available
    registry
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count")
                    ? id.withName("system.cpu.available")
                    : id;
              }
            });
  }

  static void bind(
      MonitoringConfig config, PrometheusMeterRegistry registry, ShutdownSequence shutdown) {
    Gauge.builder("app.info", () -> 1)
        .description("Service identity; always 1")
        .tag("service", config.serviceName())
        .tag("version", config.serviceVersion())
        .tag("environment", config.environment())
        .register(registry);
    // monitoring_mask_errors_total: values the shared masking policy masked whole after a failure
    config.masking().bindTo(registry);
    if (!config.get(MonitoringConfig.JVM_METRICS)) {
      return;
    }
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean unix) {
      FunctionCounter.builder("process.cpu", unix, b -> b.getProcessCpuTime() / 1e9)
          .baseUnit("seconds")
          .description("CPU time used by the JVM process")
          .register(registry);
    }
    JvmGcMetrics gc = new JvmGcMetrics();
    shutdown.add("JVM GC metrics", gc);
    List<MeterBinder> binders =
        List.of(
            new JvmMemoryMetrics(),
            gc,
            new JvmThreadMetrics(),
            new ClassLoaderMetrics(),
            new ProcessorMetrics(),
            new UptimeMetrics(),
            new FileDescriptorMetrics());
    binders.forEach(b -> b.bindTo(registry));
  }
}
