package com.aicompanion.monitoring.it.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A review of issue 13 item 7 with kinds the module's tests do not use: shipping on to a node that
 * is down (outage and close lines), DEBUG from the first line, a bad key that fails start, and an
 * application that uses {@code java.util.logging} itself: every stdout line is ECS JSON, the
 * application's own {@code java.util.logging} lines stay where they went before (stderr, text), and
 * the {@code java.util.logging} state after close is what it was before start.
 */
class ReviewEveryLineTest {
  private static final ObjectMapper STRICT =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  @TempDir Path dir;

  private record Output(List<String> stdout, List<String> stderr, String julState) {}

  private Output run(String name, Map<String, String> extra) throws Exception {
    Path stdout = dir.resolve(name + ".out");
    Path stderr = dir.resolve(name + ".err");
    Path state = dir.resolve(name + ".jul");
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ReviewEveryLineChild.class.getName(),
                state.toString())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("MONITORING_") || k.startsWith("OTEL_"));
    env.remove("SENTRY_DSN");
    env.put("MONITORING_LOG_FORMAT", "json");
    env.put("MONITORING_TRACING_OTLP_ENDPOINT", "http://127.0.0.1:9");
    env.putAll(extra);
    Process child = builder.start();
    try {
      assertThat(child.waitFor(90, TimeUnit.SECONDS)).as("the child exits").isTrue();
    } finally {
      child.destroyForcibly();
    }
    return new Output(
        Files.readAllLines(stdout, StandardCharsets.UTF_8),
        Files.readAllLines(stderr, StandardCharsets.UTF_8),
        Files.exists(state) ? Files.readString(state) : "");
  }

  private static JsonNode parse(String line) {
    try {
      return STRICT.readTree(line);
    } catch (IOException e) {
      return null;
    }
  }

  private static void assertEveryStdoutLineJson(Output out) {
    assertThat(out.stdout()).isNotEmpty();
    assertThat(out.stdout())
        .allSatisfy(
            l -> {
              JsonNode node = parse(l);
              assertThat(node).as("not JSON: %s", l).isNotNull();
              assertThat(node.path("ecs.version").isTextual()).as(l).isTrue();
            });
  }

  /**
   * stderr holds the application's own java.util.logging lines (two text lines each) only, and
   * those of io.micrometer, whose level the application set (documented: left alone).
   */
  private static void assertStderrIsTheApplicationsJulOnly(Output out) {
    assertThat(out.stderr())
        .as("stderr")
        .allSatisfy(
            l ->
                assertThat(
                        l.contains(ReviewEveryLineChild.APP_JUL)
                            || l.contains("com.example.app")
                            // io.micrometer has a level the application set: left alone
                            || l.contains("micrometer jul warning")
                            || l.contains("ReviewEveryLineChild main"))
                    .as(l)
                    .isTrue());
  }

  private static void assertJulStateRestored(Output out) {
    String[] parts = out.julState().split("\n--\n");
    assertThat(parts).hasSize(2);
    assertThat(parts[1]).as("java.util.logging after close").isEqualTo(parts[0]);
  }

  @Test
  void shippingToANodeThatIsDownWritesOnlyJsonAndLeavesTheApplicationsJulAlone() throws Exception {
    Output out =
        run(
            "down",
            Map.of(
                "MONITORING_ELASTICSEARCH_URL", "http://127.0.0.1:9",
                "MONITORING_LOG_CLOSE_TIMEOUT", "2s"));

    assertEveryStdoutLineJson(out);
    assertStderrIsTheApplicationsJulOnly(out);
    assertThat(String.join("\n", out.stderr()))
        .contains(ReviewEveryLineChild.APP_JUL + " before start")
        .contains(ReviewEveryLineChild.APP_JUL + " while started")
        .contains(ReviewEveryLineChild.APP_JUL + " after close");
    assertThat(String.join("\n", out.stdout())).contains("http://127.0.0.1:9");
    assertJulStateRestored(out);
  }

  @Test
  void debugFromTheFirstLineIsJsonToo() throws Exception {
    Output out = run("debug", Map.of("MONITORING_LOG_LEVEL", "DEBUG"));

    assertEveryStdoutLineJson(out);
    assertStderrIsTheApplicationsJulOnly(out);
    assertJulStateRestored(out);
  }

  @Test
  void aBadValueThatFailsStartIsJsonToo() throws Exception {
    Output out =
        run("bad", Map.of("MONITORING_LOG_LEVEL", "LOUD", "MONITORING_ELASTICSEARCH_URLL", "x"));

    assertEveryStdoutLineJson(out);
    assertStderrIsTheApplicationsJulOnly(out);
    assertThat(String.join("\n", out.stdout())).contains("start failed").contains("LOUD");
    assertJulStateRestored(out);
  }
}
