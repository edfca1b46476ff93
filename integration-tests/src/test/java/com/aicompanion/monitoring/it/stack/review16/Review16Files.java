package com.aicompanion.monitoring.it.stack.review16;

import com.aicompanion.monitoring.testsupport.ExternalTool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the review tests of issue 16 share: the repository's files, the objects of {@code
 * stack/kubernetes/}, the PrometheusRule's groups as a rule file and the schema validator.
 *
 * <pre>{@code
 * JsonNode deployment = Review16Files.kubernetesObject("Deployment");
 * }</pre>
 */
final class Review16Files {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Review16Files() {}

  /** {@code stack/} of the repository, found by walking up from the working directory. */
  static Path stack() {
    Path current = Path.of("").toAbsolutePath();
    while (current != null) {
      Path candidate = current.resolve("stack");
      if (Files.isRegularFile(candidate.resolve("docker-compose.monitoring.yml"))) {
        return candidate;
      }
      current = current.getParent();
    }
    throw new AssertionError("no stack/ directory above " + Path.of("").toAbsolutePath());
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every document of a YAML file. */
  static List<JsonNode> documents(Path file) {
    List<JsonNode> documents = new ArrayList<>();
    try (YAMLParser parser = (YAMLParser) YAML.getFactory().createParser(file.toFile())) {
      YAML.readValues(parser, JsonNode.class)
          .forEachRemaining(
              node -> {
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                  documents.add(node);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return documents;
  }

  /** The one object of {@code kind} among {@code stack/kubernetes/*.yaml}. */
  static JsonNode kubernetesObject(String kind) {
    List<JsonNode> found = new ArrayList<>();
    try (var files = Files.list(stack().resolve("kubernetes"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        for (JsonNode doc : documents(file)) {
          if (kind.equals(doc.path("kind").asText())) {
            found.add(doc);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (found.size() != 1) {
      throw new AssertionError("expected one " + kind + ", found " + found.size());
    }
    return found.get(0);
  }

  /** The PrometheusRule's {@code spec.groups} written to {@code target} as a rule file. */
  static Path prometheusRuleGroups(Path target) {
    ObjectNode file = YAML.createObjectNode();
    file.set("groups", kubernetesObject("PrometheusRule").path("spec").path("groups"));
    try {
      YAML.writeValue(target.toFile(), file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return target;
  }

  record Result(int exitCode, String output) {}

  /** Runs the committed schema validator (src/test/node/kubernetes-schemas) on {@code files}. */
  static Result validate(List<Path> files) {
    Path validator =
        stack().getParent().resolve("integration-tests/src/test/node/kubernetes-schemas");
    String node = ExternalTool.require("node", "nodejs").toString();
    if (!Files.isDirectory(validator.resolve("node_modules/kubernetes-models"))) {
      throw new AssertionError(
          "the schema packages are not installed: npm ci --prefix " + validator);
    }
    List<String> command = new ArrayList<>(List.of(node, "validate.mjs"));
    files.forEach(f -> command.add(f.toString()));
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(validator.toFile())
              .redirectErrorStream(true)
              .start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("validate.mjs did not finish within 120s");
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
