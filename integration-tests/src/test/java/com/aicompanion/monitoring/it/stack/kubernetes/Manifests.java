package com.aicompanion.monitoring.it.stack.kubernetes;

import com.aicompanion.monitoring.testsupport.ExternalTool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.stream.Stream;

/**
 * The files of {@code stack/kubernetes/} and the objects they hold.
 *
 * <pre>{@code
 * JsonNode deployment = Manifests.only("Deployment");
 * }</pre>
 */
public final class Manifests {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Manifests() {}

  /** {@code stack/} of the repository: walks up from the working directory. */
  public static Path stack() {
    return com.aicompanion.monitoring.it.stack.Repository.stack();
  }

  static Path dir() {
    return stack().resolve("kubernetes");
  }

  /** Every manifest file (every {@code *.yaml} but {@code kustomization.yaml}), sorted. */
  static List<Path> files() {
    try (Stream<Path> list = Files.list(dir())) {
      return list.filter(p -> p.getFileName().toString().endsWith(".yaml"))
          .filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every object of every manifest file. */
  static List<JsonNode> objects() {
    List<JsonNode> objects = new ArrayList<>();
    files().forEach(file -> objects.addAll(documents(file)));
    return objects;
  }

  public static List<JsonNode> documents(Path file) {
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

  static JsonNode yaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String read(Path file) {
    try {
      return Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<JsonNode> ofKind(String kind) {
    return objects().stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
  }

  /** The one object of {@code kind}; fails when there is none or more than one. */
  public static JsonNode only(String kind) {
    List<JsonNode> found = ofKind(kind);
    if (found.size() != 1) {
      throw new AssertionError(
          "expected one " + kind + " in stack/kubernetes, found " + found.size());
    }
    return found.get(0);
  }

  static final Path VALIDATOR =
      Manifests.stack().getParent().resolve("integration-tests/src/test/node/kubernetes-schemas");

  /** What the schema validator printed and its exit code. */
  public record Result(int exitCode, String output) {}

  /**
   * Runs the committed schema validator ({@code src/test/node/kubernetes-schemas/validate.mjs}) on
   * {@code files}; fails, never skips, when Node.js or its packages are missing.
   */
  public static Result validate(List<Path> files) {
    String node = ExternalTool.require("node", "nodejs").toString();
    if (!Files.isDirectory(VALIDATOR.resolve("node_modules/kubernetes-models"))) {
      throw new AssertionError(
          "the schema packages are not installed: run ./scripts/test.sh, or npm ci --prefix "
              + VALIDATOR);
    }
    List<String> command = new ArrayList<>(List.of(node, "validate.mjs"));
    files.forEach(file -> command.add(file.toString()));
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(VALIDATOR.toFile())
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
