package com.aicompanion.monitoring;

import static com.aicompanion.monitoring.TestMonitoring.props;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Meter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one configuration model: declared keys, module-aware messages, builders that reject null, one
 * service identity with the OpenTelemetry variables in its precedence, the application's own
 * version, and common tags on every meter from the start.
 */
class ConfigModelTest {

  @Test
  void keysOfAModuleThatIsNotOnTheClasspathAreReportedAsSuch() {
    try (LogCapture log = LogCapture.of(Monitoring.class);
        Monitoring m =
            TestMonitoring.builder(
                    "svc",
                    Map.of(
                        "MONITORING_ELASTICSEARCH_URL", "http://es:9200",
                        "MONITORING_ELASTICSEARCH_QUEUE_CAPACITY", "5",
                        "MONITORING_HEALTH_REFRESH_INTERVAL", "5s"),
                    props("monitoring.tracing.enabled", "false"))
                .start()) {
      assertThat(log.warnings())
          .containsExactlyInAnyOrder(
              "Configuration key MONITORING_ELASTICSEARCH_URL belongs to monitoring-logging, which"
                  + " is not on the classpath, so it is ignored: add the dependency"
                  + " com.aicompanion.monitoring:monitoring-logging, or remove the setting",
              "Configuration key MONITORING_ELASTICSEARCH_QUEUE_CAPACITY belongs to"
                  + " monitoring-logging, which is not on the classpath, so it is ignored: add the"
                  + " dependency com.aicompanion.monitoring:monitoring-logging, or remove the"
                  + " setting",
              "Configuration key MONITORING_HEALTH_REFRESH_INTERVAL belongs to monitoring-health,"
                  + " which is not on the classpath, so it is ignored: add the dependency"
                  + " com.aicompanion.monitoring:monitoring-health, or remove the setting",
              "Configuration key -Dmonitoring.tracing.enabled belongs to monitoring-tracing, which"
                  + " is not on the classpath, so it is ignored: add the dependency"
                  + " com.aicompanion.monitoring:monitoring-tracing, or remove the setting");
      assertThat(m.metricsAddress().getPort()).isPositive();
    }
  }

  @Test
  void aKeyDeclaredByALoadedModuleIsValidatedAtStart() {
    assertThatThrownBy(
            () ->
                TestMonitoring.builder(
                        "svc", Map.of("MONITORING_TEST_DRAIN", "maybe"), new Properties())
                    .start())
        .isInstanceOf(MonitoringException.class)
        .hasMessage("MONITORING_TEST_DRAIN=maybe is not a boolean: use true or false");
  }

  static List<Arguments> nullArguments() {
    return List.of(
        Arguments.of(
            (Consumer<Monitoring.Builder>) b -> b.environment(null),
            "environment(null): pass a value; to keep the default (dev), do not call environment()"),
        Arguments.of(
            (Consumer<Monitoring.Builder>) b -> b.version(null),
            "version(null): pass a value; to keep the default (the application jar's version, else"
                + " unknown), do not call version()"),
        Arguments.of(
            (Consumer<Monitoring.Builder>) b -> b.metricsHost(null),
            "metricsHost(null): pass a value; to keep the default (0.0.0.0), do not call"
                + " metricsHost()"),
        Arguments.of(
            (Consumer<Monitoring.Builder>) b -> b.endpointToken(null),
            "endpointToken(null): pass a value; to keep the default (unset), do not call"
                + " endpointToken()"),
        Arguments.of(
            (Consumer<Monitoring.Builder>) b -> b.config("metrics.port", null),
            "config(\"metrics.port\", null): pass a value; to keep the default, do not set the"
                + " key"),
        Arguments.of(
            (Consumer<Monitoring.Builder>) b -> b.commonTag("region", null),
            "commonTag(\"region\", null): pass a non-empty value"));
  }

