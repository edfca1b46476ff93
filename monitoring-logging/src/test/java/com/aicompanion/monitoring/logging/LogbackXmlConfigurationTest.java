package com.aicompanion.monitoring.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.status.Status;
import com.aicompanion.monitoring.testsupport.opensearch.OpenSearchExtension;
import com.aicompanion.monitoring.testsupport.opensearch.OpenSearchNode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public encoder and appender configured from XML by Logback's own JoranConfigurator, in a
 * separate LoggerContext so that the configuration does not touch other tests.
 */
@ExtendWith(OpenSearchExtension.class)
class LogbackXmlConfigurationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static LoggerContext configure(String resource, Path logFile, String esUrl)
      throws Exception {
    LoggerContext context = new LoggerContext();
    // what SLF4J's Logback provider does for the context it owns
    context.setMDCAdapter(new LogbackMDCAdapter());
    context.putProperty("logFile", logFile.toString());
    if (esUrl != null) {
      context.putProperty("esUrl", esUrl);
    }
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(LogbackXmlConfigurationTest.class.getResource("/" + resource));
    return context;
  }

  @Test
  void logbackXmlWithTheEcsEncoderAndShipperWritesMaskedEcsLinesAndShipsThem(
      OpenSearchNode node, @TempDir Path dir) throws Exception {
    Path logFile = dir.resolve("app.json");
    LoggerContext context = configure("logback-ecs-example.xml", logFile, node.uri().toString());
    assertThat(context.getStatusManager().getCopyOfStatusList())
        .noneMatch(s -> s.getLevel() == Status.ERROR);
    Logger logger = context.getLogger("com.example.Xml");
    logger.info("customer CUST-123456 paid with token=tok_abcdef123456");
    ElasticsearchLogAppender shipper =
        (ElasticsearchLogAppender) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("ES");
    await()
        .atMost(Duration.ofSeconds(60))
        .failFast(
            "a shipping problem",
            () ->
                context.getStatusManager().getCopyOfStatusList().stream()
                    .filter(s -> s.getLevel() >= Status.WARN)
                    .map(Status::getMessage)
                    .findFirst()
                    .map(
                        m -> {
                          throw new AssertionError(m);
                        })
                    .isPresent())
        .until(() -> shipper.shippedEvents() >= 1);
    context.stop();

    List<String> lines = Files.readAllLines(logFile);
    assertThat(lines).hasSize(1);
    JsonNode line = JSON.readTree(lines.get(0));
    assertThat(line.get("service.name").asText()).isEqualTo("xml-svc");
    assertThat(line.get("service.version").asText()).isEqualTo("2.0.1");
    assertThat(line.get("service.environment").asText()).isEqualTo("staging");
    assertThat(line.get("log.level").asText()).isEqualTo("INFO");
    assertThat(line.get("message").asText())
        .isEqualTo("customer **** paid with token=****")
        .doesNotContain("123456");

    node.request("POST", "/logs-xml-svc-staging/_refresh", null);
    String found = node.request("GET", "/logs-xml-svc-staging/_search", null).body();
    assertThat(found).contains("customer **** paid").doesNotContain("CUST-123456");
    assertThat(shipper.droppedEvents()).isZero();
  }

  @Test
  void badXmlPropertiesAreReportedNamingPropertyValueAndFixAndNothingStarts(@TempDir Path dir)
      throws Exception {
    LoggerContext context = configure("logback-ecs-bad.xml", dir.resolve("bad.json"), null);
    List<String> errors =
        context.getStatusManager().getCopyOfStatusList().stream()
            .filter(s -> s.getLevel() == Status.ERROR)
            .map(Status::getMessage)
            .toList();
    assertThat(errors)
        .anySatisfy(
            e -> assertThat(e).contains("property url is 'es:9200'", "http://localhost:9200"))
        .anySatisfy(e -> assertThat(e).contains("property serviceName", "<serviceName>"));
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("ES").isStarted()).isFalse();
    context.stop();
  }

  @Test
  void aLogbackXmlEncoderAndMonitoringReportTheSameIdentity(@TempDir Path dir) throws Exception {
    Map<String, String> settings =
        Map.of(
            "monitoring.environment", "prod-eu",
            "otel.resource.attributes", "service.version=3.1.4");
    settings.forEach(System::setProperty);
    try {
      Path logFile = dir.resolve("id.json");
      LoggerContext context = configure("logback-ecs-identity.xml", logFile, null);
      context.getLogger("com.example.Id").info("who am I");
      context.stop();
      com.aicompanion.monitoring.ServiceIdentity monitoring =
          com.aicompanion.monitoring.MonitoringConfig.fromEnvironment("xml-id").identity();

      JsonNode line = JSON.readTree(Files.readAllLines(logFile).get(0));
      assertThat(line.get("service.environment").asText())
          .isEqualTo(monitoring.environment())
          .isEqualTo("prod-eu");
      assertThat(line.get("service.version").asText())
          .isEqualTo(monitoring.version())
          .isEqualTo("3.1.4");
    } finally {
      settings.keySet().forEach(System::clearProperty);
    }
  }
}
