package com.aicompanion.monitoring.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.logging.internal.JulRouting;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The owning installation routes the java.util.logging loggers of the library's dependencies
 * (OpenTelemetry, the JDK server, ...) to its own output, and its close puts each of them back as
 * it found it; loggers the application configured, and an application that routes everything
 * itself, are left alone.
 */
class JulRoutingTest {
  /** Held: java.util.logging keeps loggers weakly, and the test compares their state. */
  private final List<Logger> loggers = JulRouting.LOGGERS.stream().map(Logger::getLogger).toList();

  private final LineSink sink = new LineSink();
  private Map<String, State> before;
  private JsonLogging logging;

  /** What a logger's configuration is. */
  private record State(List<Handler> handlers, boolean useParentHandlers, Level level) {
    static State of(Logger logger) {
      return new State(
          List.of(logger.getHandlers()), logger.getUseParentHandlers(), logger.getLevel());
    }
  }

  private Map<String, State> states() {
    Map<String, State> states = new LinkedHashMap<>();
    loggers.forEach(l -> states.put(l.getName(), State.of(l)));
    return states;
  }

  @BeforeEach
  void remember() {
    before = states();
    assertThat(before.values())
        .as("the loggers start as java.util.logging left them")
        .allSatisfy(
            s -> {
              assertThat(s.handlers()).isEmpty();
              assertThat(s.useParentHandlers()).isTrue();
              assertThat(s.level()).isNull();
            });
  }

  @AfterEach
  void close() {
    if (logging != null) {
      logging.close();
    }
  }

  @Test
  void theOwnerRoutesEveryDependencyLoggerAndCloseRestoresEachOne() {
    logging = JsonLogging.builder("jul-svc").output(sink).install();

    for (Logger logger : loggers) {
      assertThat(logger.getHandlers())
          .as(logger.getName())
          .singleElement()
          .isInstanceOf(SLF4JBridgeHandler.class);
      assertThat(logger.getUseParentHandlers()).as(logger.getName()).isFalse();
      assertThat(logger.getLevel()).as(logger.getName()).isEqualTo(Level.INFO);
    }
    Logger.getLogger("io.opentelemetry.sdk.trace.export").warning("exporter says {0}");
    Logger.getLogger("com.sun.net.httpserver").log(Level.SEVERE, "server broke", new Error("x"));
    Logger.getLogger("io.opentelemetry.sdk").fine("below INFO: not built");
    logging.close();

    assertThat(states()).as("after close").isEqualTo(before);
    List<JsonNode> lines = sink.json();
    assertThat(lines)
        .anySatisfy(
            l -> {
              assertThat(l.path("log.logger").asText())
                  .isEqualTo("io.opentelemetry.sdk.trace.export");
              assertThat(l.path("log.level").asText()).isEqualTo("WARN");
              assertThat(l.path("message").asText()).isEqualTo("exporter says {0}");
              assertThat(l.path("service.name").asText()).isEqualTo("jul-svc");
            })
        .anySatisfy(
            l -> {
              assertThat(l.path("log.logger").asText()).isEqualTo("com.sun.net.httpserver");
              assertThat(l.path("log.level").asText()).isEqualTo("ERROR");
              assertThat(l.path("error.type").asText()).isEqualTo("java.lang.Error");
            })
        .noneSatisfy(l -> assertThat(l.path("message").asText()).startsWith("below INFO"));

    int written = sink.lines().size();
    Logger.getLogger("io.opentelemetry.sdk").warning("after close: java.util.logging's own");
    assertThat(sink.lines()).as("nothing routed after close").hasSize(written);
  }

  @Test
  void theJulLevelLetsThroughWhatLogbackLetsThroughForTheLoggerOrAnyChild() {
    logging =
        JsonLogging.builder("jul-levels")
            .output(sink)
            .level("WARN")
            .level("io.opentelemetry.sdk.trace", "DEBUG")
            .level("com.sun.net.httpserver", "TRACE")
            .install();

    assertThat(Logger.getLogger("io.opentelemetry").getLevel()).isEqualTo(Level.FINER);
    assertThat(Logger.getLogger("com.sun.net.httpserver").getLevel()).isEqualTo(Level.ALL);
    assertThat(Logger.getLogger("okhttp3").getLevel()).isEqualTo(Level.WARNING);
    Logger.getLogger("io.opentelemetry.sdk.trace.SdkSpan").fine("fine reaches DEBUG");
    Logger.getLogger("io.opentelemetry.api").fine("fine elsewhere stays out");
    logging.close();

    assertThat(sink.json())
        .anySatisfy(
            l -> {
              assertThat(l.path("message").asText()).isEqualTo("fine reaches DEBUG");
              assertThat(l.path("log.level").asText()).isEqualTo("DEBUG");
            })
        .noneSatisfy(l -> assertThat(l.path("message").asText()).contains("elsewhere"));
    assertThat(states()).isEqualTo(before);
  }

