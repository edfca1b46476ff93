package com.aicompanion.monitoring.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Collects what the console appender writes, as lines, in place of stdout. */
final class LineSink extends OutputStream {
  static final ObjectMapper JSON = new ObjectMapper();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  @Override
  public synchronized void write(int b) {
    bytes.write(b);
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    bytes.write(b, off, len);
  }

  synchronized String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  List<String> lines() {
    List<String> lines = new ArrayList<>();
    for (String line : text().split("\n")) {
      if (!line.isBlank()) {
        lines.add(line);
      }
    }
    return lines;
  }

  /**
   * The value of the field called {@code name} in {@code doc}, wherever the encoder puts user
   * fields (top level, nested, or under a prefix such as {@code labels.}); a missing node when
   * none.
   */
  static JsonNode field(JsonNode doc, String name) {
    if (doc.has(name)) {
      return doc.get(name);
    }
    var names = doc.fieldNames();
    while (names.hasNext()) {
      String key = names.next();
      JsonNode child = doc.get(key);
      if (key.endsWith("." + name) || key.endsWith("_" + name)) {
        return child;
      }
      if (child.isObject()) {
        JsonNode found = field(child, name);
        if (!found.isMissingNode()) {
          return found;
        }
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  List<JsonNode> json() {
    List<JsonNode> docs = new ArrayList<>();
    for (String line : lines()) {
      try {
        docs.add(JSON.readTree(line));
      } catch (IOException e) {
        throw new UncheckedIOException("not a JSON line: " + line, e);
      }
    }
    return docs;
  }
}
