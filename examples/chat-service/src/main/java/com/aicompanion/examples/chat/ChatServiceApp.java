package com.aicompanion.examples.chat;

import com.aicompanion.monitoring.Monitoring;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AI Companion's chat service, fully instrumented. With nothing but Java it runs on an embedded H2
 * database, an in-process cache and a simulated LLM; {@code CHAT_DB_URL}, {@code CHAT_REDIS_URL},
 * {@code CHAT_LLM_PROVIDER=openai}, {@code MONITORING_ELASTICSEARCH_URL}, {@code
 * OTEL_EXPORTER_OTLP_ENDPOINT} and {@code MONITORING_ALERTMANAGER_URL} point it at the real thing.
 * {@code CHAT_MONITORING=off} runs the same service with the library not started and nothing
 * instrumented, logging plain text: the baseline of "what does monitoring cost my request?".
 *
 * <pre>{@code
 * java -jar chat-service.jar                 # serve on :8080, metrics and health on :8000
 * java -jar chat-service.jar --load 20,60s   # and drive 20 requests/s for a minute
 * }</pre>
 */
public final class ChatServiceApp {
  /** Logback's configuration with monitoring off: Logback's own text console, nothing else. */
  static final String UNMONITORED_LOGBACK = "logback-unmonitored.xml";

  private ChatServiceApp() {}

  public static void main(String[] args) throws Exception {
    preferNoDelay(System.getProperties());
    ChatSettings settings = ChatSettings.fromEnvironment(System.getenv());
    boolean monitored = monitoringOn(System.getenv("CHAT_MONITORING"));
    if (!monitored) {
      // before the first logger exists: Logback then reads this file instead of its default (the
      // library's JSON console, which monitoring-logging on the classpath would make it)
      System.setProperty("logback.configurationFile", UNMONITORED_LOGBACK);
    }
    Logger log = LoggerFactory.getLogger(ChatServiceApp.class);
    long[] load =
        args.length == 2 && args[0].equals("--load") ? LoadGenerator.parse(args[1]) : null;
    if (args.length > 0 && load == null) {
      throw new IllegalArgumentException("usage: chat-service [--load rps,duration]");
    }

    ChatApplication app;
    if (monitored) {
      Monitoring monitoring =
          Monitoring.builder("ai-companion").llmPrices(ChatApplication.prices(settings)).start();
      app = ChatApplication.start(monitoring, settings);
      int metricsPort = monitoring.metricsAddress().getPort();
      log.info(
          "AI Companion chat service ready. Try:\n"
              + "  curl -s localhost:{}/chat -H 'Content-Type: application/json' -d '{\"conversation_id\":\"demo\",\"message\":\"Hello!\"}'\n"
              + "  curl -s localhost:{}/metrics | grep gen_ai_\n"
              + "  curl -s localhost:{}/health",
          app.port(),
          metricsPort,
          metricsPort);
    } else {
      app = ChatApplication.startWithoutMonitoring(settings);
      log.info("AI Companion chat service ready on port {}, monitoring off", app.port());
    }
    Runtime.getRuntime().addShutdownHook(new Thread(app::close, "chat-shutdown"));
    if (load != null) {
      new LoadGenerator(app.port()).run(load[0], Duration.ofSeconds(load[1]));
    }
    Thread.currentThread().join();
  }

  /** The JDK server's switch for Nagle's algorithm, read once when its first server starts. */
  static final String NO_DELAY = "sun.net.httpserver.nodelay";

  /**
   * Turns Nagle's algorithm off for the JDK's {@code HttpServer} unless the operator chose a value
   * ({@code -Dsun.net.httpserver.nodelay=false} keeps it on). The server writes an answer's headers
   * and its body in two writes; with Nagle's algorithm on, its default, the body of a small answer
   * on a kept-alive connection waits for the client's delayed ACK, about 40 ms on Linux, and under
   * a steady load whole runs of requests did (p50 42 ms instead of 1 ms in the request-cost
   * harness). The switch is JVM-wide, so it is the application's to set, never the monitoring
   * library's; this service is the application. Must run before the first server starts.
   */
  static void preferNoDelay(java.util.Properties system) {
    if (system.getProperty(NO_DELAY) == null) {
      system.setProperty(NO_DELAY, "true");
    }
  }

  /**
   * {@code CHAT_MONITORING}: {@code on} (default, also when unset or blank) or {@code off}.
   *
   * @throws IllegalArgumentException for any other value, naming it
   */
  static boolean monitoringOn(String raw) {
    String value = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "", "on" -> true;
      case "off" -> false;
      default ->
          throw new IllegalArgumentException(
              "CHAT_MONITORING=" + raw + " is not one of on, off (default on)");
    };
  }
}
