package com.aicompanion.monitoring;

import static com.aicompanion.monitoring.TestMonitoring.props;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration sources, their precedence, and fail-fast errors that name key, value and fix. */
class ConfigurationTest {

  @Test
  void nonNumericPortFromTheEnvironmentFailsNamingTheVariable() {
    assertThatThrownBy(
            () ->
                Monitoring.builder("svc")
                    .sources(Map.of("MONITORING_METRICS_PORT", "abc"), props())
                    .registerGlobal(false)
                    .start())
        .isInstanceOf(MonitoringException.class)
        .hasMessage("MONITORING_METRICS_PORT=abc is not a port number (0-65535)");
  }

  @Test
  void outOfRangePortFromASystemPropertyFailsNamingTheProperty() {
    assertThatThrownBy(
            () ->
                Monitoring.builder("svc")
                    .sources(Map.of(), props("monitoring.metrics.port", "70000"))
                    .registerGlobal(false)
                    .start())
        .isInstanceOf(MonitoringException.class)
        .hasMessage("-Dmonitoring.metrics.port=70000 is not a port number (0-65535)");
  }

  @Test
  void outOfRangePortInTheBuilderThrowsAtOnce() {
    assertThatThrownBy(() -> Monitoring.builder("svc").metricsPort(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metricsPort(-1) is not a port number (0-65535)");
  }

  @Test
  void portInUseFailsStartWithTheFix() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      assertThatThrownBy(
              () ->
                  TestMonitoring.builder(
                          "svc", Map.of("MONITORING_METRICS_PORT", Integer.toString(port)), props())
                      .metricsPort(port)
                      .start())
          .isInstanceOf(MonitoringException.class)
          .hasMessage(
              "port "
                  + port
                  + " is already in use on 127.0.0.1 (metricsPort("
                  + port
                  + ")); set MONITORING_METRICS_PORT or metricsPort(...) to a free port, or 0 for an ephemeral one");
    }
  }

  @Test
  void builderBeatsSystemPropertiesWhichBeatTheEnvironment() {
    Map<String, String> env =
        Map.of("MONITORING_ENVIRONMENT", "staging", "MONITORING_SERVICE_VERSION", "1.0.0");
    Properties properties =
        props("monitoring.environment", "prod", "monitoring.service.version", "2.0.0");
    try (Monitoring m = TestMonitoring.builder("svc", env, properties).version("3.0.0").start()) {
      assertThat(m.config().environment()).isEqualTo("prod");
      assertThat(m.config().serviceVersion()).isEqualTo("3.0.0");
    }
    try (Monitoring m = TestMonitoring.builder("svc", env, props()).start()) {
      assertThat(m.config().environment()).isEqualTo("staging");
      assertThat(m.config().serviceVersion()).isEqualTo("1.0.0");
    }
  }

  @Test
  void serviceNameComesFromTheEnvironmentThenOtelThenStart() {
    try (Monitoring m =
        TestMonitoring.builder("given", Map.of("OTEL_SERVICE_NAME", "from-otel"), props())
            .start()) {
      assertThat(m.config().serviceName()).isEqualTo("from-otel");
    }
    try (Monitoring m =
        TestMonitoring.builder(
                "given",
                Map.of("OTEL_SERVICE_NAME", "from-otel", "MONITORING_SERVICE_NAME", "ours"),
                props())
            .start()) {
      assertThat(m.config().serviceName()).isEqualTo("ours");
    }
    try (Monitoring m = TestMonitoring.builder("given").start()) {
      assertThat(m.config().serviceName()).isEqualTo("given");
      assertThat(m.config().environment()).isEqualTo("dev");
    }
  }

  @Test
  void unknownKeysAreReportedWithTheNearestKnownKey() {
    try (LogCapture log = LogCapture.of(Monitoring.class);
        Monitoring m =
            TestMonitoring.builder(
                    "svc",
                    Map.of("MONITORING_METRICS_PROT", "9000", "MONITORING_ZZZ", "1"),
                    props("monitoring.enviroment", "prod"))
                .start()) {
      assertThat(log.warnings())
          .containsExactlyInAnyOrder(
              "Unknown configuration key MONITORING_METRICS_PROT is ignored; did you mean MONITORING_METRICS_PORT?",
              "Unknown configuration key MONITORING_ZZZ is ignored",
              "Unknown configuration key -Dmonitoring.enviroment is ignored; did you mean -Dmonitoring.environment?");
      assertThat(m.metricsAddress().getPort()).isPositive();
    }
  }

