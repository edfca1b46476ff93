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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real JVM with every module and no logback.xml, started with {@code MONITORING_LOG_FORMAT=json}
 * and a misspelt key: every line it writes on stdout and stderr, from the application's first line
 * before {@code Monitoring.start} to the shutdown hook's "closed" line, is one ECS JSON object: the
 * start-up warning about the unknown key, OpenTelemetry's {@code java.util.logging} records (one of
 * the test's own, one the SDK writes itself), the JDK server's {@code System.Logger} records. With
 * {@code MONITORING_LOG_FORMAT=text} the same run is text throughout.
 */
class EveryLineJsonTest {
  private static final ObjectMapper STRICT =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final String MISSPELT = "MONITORING_ELASTICSEARCH_URLL";

  @TempDir Path dir;

  @Test
  void everyLineFromTheFirstToTheClosedLineIsAnEcsJsonObject() throws Exception {
    Output out = run("json");

    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.all()) {
      JsonNode node = parse(line);
      assertThat(node).as("not a JSON object: %s", line).isNotNull();
      assertThat(node.isObject()).as("not a JSON object: %s", line).isTrue();
      for (String field : List.of("@timestamp", "log.level", "message", "ecs.version")) {
        assertThat(node.path(field).isTextual()).as("%s in %s", field, line).isTrue();
      }
      lines.add(node);
    }
    assertThat(out.stderr).as("stderr").isEmpty();
    assertThat(lines.get(0).path("message").asText()).isEqualTo(EveryLineJsonChild.BEFORE_START);
    assertThat(lines.get(lines.size() - 1).path("message").asText())
        .isEqualTo("Monitoring for " + EveryLineJsonChild.SERVICE + " closed");

    assertThat(lines)
        .as("the unknown-key warning, with the service's identity")
        .anySatisfy(
            l -> {
              assertThat(l.path("log.level").asText()).isEqualTo("WARN");
              assertThat(l.path("message").asText())
                  .startsWith("Unknown configuration key " + MISSPELT + " is ignored")
                  .contains("did you mean MONITORING_ELASTICSEARCH_URL?");
              assertThat(l.path("service.name").asText()).isEqualTo(EveryLineJsonChild.SERVICE);
            });
    assertThat(lines)
        .as("OpenTelemetry's java.util.logging record")
        .anySatisfy(
            l -> {
              assertThat(l.path("log.logger").asText()).isEqualTo("io.opentelemetry.sdk");
              assertThat(l.path("log.level").asText()).isEqualTo("WARN");
              assertThat(l.path("message").asText()).isEqualTo(EveryLineJsonChild.OTEL_JUL);
            });
    assertThat(lines)
        .as("the SDK's own FINE record, let through by MONITORING_LOG_LEVELS")
        .anySatisfy(
            l -> {
              assertThat(l.path("log.logger").asText())
                  .isEqualTo("io.opentelemetry.sdk.trace.SdkSpan");
              assertThat(l.path("log.level").asText()).isEqualTo("DEBUG");
              assertThat(l.path("message").asText()).contains("ended");
            });
    assertThat(lines)
        .as("the JDK server's System.Logger records")
        .anySatisfy(
            l -> {
              assertThat(l.path("log.logger").asText()).isEqualTo("com.sun.net.httpserver");
              assertThat(l.path("message").asText()).contains("GET /metrics");
            });
    assertThat(lines)
        .as("the application's exception")
        .anySatisfy(
            l -> {
              assertThat(l.path("message").asText()).isEqualTo(EveryLineJsonChild.APP_FAILURE);
              assertThat(l.path("error.type").asText())
                  .isEqualTo("java.lang.IllegalStateException");
            });
  }

  @Test
  void withTheTextFormatEveryLineStaysText() throws Exception {
    Output out = run("text");

    assertThat(out.all()).isNotEmpty().allSatisfy(l -> assertThat(parse(l)).as(l).isNull());
    assertThat(out.stderr).as("stderr").isEmpty();
    assertThat(out.stdout.get(0)).contains(" INFO ").endsWith(EveryLineJsonChild.BEFORE_START);
    assertThat(out.stdout)
        .anySatisfy(l -> assertThat(l).contains(" WARN ").contains(MISSPELT + " is ignored"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains(" WARN ")
                    .contains("io.opentelemetry.sdk")
                    .endsWith(EveryLineJsonChild.OTEL_JUL))
        .anySatisfy(
            l ->
                assertThat(l).endsWith("Monitoring for " + EveryLineJsonChild.SERVICE + " closed"));
  }

  /** The line as a JSON node, or null when it is not JSON. */
  private static JsonNode parse(String line) {
    try {
      return STRICT.readTree(line);
    } catch (IOException e) {
      return null;
    }
  }

  private record Output(List<String> stdout, List<String> stderr) {
    List<String> all() {
      List<String> all = new ArrayList<>(stdout);
      all.addAll(stderr);
      return all;
    }
  }

  private Output run(String format) throws Exception {
    Path stdout = dir.resolve(format + ".out");
    Path stderr = dir.resolve(format + ".err");
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                EveryLineJsonChild.class.getName())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("MONITORING_") || k.startsWith("OTEL_"));
    env.remove("SENTRY_DSN");
    env.put("MONITORING_LOG_FORMAT", format);
    env.put(MISSPELT, "http://127.0.0.1:9");
    env.put("MONITORING_LOG_LEVELS", "io.opentelemetry=DEBUG,com.sun.net.httpserver=DEBUG");
    // nothing listens there: the tracing module reports the lost span itself, as JSON too
    env.put("MONITORING_TRACING_OTLP_ENDPOINT", "http://127.0.0.1:9");
    Process child = builder.start();
    try {
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child exits").isTrue();
    } finally {
      child.destroyForcibly();
    }
    Output out =
        new Output(
            Files.readAllLines(stdout, StandardCharsets.UTF_8),
            Files.readAllLines(stderr, StandardCharsets.UTF_8));
    assertThat(child.exitValue()).as("exit code; output %s", out).isZero();
    assertThat(out.stdout).as("stdout").isNotEmpty();
    return out;
  }
}
