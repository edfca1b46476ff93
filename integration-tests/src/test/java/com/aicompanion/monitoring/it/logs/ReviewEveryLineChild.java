package com.aicompanion.monitoring.it.logs;

import com.aicompanion.monitoring.Monitoring;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The child JVM of {@link ReviewEveryLineTest}: an application that uses {@code java.util.logging}
 * itself (its own logger, and a level of its own on {@code io.opentelemetry}), runs with the
 * environment the test gives (shipping to a node that is down, DEBUG, or a bad key), and writes the
 * {@code java.util.logging} state it sees before start and after close to the file {@code args[0]}.
 */
public final class ReviewEveryLineChild {
  static final String APP_JUL = "the application's own java.util.logging line";
  static final String SERVICE = "review-every-line";

  // held: java.util.logging keeps loggers weakly, and a collected logger forgets its level
  private static final java.util.logging.Logger MICROMETER_JUL =
      java.util.logging.Logger.getLogger("io.micrometer");

  private ReviewEveryLineChild() {}

  static String julState() {
    List<String> state = new ArrayList<>();
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    state.add("root level=" + root.getLevel() + " handlers=" + Arrays.toString(root.getHandlers()));
    for (String name :
        new String[] {
          "io.opentelemetry",
          "okhttp3",
          "io.prometheus",
          "io.micrometer",
          "com.sun.net.httpserver",
          "com.example.app"
        }) {
      java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
      state.add(
          name
              + " level="
              + logger.getLevel()
              + " parents="
              + logger.getUseParentHandlers()
              + " handlers="
              + logger.getHandlers().length);
    }
    return String.join("\n", state);
  }

  public static void main(String[] args) throws Exception {
    MICROMETER_JUL.setLevel(java.util.logging.Level.WARNING);
    String before = julState();
    Logger log = LoggerFactory.getLogger("app");
    log.info("before start");
    java.util.logging.Logger appJul = java.util.logging.Logger.getLogger("com.example.app");
    appJul.info(APP_JUL + " before start");
    Monitoring monitoring;
    try {
      monitoring =
          Monitoring.builder(SERVICE)
              .metricsHost("127.0.0.1")
              .metricsPort(0)
              .shutdownDrain(Duration.ZERO)
              .start();
    } catch (RuntimeException e) {
      log.error("start failed", e);
      Files.writeString(Path.of(args[0]), before + "\n--\n" + julState(), StandardCharsets.UTF_8);
      return;
    }
    appJul.info(APP_JUL + " while started");
    java.util.logging.Logger.getLogger("io.micrometer.review").warning("micrometer jul warning");
    for (int i = 0; i < 20; i++) {
      log.info("event {}", i);
    }
    monitoring.close();
    appJul.info(APP_JUL + " after close");
    Files.writeString(Path.of(args[0]), before + "\n--\n" + julState(), StandardCharsets.UTF_8);
  }
}