  /**
   * Every standard java.util.logging level against every Logback level: a record becomes a line
   * exactly when jul-to-slf4j's level for it (FINEST TRACE; FINER, FINE DEBUG; CONFIG, INFO INFO;
   * WARNING WARN; SEVERE ERROR) passes Logback's level, except that CONFIG, which
   * java.util.logging's own default of INFO keeps off stderr, stays out at INFO too.
   */
  @Test
  void aRecordBecomesALineExactlyWhenLogbackWouldWriteItsLevel() {
    Map<Level, String> slf4j = new LinkedHashMap<>();
    slf4j.put(Level.FINEST, "TRACE");
    slf4j.put(Level.FINER, "DEBUG");
    slf4j.put(Level.FINE, "DEBUG");
    slf4j.put(Level.CONFIG, "INFO");
    slf4j.put(Level.INFO, "INFO");
    slf4j.put(Level.WARNING, "WARN");
    slf4j.put(Level.SEVERE, "ERROR");
    List<String> order = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");
    for (String threshold : order) {
      LineSink lines = new LineSink();
      logging =
          JsonLogging.builder("jul-table")
              .output(lines)
              .level("WARN")
              .level("io.opentelemetry", threshold)
              .install();
      slf4j.forEach(
          (jul, level) -> Logger.getLogger("io.opentelemetry.table").log(jul, "record " + jul));
      logging.close();
      logging = null;

      Map<String, String> written = new LinkedHashMap<>();
      for (JsonNode line : lines.json()) {
        if (line.path("log.logger").asText().equals("io.opentelemetry.table")) {
          written.put(line.path("message").asText(), line.path("log.level").asText());
        }
      }
      Map<String, String> expected = new LinkedHashMap<>();
      slf4j.forEach(
          (jul, level) -> {
            boolean passes = order.indexOf(level) >= order.indexOf(threshold);
            boolean configAtInfo = jul == Level.CONFIG && threshold.equals("INFO");
            if (passes && !configAtInfo) {
              expected.put("record " + jul, level);
            }
          });
      assertThat(written).as("at %s", threshold).isEqualTo(expected);
      assertThat(states()).as("after close at %s", threshold).isEqualTo(before);
    }
  }

  @Test
  void loggersTheApplicationConfiguredAreLeftAsTheyAre() {
    Logger withLevel = Logger.getLogger("okhttp3");
    Logger withHandler = Logger.getLogger("io.prometheus");
    Logger alone = Logger.getLogger("io.micrometer");
    Handler own = new Recording();
    try {
      withLevel.setLevel(Level.FINE);
      withHandler.addHandler(own);
      alone.setUseParentHandlers(false);
      Map<String, State> configured = states();

      logging = JsonLogging.builder("jul-app").output(sink).install();

      Map<String, State> installed = states();
      for (String name : List.of("okhttp3", "io.prometheus", "io.micrometer")) {
        assertThat(installed.get(name)).as(name).isEqualTo(configured.get(name));
      }
      assertThat(Logger.getLogger("io.opentelemetry").getHandlers()).hasSize(1);
      logging.close();
      logging = null;
      assertThat(states()).isEqualTo(configured);
    } finally {
      withLevel.setLevel(null);
      withHandler.removeHandler(own);
      alone.setUseParentHandlers(true);
    }
  }

  @Test
  void anApplicationThatRoutesEverythingItselfIsLeftAlone() {
    Logger root = Logger.getLogger("");
    Handler bridge = new SLF4JBridgeHandler();
    root.addHandler(bridge);
    try {
      logging = JsonLogging.builder("jul-routed").output(sink).install();
      assertThat(states()).isEqualTo(before);
    } finally {
      root.removeHandler(bridge);
    }
  }

  @Test
  void anInstallationBesideTheOwnerRoutesNothing() {
    logging = JsonLogging.builder("jul-beside").output(sink).registerGlobal(false).install();
    assertThat(states()).isEqualTo(before);
  }

  /** A handler the application put on a logger. */
  private static final class Recording extends Handler {
    final List<LogRecord> records = new ArrayList<>();

    @Override
    public void publish(LogRecord logRecord) {
      records.add(logRecord);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
