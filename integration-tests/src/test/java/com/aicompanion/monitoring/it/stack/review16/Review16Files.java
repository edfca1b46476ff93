package com.aicompanion.monitoring.it.stack.review16;

import com.aicompanion.monitoring.it.stack.kubernetes.Manifests;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

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

  /** {@code stack/} of the repository ({@link Manifests#stack()}). */
  static Path stack() {
    return Manifests.stack();
  }

  static String read(Path file) {
    return Manifests.read(file);
  }

  /** Every document of a YAML file. */
  static List<JsonNode> documents(Path file) {
    return Manifests.documents(file);
  }

  /** The one object of {@code kind} among {@code stack/kubernetes/*.yaml}. */
  static JsonNode kubernetesObject(String kind) {
    return Manifests.only(kind);
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

  /** Runs the committed schema validator on {@code files} ({@link Manifests#validate}). */
  static Manifests.Result validate(List<Path> files) {
    return Manifests.validate(files);
  }
}