  @Test
  void invalidPathAndDurationNameTheKey() {
    assertThatThrownBy(
            () ->
                TestMonitoring.builder("svc", Map.of("MONITORING_METRICS_PATH", "metrics"), props())
                    .start())
        .hasMessage(
            "MONITORING_METRICS_PATH=metrics is not a path: it must start with \"/\" and name a path, e.g. /metrics");
    assertThatThrownBy(
            () ->
                TestMonitoring.builder(
                        "svc", Map.of("MONITORING_SHUTDOWN_TIMEOUT", "soon"), props())
                    .start())
        .hasMessage(
            "MONITORING_SHUTDOWN_TIMEOUT=soon is not a duration: use e.g. 500ms, 10s, 5m, 1h or PT10S (not negative)");
    assertThatThrownBy(
            () ->
                TestMonitoring.builder("svc", Map.of("MONITORING_CARDINALITY_LIMIT", "0"), props())
                    .start())
        .hasMessage("MONITORING_CARDINALITY_LIMIT=0 is not a whole number in [1, 1000000]");
  }

  @Test
  void secretsNeverAppearInTheStartupSummary() {
    try (LogCapture log = LogCapture.of(Monitoring.class);
        Monitoring m =
            TestMonitoring.builder(
                    "svc", Map.of("MONITORING_ENDPOINT_TOKEN", "tok-123456789"), props())
                .start()) {
      assertThat(log.messages())
          .anySatisfy(
              line ->
                  assertThat(line)
                      .contains("Monitoring started for svc", "MONITORING_ENDPOINT_TOKEN=****"));
      assertThat(String.join("\n", log.messages())).doesNotContain("tok-123456789");
      assertThat(m.config().describe(MonitoringConfig.ENDPOINT_TOKEN))
          .isEqualTo("MONITORING_ENDPOINT_TOKEN=****");
    }
  }

  @Test
  void typedGettersNameTheKeyAsTheUserSpelledIt() {
    ConfigKey<java.net.URI> url = ConfigKey.url("elasticsearch.url", "where logs go");
    ConfigKey<String> details =
        ConfigKey.oneOf("health.details", "authorized", "who sees details", "never", "always");
    MonitoringConfig config =
        MonitoringConfig.load(
            "svc",
            null,
            Map.of(
                "MONITORING_ELASTICSEARCH_URL",
                "es:9200",
                "MONITORING_HEALTH_DETAILS",
                "sometimes"),
            props("monitoring.log.timeout", "PT5S"),
            Map.of());
    assertThatThrownBy(() -> config.get(url))
        .hasMessage(
            "MONITORING_ELASTICSEARCH_URL=es:9200 is not an http(s) URL: use e.g. http://localhost:9200");
    assertThatThrownBy(() -> config.get(details))
        .hasMessage("MONITORING_HEALTH_DETAILS=sometimes is not one of never, always");
    assertThat(config.get(ConfigKey.duration("log.timeout", null, "a timeout"))).hasSeconds(5);
    assertThat(config.get(ConfigKey.duration("x.y", java.time.Duration.ofSeconds(3), "unset")))
        .hasSeconds(3);
  }

  @Test
  void priceFileExtendsThePriceTable(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("prices.properties");
    Files.writeString(file, "acme/bolt-1 = 1.00 2.00\n");
    try (Monitoring m =
        TestMonitoring.builder(
                "svc", Map.of("MONITORING_LLM_PRICES_FILE", file.toString()), props())
            .start()) {
      m.monitor().llm().start("acme", "bolt-1", "chat").finish(1_000_000, 1_000_000);
      assertThat(
              Exposition.require(
                  TestMonitoring.scrape(m),
                  "llm_cost_usd_total{gen_ai_provider_name=\"acme\",gen_ai_request_model=\"bolt-1\"}"))
          .isEqualTo(3.0);
    }
    Files.writeString(file, "acme/bolt-1 = cheap\n");
    assertThatThrownBy(
            () ->
                TestMonitoring.builder(
                        "svc", Map.of("MONITORING_LLM_PRICES_FILE", file.toString()), props())
                    .start())
        .isInstanceOf(MonitoringException.class)
        .hasMessage(
            "MONITORING_LLM_PRICES_FILE="
                + file
                + ": "
                + file
                + ": \"acme/bolt-1 = cheap\" is not a price line; write provider/model = inputUsdPerMillion outputUsdPerMillion");
  }
}
