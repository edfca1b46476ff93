package com.aicompanion.monitoring.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
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
 * Logback's default configuration with monitoring-logging on the classpath, in real JVMs (Logback
 * configures itself once per JVM): without a logback.xml the first line is already the library's
 * format (ECS JSON, or text), at INFO, Logback's own warnings included; an application's
 * logback.xml or {@code -Dlogback.configurationFile} wins over it; {@code JsonLogging} used alone
 * routes OpenTelemetry's java.util.logging records while installed and gives them back at close.
 */
class DefaultConfigurationTest {
  private static final ObjectMapper STRICT =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final String APP_PATTERN = "APPXML %level %logger - %msg%n";

  @TempDir Path dir;

  @Test
  void withoutALogbackXmlEveryLineFromTheFirstIsEcsJson() throws Exception {
    Output out = run(List.of(), Map.of("MONITORING_LOG_FORMAT", "json"));

    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.stdout()) {
      JsonNode node = parse(line);
      assertThat(node).as("not JSON: %s", line).isNotNull();
      for (String field : List.of("@timestamp", "log.level", "message", "ecs.version")) {
        assertThat(node.path(field).isTextual()).as("%s in %s", field, line).isTrue();
      }
      lines.add(node);
    }
    JsonNode first = lines.get(0);
    assertThat(first.path("message").asText()).isEqualTo(DefaultConfigurationChild.BEFORE);
    assertThat(first.path("service.name").asText()).isEqualTo("unknown_service:java");
    assertThat(lines)
        .as("the level is MONITORING_LOG_LEVEL's default, INFO, from the first line")
        .noneSatisfy(
            l ->
                assertThat(l.path("message").asText())
                    .isEqualTo(DefaultConfigurationChild.EARLY_DEBUG));
    assertThat(lines.get(1).path("message").asText()).isEqualTo(DefaultConfigurationChild.STATUS);
    assertThat(lines.get(1).path("log.level").asText()).isEqualTo("WARN");
    assertThat(lines)
        .anySatisfy(
            l -> {
              assertThat(l.path("message").asText())
                  .isEqualTo(DefaultConfigurationChild.JUL_INSTALLED);
              assertThat(l.path("log.logger").asText()).isEqualTo("io.opentelemetry.sdk");
              assertThat(l.path("service.name").asText()).isEqualTo("child-svc");
            })
        .anySatisfy(
            l -> assertThat(l.path("message").asText()).isEqualTo(DefaultConfigurationChild.AFTER));
    // after close the logger is java.util.logging's again: its own console handler, on stderr
    assertThat(String.join("\n", out.stdout()))
        .doesNotContain(DefaultConfigurationChild.JUL_CLOSED);
    assertThat(out.stderr()).hasSize(2);
    assertThat(out.stderr().get(0)).endsWith(DefaultConfigurationChild.class.getName() + " main");
    assertThat(out.stderr().get(1)).isEqualTo("WARNING: " + DefaultConfigurationChild.JUL_CLOSED);
  }

  @Test
  void withTheTextFormatTheFirstLineIsAlreadyText() throws Exception {
    Output out = run(List.of(), Map.of("MONITORING_LOG_FORMAT", "text"));

    assertThat(out.stdout()).allSatisfy(l -> assertThat(parse(l)).as(l).isNull());
    assertThat(out.stdout().get(0))
        .contains(" INFO ")
        .contains(" app ")
        .endsWith(" - " + DefaultConfigurationChild.BEFORE);
    assertThat(out.stdout())
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains(" WARN ")
                    .contains("io.opentelemetry.sdk")
                    .endsWith(DefaultConfigurationChild.JUL_INSTALLED));
  }

  @Test
  void anApplicationLogbackXmlOnTheClasspathKeepsItsConfiguration() throws Exception {
    Path classes = Files.createDirectories(dir.resolve("app-classes"));
    writeXml(classes.resolve("logback.xml"));

    Output out = run(List.of(), Map.of("MONITORING_LOG_FORMAT", "json"), classes);

    assertTheApplicationFormatWon(out);
  }

  @Test
  void aLogbackConfigurationFilePropertyKeepsItsConfiguration() throws Exception {
    Path xml = dir.resolve("elsewhere.xml");
    writeXml(xml);

    Output out =
        run(List.of("-Dlogback.configurationFile=" + xml), Map.of("MONITORING_LOG_FORMAT", "json"));

    assertTheApplicationFormatWon(out);
  }

  private static void assertTheApplicationFormatWon(Output out) {
    assertThat(out.stdout())
        .as("every line in the application's pattern")
        .allSatisfy(l -> assertThat(l).startsWith("APPXML "))
        .contains("APPXML DEBUG app - " + DefaultConfigurationChild.EARLY_DEBUG)
        .contains("APPXML INFO app - " + DefaultConfigurationChild.BEFORE)
        .anySatisfy(l -> assertThat(l).contains("Logging for child-svc installed").contains("kept"))
        .contains("APPXML INFO app - " + DefaultConfigurationChild.AFTER)
        .contains("APPXML WARN io.opentelemetry.sdk - " + DefaultConfigurationChild.JUL_INSTALLED);
    assertThat(out.stdout())
        .as("Logback's own status is the application's business: not written as a line")
        .noneSatisfy(l -> assertThat(l).contains(DefaultConfigurationChild.STATUS));
  }

  private static void writeXml(Path file) throws IOException {
    Files.writeString(
        file,
        "<configuration>\n"
            + "  <appender name=\"OUT\" class=\"ch.qos.logback.core.ConsoleAppender\">\n"
            + "    <encoder><pattern>"
            + APP_PATTERN
            + "</pattern></encoder>\n"
            + "  </appender>\n"
            + "  <root level=\"DEBUG\"><appender-ref ref=\"OUT\"/></root>\n"
            + "</configuration>\n");
  }

  /** The line as a JSON object, or null when it is not one. */
  private static JsonNode parse(String line) {
    try {
      JsonNode node = STRICT.readTree(line);
      return node != null && node.isObject() ? node : null;
    } catch (IOException e) {
      return null;
    }
  }

  private record Output(List<String> stdout, List<String> stderr) {}

  private Output run(List<String> jvmOptions, Map<String, String> env, Path... classpathFirst)
      throws Exception {
    Path stdout = Files.createTempFile(dir, "child", ".out");
    Path stderr = Files.createTempFile(dir, "child", ".err");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    StringBuilder classpath = new StringBuilder();
    for (Path first : classpathFirst) {
      classpath.append(first).append(File.pathSeparator);
    }
    classpath.append(System.getProperty("java.class.path"));
    command.addAll(List.of("-cp", classpath.toString(), DefaultConfigurationChild.class.getName()));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    builder
        .environment()
        .keySet()
        .removeIf(
            k -> k.startsWith("MONITORING_") || k.startsWith("OTEL_") || k.equals("SENTRY_DSN"));
    builder.environment().putAll(env);
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
    assertThat(out.stdout()).as("stdout").isNotEmpty();
    return out;
  }
}
