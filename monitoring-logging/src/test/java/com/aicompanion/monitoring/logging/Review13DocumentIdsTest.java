package com.aicompanion.monitoring.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Review 13: elasticsearch.document.ids through each configuration path, against a fake node that
 * records the _bulk bodies (no OpenSearch needed).
 */
class Review13DocumentIdsTest {
  private static final Logger LOG = LoggerFactory.getLogger("com.example.chat.Review13");

  private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
  private HttpServer server;
  private JsonLogging logging;
  private LoggerContext context;

  @AfterEach
  void close() {
    if (logging != null) {
      logging.close();
    }
    if (context != null) {
      context.stop();
    }
    if (server != null) {
      server.stop(0);
    }
    System.clearProperty("monitoring.elasticsearch.document.ids");
  }

  private URI fakeNode() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] in = exchange.getRequestBody().readAllBytes();
          String answer = "{}";
          if (exchange.getRequestURI().getPath().endsWith("/_bulk")) {
            bodies.add(new String(in, StandardCharsets.UTF_8));
            answer = "{\"errors\":false}";
          }
          byte[] out = answer.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, out.length);
          exchange.getResponseBody().write(out);
          exchange.close();
        });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private List<String> actionLines() {
    List<String> actions = new ArrayList<>();
    synchronized (bodies) {
      for (String body : bodies) {
        String[] lines = body.split("\n");
        for (int i = 0; i < lines.length; i += 2) {
          actions.add(lines[i]);
        }
      }
    }
    return actions;
  }

  private JsonLogging install(String service, URI url, String... config) {
    JsonLogging.Builder builder =
        JsonLogging.builder(service)
            .output(new LineSink())
            .elasticsearch(url)
            .config("elasticsearch.flush.interval", "100ms")
            .config("elasticsearch.spool", "false");
    for (int i = 0; i < config.length; i += 2) {
      builder.config(config[i], config[i + 1]);
    }
    logging = builder.install();
    return logging;
  }

  private void shipAndWait(String marker, int events) {
    for (int i = 0; i < events; i++) {
      LOG.info("{} {} {}", marker, i, "x".repeat(300));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> actionLines().size() >= events && bodyCount(marker) >= events);
  }

  private long bodyCount(String marker) {
    synchronized (bodies) {
      return bodies.stream()
          .flatMap(b -> java.util.Arrays.stream(b.split("\n")))
          .filter(l -> l.contains(marker))
          .count();
    }
  }

  @Test
  void idsOffThroughTheBuilderAndBodiesStayUnderBatchBytes() throws Exception {
    install(
        "r13-off",
        fakeNode(),
        "elasticsearch.document.ids",
        "false",
        "elasticsearch.batch.bytes",
        "1024");
    shipAndWait("offbuilder", 12);
    assertThat(actionLines()).isNotEmpty().allMatch(a -> a.equals("{\"create\":{}}"));
    assertThat(bodies)
        .allSatisfy(
            b -> assertThat(b.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024));
    assertThat(logging.failedEvents()).isZero();
  }

  @Test
  void idsOnByDefaultAreSixteenHexDigitsAndBodiesStayUnderBatchBytes() throws Exception {
    install("r13-on", fakeNode(), "elasticsearch.batch.bytes", "1024");
    shipAndWait("onbuilder", 12);
    assertThat(actionLines())
        .isNotEmpty()
        .allMatch(a -> a.matches("\\{\"create\":\\{\"_id\":\"[^\"]+-[0-9a-f]{16}\"\\}\\}"), "id");
    assertThat(bodies)
        .allSatisfy(
            b -> assertThat(b.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024));
  }

  @Test
  void idsOffThroughTheSystemProperty() throws Exception {
    System.setProperty("monitoring.elasticsearch.document.ids", "false");
    install("r13-sysprop", fakeNode());
    shipAndWait("sysprop", 3);
    assertThat(actionLines()).isNotEmpty().allMatch(a -> a.equals("{\"create\":{}}"));
  }

  @Test
  void yesAndZeroAreAccepted() throws Exception {
    install("r13-zero", fakeNode(), "elasticsearch.document.ids", "0");
    shipAndWait("zero", 3);
    assertThat(actionLines()).isNotEmpty().allMatch(a -> a.equals("{\"create\":{}}"));
  }

  @Test
  void badValuesFailAtSetUpNamingTheKey() throws Exception {
    URI url = fakeNode();
    for (String bad : new String[] {"maybe"}) {
      assertThatThrownBy(() -> install("r13-bad", url, "elasticsearch.document.ids", bad))
          .as("value '%s'", bad)
          .hasMessageContaining("elasticsearch.document.ids");
    }
  }

  private ElasticsearchLogAppender logback(URI url, String documentIds) throws Exception {
    context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    String xml =
        "<configuration><appender name=\"ES\""
            + " class=\"com.aicompanion.monitoring.logging.ElasticsearchLogAppender\">"
            + "<url>"
            + url
            + "</url><serviceName>r13-xml</serviceName>"
            + "<flushInterval>100 milliseconds</flushInterval><spool>false</spool>"
            + "<documentIds>"
            + documentIds
            + "</documentIds>"
            + "</appender><root level=\"INFO\"><appender-ref ref=\"ES\"/></root></configuration>";
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    return (ElasticsearchLogAppender)
        context.getLogger(ch.qos.logback.classic.Logger.ROOT_LOGGER_NAME).getAppender("ES");
  }

  @Test
  void idsOffThroughLogbackXml() throws Exception {
    ElasticsearchLogAppender appender = logback(fakeNode(), "false");
    assertThat(appender.isStarted()).isTrue();
    context.getLogger("com.example.Xml").info("xmloff event");
    await().atMost(Duration.ofSeconds(30)).until(() -> bodyCount("xmloff") >= 1);
    assertThat(actionLines()).isNotEmpty().allMatch(a -> a.equals("{\"create\":{}}"));
  }

  /**
   * In logback.xml a boolean is {@code true} or {@code false}, as Logback converts it (the
   * environment and system properties also take yes/no/on/off/1/0): another value keeps the default
   * and Logback reports the property it could not set in its status, which it prints at start-up
   * when a configuration has errors or warnings.
   */
  @Test
  void logbackXmlReportsABooleanItCannotConvertAndKeepsTheDefault() throws Exception {
    logback(fakeNode(), "off");
    assertThat(context.getStatusManager().getCopyOfStatusList())
        .anySatisfy(
            status -> {
              assertThat(status.getLevel())
                  .isGreaterThanOrEqualTo(ch.qos.logback.core.status.Status.WARN);
              assertThat(status.getMessage()).contains("documentIds").contains("off");
            });
    context.getLogger("com.example.Xml").info("xmloffword event");
    await().atMost(Duration.ofSeconds(30)).until(() -> bodyCount("xmloffword") >= 1);
    assertThat(actionLines()).isNotEmpty().allMatch(a -> a.startsWith("{\"create\":{\"_id\":"));
  }

  @Test
  void docsConfigurationTableHasTheDocumentIdsRow() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
    assertThat(doc).contains("`MONITORING_ELASTICSEARCH_DOCUMENT_IDS`");
  }

  @Test
  void readmeLogbackExampleShowsTheDefaultBatchSize() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    assertThat(readme).doesNotContain("<batchSize>500</batchSize>");
  }
}
