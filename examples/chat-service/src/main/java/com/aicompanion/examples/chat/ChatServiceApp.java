package com.aicompanion.examples.chat;

import com.aicompanion.monitoring.Monitoring;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AI Companion's chat service, fully instrumented. With nothing but Java it runs on an embedded H2
 * database, an in-process cache and a simulated LLM; {@code CHAT_DB_URL}, {@code CHAT_REDIS_URL},
 * {@code CHAT_LLM_PROVIDER=openai}, {@code MONITORING_ELASTICSEARCH_URL}, {@code
 * OTEL_EXPORTER_OTLP_ENDPOINT} and {@code MONITORING_ALERTMANAGER_URL} point it at the real thing.
 *
 * <pre>{@code
 * java -jar chat-service.jar                 # serve on :8080, metrics and health on :8000
 * java -jar chat-service.jar --load 20,60s   # and drive 20 requests/s for a minute
 * }</pre>
 */
public final class ChatServiceApp {
  private static final Logger LOG = LoggerFactory.getLogger(ChatServiceApp.class);

  private ChatServiceApp() {}

  public static void main(String[] args) throws Exception {
    ChatSettings settings = ChatSettings.fromEnvironment(System.getenv());
    long[] load =
        args.length == 2 && args[0].equals("--load") ? LoadGenerator.parse(args[1]) : null;
    if (args.length > 0 && load == null) {
      throw new IllegalArgumentException("usage: chat-service [--load rps,duration]");
    }

    Monitoring monitoring =
        Monitoring.builder("ai-companion").llmPrices(ChatApplication.prices(settings)).start();

    ChatApplication app = ChatApplication.start(monitoring, settings);
    Runtime.getRuntime().addShutdownHook(new Thread(app::close, "chat-shutdown"));
    int metricsPort = monitoring.metricsAddress().getPort();
    LOG.info(
        "AI Companion chat service ready. Try:\n"
            + "  curl -s localhost:{}/chat -H 'Content-Type: application/json' -d '{\"conversation_id\":\"demo\",\"message\":\"Hello!\"}'\n"
            + "  curl -s localhost:{}/metrics | grep gen_ai_\n"
            + "  curl -s localhost:{}/health",
        app.port(),
        metricsPort,
        metricsPort);
    if (load != null) {
      new LoadGenerator(app.port()).run(load[0], Duration.ofSeconds(load[1]));
    }
    Thread.currentThread().join();
  }
}
