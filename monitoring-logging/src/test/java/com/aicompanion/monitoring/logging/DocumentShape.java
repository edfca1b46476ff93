package com.aicompanion.monitoring.logging;

import com.aicompanion.monitoring.logging.internal.EcsSchema;
import com.aicompanion.monitoring.logging.internal.IndexTemplate;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks an encoded line the way a strict parser and an Elasticsearch/OpenSearch index see it:
 * parsed with duplicate detection, dotted names expanded into objects (as the node does), and every
 * path given one kind. Lists what an index with the installed template would reject, or what breaks
 * the schema: a duplicate key, a path that is both a value and an object, a path with values of
 * different kinds, an empty or blank name part, a top-level name starting with {@code _}, a path
 * deeper than the node's limit, a schema field or {@code labels.*} that is not a string, an object
 * where the template maps a value or the reverse.
 */
final class DocumentShape {
  static final ObjectMapper STRICT =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final JsonNode TEMPLATE;

  static {
    try {
      TEMPLATE =
          STRICT
              .readTree(IndexTemplate.json("x-*"))
              .path("template")
              .path("mappings")
              .path("properties");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final String OBJECT = "object";

  private DocumentShape() {}

  /** The line parsed strictly; fails the test with the line when it is not one JSON object. */
  static JsonNode parse(byte[] line) {
    String text = new String(line, java.nio.charset.StandardCharsets.UTF_8);
    if (!text.endsWith("\n") || text.indexOf('\n') != text.length() - 1) {
      throw new AssertionError("not one line ending in \\n: " + text);
    }
    try {
      JsonNode node = STRICT.readTree(line);
      if (!node.isObject()) {
        throw new AssertionError("not a JSON object: " + text);
      }
      return node;
    } catch (IOException e) {
      throw new AssertionError(
          "a strict parser rejects the line (" + e.getMessage() + "): " + text);
    }
  }

  /**
   * What an index with the installed template would reject in {@code line}, or breaks the schema.
   */
  static List<String> problems(JsonNode line) {
    List<String> problems = new ArrayList<>();
    Map<String, String> kinds = new HashMap<>();
    line.properties()
        .forEach(
            field -> {
              String name = field.getKey();
              if (name.startsWith("_")) {
                problems.add("top-level name starts with _: " + name);
              }
              if (EcsSchema.FIELDS.contains(name) && !field.getValue().isTextual()) {
                problems.add("schema field " + name + " is not a string: " + field.getValue());
              }
              walk("", name, field.getValue(), kinds, problems);
            });
    JsonNode labels = line.path(EcsSchema.LABELS);
    if (!labels.isMissingNode()) {
      if (!labels.isObject()) {
        problems.add("labels is not an object: " + labels);
      } else {
        labels
            .properties()
            .forEach(
                label -> {
                  if (!label.getValue().isTextual() && !label.getValue().isNull()) {
                    problems.add(
                        "label " + label.getKey() + " is not a string: " + label.getValue());
                  }
                  if (label.getKey().contains(".")) {
                    problems.add("label key with a dot: " + label.getKey());
                  }
                });
      }
    }
    template("", TEMPLATE, kinds, problems);
    return problems;
  }

  /** Records the kind of {@code prefix + name} and of everything under it, dots expanded. */
  private static void walk(
      String prefix, String name, JsonNode value, Map<String, String> kinds, List<String> out) {
    String[] parts = name.split("\\.", -1);
    String path = prefix;
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].isBlank()) {
        out.add("empty or blank part in name '" + name + "' under '" + prefix + "'");
        return;
      }
      path = path.isEmpty() ? parts[i] : path + "." + parts[i];
      if (i < parts.length - 1) {
        kind(path, OBJECT, kinds, out);
      }
    }
    if (path.split("\\.").length > 20) {
      out.add("deeper than 20: " + path);
    }
    if (value.isObject()) {
      kind(path, OBJECT, kinds, out);
      String at = path;
      value.properties().forEach(f -> walk(at, f.getKey(), f.getValue(), kinds, out));
    } else if (value.isArray()) {
      for (JsonNode element : value) {
        if (element.isArray()) {
          out.add("array in array at " + path);
        } else if (element.isObject()) {
          kind(path, OBJECT, kinds, out);
          String at = path;
          element.properties().forEach(f -> walk(at, f.getKey(), f.getValue(), kinds, out));
        } else if (!element.isNull()) {
          kind(path, scalarKind(element), kinds, out);
        }
      }
    } else if (!value.isNull()) {
      kind(path, scalarKind(value), kinds, out);
    }
  }

  private static String scalarKind(JsonNode value) {
    if (value.isTextual()) {
      return "string";
    }
    if (value.isIntegralNumber()) {
      return value.canConvertToLong() ? "long" : "big integer";
    }
    if (value.isNumber()) {
      double d = value.doubleValue();
      return Double.isFinite(d) && Math.abs(d) <= Float.MAX_VALUE ? "float" : "bad float " + d;
    }
    if (value.isBoolean()) {
      return "boolean";
    }
    return "other " + value.getNodeType();
  }

  private static void kind(String path, String kind, Map<String, String> kinds, List<String> out) {
    if (kind.startsWith("bad") || kind.startsWith("big") || kind.startsWith("other")) {
      out.add(path + " has a value no index takes: " + kind);
    }
    String before = kinds.putIfAbsent(path, kind);
    if (before != null && !before.equals(kind)) {
      out.add(path + " is both " + before + " and " + kind);
    }
  }

  /** The template's mapped fields against the kinds the line gave them. */
  private static void template(
      String prefix, JsonNode properties, Map<String, String> kinds, List<String> out) {
    properties
        .properties()
        .forEach(
            field -> {
              String path = prefix + field.getKey();
              JsonNode mapping = field.getValue();
              String got = kinds.get(path);
              boolean object =
                  mapping.has("properties") || OBJECT.equals(mapping.path("type").asText());
              if (got != null && object != OBJECT.equals(got)) {
                out.add(
                    path
                        + ": the template maps "
                        + (object ? "an object" : "a value")
                        + ", the line has "
                        + got);
              }
              if (!object && got != null && !"string".equals(got)) {
                out.add(path + ": the template maps a string type, the line has " + got);
              }
              if (mapping.has("properties")) {
                template(path + ".", mapping.path("properties"), kinds, out);
              }
            });
    if (prefix.isEmpty()) {
      kinds.forEach(
          (path, kind) -> {
            if (path.startsWith(EcsSchema.LABELS + ".") && !"string".equals(kind)) {
              out.add(path + " is a label (keyword) with " + kind);
            }
          });
    }
  }
}
