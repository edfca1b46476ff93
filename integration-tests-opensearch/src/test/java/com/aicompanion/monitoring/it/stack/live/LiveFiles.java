package com.aicompanion.monitoring.it.stack.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the live OpenSearch tests share: the repository's {@code stack/} directory and a node's JSON
 * answers as trees.
 *
 * <pre>{@code
 * JsonNode template = LiveFiles.JSON.readTree(stackDir().resolve("elasticsearch/index-template.json").toFile());
 * long count = json(node.request("GET", "/logs-x-dev/_count", null)).path("count").asLong();
 * }</pre>
 */
final class LiveFiles {
  static final ObjectMapper JSON = new ObjectMapper();

  private LiveFiles() {}

  /** The body of {@code response} as a JSON tree; an unreadable body fails the test. */
  static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code stack/} of the repository, found above the module's working directory. */
  static Path stackDir() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isDirectory(dir.resolve("stack")) && Files.isRegularFile(dir.resolve("mvnw"))) {
        return dir.resolve("stack");
      }
      dir = dir.getParent();
    }
    throw new AssertionError("no stack/ directory above " + Path.of("").toAbsolutePath());
  }
}