  @ParameterizedTest
  @MethodSource("nullArguments")
  void builderMethodsRejectNullNamingTheMethod(Consumer<Monitoring.Builder> call, String message) {
    assertThatThrownBy(() -> call.accept(Monitoring.builder("svc")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void aValueSetWithConfigIsNamedAsWrittenWithNumbersUnquoted() {
    assertThatThrownBy(() -> TestMonitoring.builder("svc").config("cardinality.limit", "x").start())
        .hasMessage("config(\"cardinality.limit\", \"x\") is not a whole number in [1, 1000000]");
    assertThatThrownBy(() -> TestMonitoring.builder("svc").config("shutdown.drain", "-5s").start())
        .hasMessageStartingWith("config(\"shutdown.drain\", \"-5s\") is not a duration");
  }

  @Test
  void durationsHaveOneGrammarForEveryKey() {
    ConfigKey<Duration> key = ConfigKey.duration("some.timeout", null, "a timeout");
    Map<String, Duration> cases =
        Map.of(
            "1h", Duration.ofHours(1),
            "PT5S", Duration.ofSeconds(5),
            "pt0.5s", Duration.ofMillis(500),
            "250ms", Duration.ofMillis(250),
            "7", Duration.ofSeconds(7),
            "2m", Duration.ofMinutes(2));
    cases.forEach(
        (text, expected) -> {
          MonitoringConfig config =
              MonitoringConfig.load(
                  "svc", null, Map.of("MONITORING_SOME_TIMEOUT", text), props(), Map.of());
          assertThat(config.get(key)).as(text).isEqualTo(expected);
        });
  }

  @Test
  void serviceIdentityFollowsOnePrecedenceIncludingOpenTelemetrysVariables() {
    Map<String, String> otelOnly =
        Map.of(
            "OTEL_RESOURCE_ATTRIBUTES",
            "service.name=from-resource,service.version=2.1.0,deployment.environment.name=staging,"
                + "service.instance.id=pod-7",
            "HOSTNAME",
            "host-1");
    MonitoringConfig config = MonitoringConfig.load("given", null, otelOnly, props(), Map.of());
    assertThat(config.identity())
        .isEqualTo(new ServiceIdentity("from-resource", "staging", "2.1.0", "pod-7"));

    Map<String, String> both =
        Map.of(
            "OTEL_RESOURCE_ATTRIBUTES", "service.name=from-resource,deployment.environment=qa",
            "OTEL_SERVICE_NAME", "from-otel",
            "MONITORING_SERVICE_NAME", "ours",
            "HOSTNAME", "host-1");
    MonitoringConfig mixed =
        MonitoringConfig.load(
            "given", "9.9.9", both, props("otel.service.name", "from-otel-property"), Map.of());
    assertThat(mixed.identity()).isEqualTo(new ServiceIdentity("ours", "qa", "9.9.9", "host-1"));

    MonitoringConfig otelProperty =
        MonitoringConfig.load(
            "given",
            null,
            Map.of("OTEL_SERVICE_NAME", "from-otel"),
            props("otel.service.name", "from-otel-property"),
            Map.of());
    assertThat(otelProperty.serviceName()).isEqualTo("from-otel-property");
    assertThat(otelProperty.serviceVersion()).isEqualTo("unknown");
    assertThat(otelProperty.environment()).isEqualTo("dev");
  }

  @Test
  void theApplicationsJarVersionIsReportedAndAClassesFolderGivesUnknown(@TempDir Path dir)
      throws Exception {
    Path classes = compileApplication(dir);
    Path jar = dir.resolve("app.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, "1.0.0");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
      jarOut.putNextEntry(new JarEntry("app/Main.class"));
      jarOut.write(Files.readAllBytes(classes.resolve("app/Main.class")));
      jarOut.closeEntry();
    }
    assertThat(versionSeenBy(jar.toUri().toURL())).isEqualTo("1.0.0");
    assertThat(versionSeenBy(classes.toUri().toURL())).isEqualTo("unknown");
  }

  @Test
  void commonTagsApplyToEveryMeterFromTheStart() {
    try (LogCapture micrometer = LogCapture.of("io.micrometer");
        Monitoring m =
            TestMonitoring.builder(
                    "svc", Map.of("MONITORING_COMMON_TAGS", "region=eu, team=chat"), props())
                .commonTag("zone", "a")
                .start()) {
      m.monitor().incrementCounter("jobs_total", Map.of("queue", "ingest"));
      List<Meter> meters = m.monitor().registry().getMeters();
      assertThat(meters).isNotEmpty();
      assertThat(meters)
          .allSatisfy(
              meter ->
                  assertThat(meter.getId().getTag("region") + meter.getId().getTag("team"))
                      .as(meter.getId().getName())
                      .isEqualTo("euchat"));
      assertThat(m.monitor().registry().find("jvm.memory.used").tag("zone", "a").meters())
          .isNotEmpty();
      String body = TestMonitoring.scrape(m);
      assertThat(body)
          .contains("jobs_total{queue=\"ingest\",region=\"eu\",team=\"chat\",zone=\"a\"} 1.0");
      assertThat(micrometer.warnings()).isEmpty();
    }
  }

  @Test
  void badCommonTagsFailStartNamingTheSetting() {
    assertThatThrownBy(
            () ->
                TestMonitoring.builder("svc", Map.of("MONITORING_COMMON_TAGS", "region"), props())
                    .start())
        .hasMessage(
            "MONITORING_COMMON_TAGS=region is not a list of key=value pairs separated by commas,"
                + " e.g. region=eu,team=chat");
    assertThatThrownBy(
            () ->
                TestMonitoring.builder(
                        "svc", Map.of("MONITORING_COMMON_TAGS", "my-region=eu"), props())
                    .start())
        .hasMessage(
            "MONITORING_COMMON_TAGS=my-region=eu has the tag key \"my-region\", which is not a"
                + " Prometheus label name");
    assertThatThrownBy(() -> Monitoring.builder("svc").commonTag("__reserved", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("commonTag(__reserved, ...): the key must be a Prometheus label");
  }

  @Test
  void oneHttpUrlRuleWithSchemesInAnyCase() {
    assertThat(ConfigKey.httpUrl("HTTP://Alertmanager:9093/am")).hasHost("Alertmanager");
    assertThat(ConfigKey.httpUrl(" https://es:9200 ")).hasPort(9200);
    assertThat(ConfigKey.httpUrl("ftp://host")).isNull();
    assertThat(ConfigKey.httpUrl("localhost:9200")).isNull();
    assertThat(ConfigKey.httpUrl("http://")).isNull();
    assertThat(ConfigKey.httpUrl(null)).isNull();
  }

  @Test
  void jsonStringsEscapeEveryControlCharacterAndTheLineSeparators() {
    assertThat(JsonStrings.quote("a\"b\\c\n\t\u0001\u2028z"))
        .isEqualTo("\"a\\\"b\\\\c\\n\\t\\u0001\\u2028z\"");
  }

  @Test
  void aTypoOfALoadedModulesKeyGetsASuggestionAndItsValueIsMasked() {
    ConfigKey<String> password =
        ConfigKey.string("elasticsearch.password", null, "a password").secret();
    MonitoringConfig config =
        MonitoringConfig.load(
                "svc",
                null,
                Map.of("MONITORING_ELASTICSEARCH_PASWORD", "hunter3"),
                props(),
                Map.of())
            .declaring(List.of(password));
    assertThat(config.unknownKeyWarnings())
        .containsExactly(
            "Unknown configuration key MONITORING_ELASTICSEARCH_PASWORD is ignored; did you mean"
                + " MONITORING_ELASTICSEARCH_PASSWORD?");
    assertThat(config.summary())
        .contains("MONITORING_ELASTICSEARCH_PASWORD=****")
        .doesNotContain("hunter3");
  }

  @Test
  void secretsInUrlsAreMaskedInMessagesAndTheSummary() {
    assertThatThrownBy(
            () ->
                TestMonitoring.builder("svc")
                    .config("metrics.host", "x")
                    .config("llm.prices.file", "/no/such/file")
                    .config("cardinality.limit", "https://u:hunter2@h/?api_key=hunter4&x=1")
                    .start())
        .hasMessageNotContaining("hunter2")
        .hasMessageNotContaining("hunter4")
        .hasMessageContaining("https://****@h/?api_key=****&x=1");
    assertThat(ConfigKey.redact("http://elastic:pw@es:9200/p?sig=abc&q=1"))
        .isEqualTo("http://****@es:9200/p?sig=****&q=1");
  }

  @Test
  void oneKeySetTwiceInOneLayerIsReported() {
    MonitoringConfig config =
        MonitoringConfig.load(
            "svc",
            null,
            Map.of(),
            props("monitoring.metrics-path", "/a", "monitoring.metrics.path", "/c"),
            Map.of());
    assertThat(config.unknownKeyWarnings())
        .singleElement()
        .asString()
        .contains("metrics.path is set twice with different values");
  }

  @Test
  void durationsAreBoundedBlankIdentityIsUnsetAndResourceAttributesDecodeAsOpenTelemetryDoes() {
    assertThatThrownBy(
            () -> TestMonitoring.builder("svc").config("shutdown.timeout", "99999999999h").start())
        .isInstanceOf(MonitoringException.class)
        .hasMessageContaining("365 days");
    MonitoringConfig config =
        MonitoringConfig.load(
            "given",
            null,
            Map.of(
                "MONITORING_ENVIRONMENT",
                " ",
                "OTEL_RESOURCE_ATTRIBUTES",
                "service.version=1.0.0+build.5,service.name=50%off,team=a%20b"),
            props(),
            Map.of());
    assertThat(config.environment()).isEqualTo("dev");
    assertThat(config.serviceVersion()).isEqualTo("1.0.0+build.5");
    assertThat(config.serviceName()).isEqualTo("50%off");
    assertThat(ConfigKey.httpUrl("http://my_collector:4317")).isNotNull();
  }

  @Test
  void commonTagsThatPrometheusReservesOrRepeatAreRefused() {
    assertThatThrownBy(() -> TestMonitoring.builder("svc").config("common.tags", "le=x").start())
        .hasMessageContaining("reserves for histogram buckets");
    assertThatThrownBy(
            () ->
                TestMonitoring.builder("svc").config("common.tags", "region=eu,region=us").start())
        .hasMessageContaining("sets \"region\" twice");
  }

  /** Compiles app.Main, a Supplier that resolves the configuration as an application would. */
  private static Path compileApplication(Path dir) throws IOException {
    Path source = dir.resolve("src/app/Main.java");
    Files.createDirectories(source.getParent());
    Files.writeString(
        source,
        "package app;\n"
            + "public class Main implements java.util.function.Supplier<String> {\n"
            + "  public String get() {\n"
            + "    return com.aicompanion.monitoring.MonitoringConfig.fromEnvironment(\"app\")"
            + ".serviceVersion();\n"
            + "  }\n"
            + "}\n");
    Path classes = dir.resolve("classes");
    Files.createDirectories(classes);
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    int status =
        compiler.run(
            null,
            null,
            null,
            "-d",
            classes.toString(),
            "-cp",
            System.getProperty("java.class.path"),
            source.toString());
    assertThat(status).as("javac exit status").isZero();
    return classes;
  }

  @SuppressWarnings("unchecked")
  private static String versionSeenBy(URL location) throws Exception {
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {location}, ConfigModelTest.class.getClassLoader())) {
      Supplier<String> app =
          (Supplier<String>) loader.loadClass("app.Main").getDeclaredConstructor().newInstance();
      return app.get();
    }
  }
}
