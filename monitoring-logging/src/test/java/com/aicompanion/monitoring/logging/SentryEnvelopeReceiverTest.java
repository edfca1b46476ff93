package com.aicompanion.monitoring.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.testsupport.SecretCorpus;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Sentry cannot run here: a receiver on 127.0.0.1 accepts the real envelope endpoint ({@code POST
 * /api/<project>/envelope/}) and decodes the envelope format (header line, item header, payload).
 */
class SentryEnvelopeReceiverTest {
  private static final Logger LOG = LoggerFactory.getLogger("com.example.chat.Sentry");

  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<JsonNode> events = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private JsonLogging logging;
  private SentrySetup sentry;

  @BeforeEach
  void startReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/42/envelope/",
        exchange -> {
          InputStream in = exchange.getRequestBody();
          if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            in = new GZIPInputStream(in);
          }
          String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          bodies.add(body);
          decode(body);
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
  }

  /** Envelope: a header line, then per item a header line and a payload line. */
  private void decode(String body) throws IOException {
    String[] lines = body.split("\n");
    for (int i = 1; i + 1 < lines.length; i += 2) {
      JsonNode itemHeader = LineSink.JSON.readTree(lines[i]);
      if ("event".equals(itemHeader.path("type").asText())) {
        events.add(LineSink.JSON.readTree(lines[i + 1]));
      }
    }
  }

  @AfterEach
  void stop() {
    if (sentry != null) {
      sentry.close();
    }
    if (logging != null) {
      logging.close();
    }
    server.stop(0);
  }

  private SentrySetup install() {
    logging = JsonLogging.builder("chat-api").output(new LineSink()).install();
    String dsn = "http://publickey@127.0.0.1:" + server.getAddress().getPort() + "/42";
    sentry =
        SentrySetup.builder("chat-api")
            .env(Map.of())
            .dsn(dsn)
            .environment("staging")
            .release("2.0.1")
            .maskEmails(true)
            .mask(SecretCorpus.USER_PATTERN)
            .install();
    return sentry;
  }

  private String dsn() {
    return "http://publickey@127.0.0.1:" + server.getAddress().getPort() + "/42";
  }

  @Test
  void initializeReadsDsnEnvironmentAndReleaseFromTheEnvironment() {
    logging = JsonLogging.builder("chat-api").output(new LineSink()).install();
    sentry =
        SentrySetup.initialize(
            Map.of("SENTRY_DSN", dsn(), "SENTRY_ENVIRONMENT", "qa", "SENTRY_RELEASE", "9.9.9"));
    assertThat(sentry.enabled()).isTrue();
    LOG.error("from the environment");

    await().atMost(Duration.ofSeconds(30)).until(() -> !events.isEmpty());
    JsonNode event = events.get(0);
    assertThat(event.path("environment").asText()).isEqualTo("qa");
    assertThat(event.path("release").asText()).isEqualTo("9.9.9");
  }

  @Test
  void initializeTakesTheServiceNameFromTheMonitoringConfiguration() {
    logging = JsonLogging.builder("chat-api").output(new LineSink()).install();
    // the system-property layer of the monitoring configuration, not MONITORING_SERVICE_NAME
    String previous = System.setProperty("monitoring.service.name", "configured-svc");
    try {
      sentry = SentrySetup.initialize(Map.of("SENTRY_DSN", dsn()));
    } finally {
      if (previous == null) {
        System.clearProperty("monitoring.service.name");
      } else {
        System.setProperty("monitoring.service.name", previous);
      }
    }
    LOG.error("which service");

    await().atMost(Duration.ofSeconds(30)).until(() -> !events.isEmpty());
    assertThat(events.get(0).path("tags").path("service").asText()).isEqualTo("configured-svc");
  }

  @Test
  void errorEventArrivesWithLevelReleaseEnvironmentExceptionAndMaskedMessage() {
    install();
    LOG.info("breadcrumb with password=crumbSecret99");
    LOG.error(
        "payment failed for api_key=pk-123456789abc",
        new IllegalStateException("upstream said token=tok_abcdef123456"));

    await().atMost(Duration.ofSeconds(30)).until(() -> !events.isEmpty());
    JsonNode event = events.get(0);
    assertThat(event.path("level").asText()).isEqualTo("error");
    assertThat(event.path("release").asText()).isEqualTo("2.0.1");
    assertThat(event.path("environment").asText()).isEqualTo("staging");
    assertThat(event.path("tags").path("service").asText()).isEqualTo("chat-api");
    assertThat(event.path("message").path("formatted").asText())
        .isEqualTo("payment failed for api_key=****");
    JsonNode exception = event.path("exception").path("values").get(0);
    assertThat(exception.path("type").asText()).isEqualTo("IllegalStateException");
    assertThat(exception.path("value").asText()).isEqualTo("upstream said token=****");
    String all = String.join("\n", bodies);
    assertThat(all).doesNotContain("pk-123456789abc", "tok_abcdef123456", "crumbSecret99");
  }

  @Test
  void noSecretOfTheCorpusReachesSentry() {
    install();
    List<SecretCorpus.Case> cases = new ArrayList<>(SecretCorpus.cases());
    cases.addAll(SecretCorpus.optIn());
    // the cases in chunks, one event each (the SDK queues 30 events at most): each case is a
    // breadcrumb, a line of the event's message and of its exception's message
    int chunk = 60;
    List<List<SecretCorpus.Case>> chunks = new ArrayList<>();
    for (int from = 0; from < cases.size(); from += chunk) {
      chunks.add(cases.subList(from, Math.min(cases.size(), from + chunk)));
    }
    for (int i = 0; i < chunks.size(); i++) {
      StringBuilder text = new StringBuilder();
      for (SecretCorpus.Case c : chunks.get(i)) {
        LOG.info("crumb " + c.text());
        text.append('\n').append(c.text());
      }
      MDC.put("detail", chunks.get(i).get(0).text());
      LOG.error("chunk-" + i + " " + text, new IllegalArgumentException(text.toString()));
      MDC.remove("detail");
      int sent = i + 1;
      await().atMost(Duration.ofSeconds(30)).until(() -> events.size() >= sent);
    }
    List<String> eventBodies = bodies.stream().filter(b -> b.contains("chunk-")).toList();
    assertThat(eventBodies).hasSize(chunks.size());
    List<String> failures = new ArrayList<>();
    for (String body : eventBodies) {
      int at = body.indexOf("chunk-");
      int id = Integer.parseInt(body.substring(at + 6, body.indexOf(' ', at)));
      for (SecretCorpus.Case c : chunks.get(id)) {
        List<String> leaks = SecretCorpus.leaks(body, c);
        if (!leaks.isEmpty()) {
          failures.add(c + " leaks " + leaks);
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void fieldsWhoseNameIsSecretAreMaskedWholeInExtrasAndTheMdcContext() {
    install();
    MDC.put("SECRET_KEY", "mdcSecret4242");
    MDC.put("request.id", "r-1 api_key=inMdcValue77");
    LOG.error("failed", new IllegalStateException("x"));
    MDC.clear();
    await().atMost(Duration.ofSeconds(30)).until(() -> !events.isEmpty());
    JsonNode mdc = events.get(0).path("contexts").path("MDC");
    assertThat(mdc.path("SECRET_KEY").asText()).isEqualTo("****");
    assertThat(mdc.path("request.id").asText()).isEqualTo("r-1 api_key=****");
    assertThat(String.join("\n", bodies)).doesNotContain("mdcSecret4242", "inMdcValue77");
  }

  @Test
  void sentryUsesThePolicyOfTheMonitoringConfiguration() {
    logging = JsonLogging.builder("chat-api").output(new LineSink()).install();
    com.aicompanion.monitoring.MonitoringConfig config =
        com.aicompanion.monitoring.MonitoringConfig.fromEnvironment("chat-api");
    sentry = SentrySetup.builder("chat-api").config(config).env(Map.of()).dsn(dsn()).install();
    assertThat(sentry.masking()).isSameAs(config.masking());
  }

  @Test
  void withoutDsnSentryIsOff() {
    SentrySetup off = SentrySetup.builder("chat-api").env(Map.of()).install();
    assertThat(off.enabled()).isFalse();
    off.close();
  }
}
