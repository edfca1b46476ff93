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
