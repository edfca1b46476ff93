package com.aicompanion.monitoring.logging.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Shortens a log document that alone is over the request limit, visibly: the longest string values
 * (a huge message, stack trace or argument) are cut, each ending in {@code ...[truncated from N
 * bytes]}, and {@code labels.truncated: "true"} marks the document, so that it is still one valid
 * ECS document and a search finds what was cut.
 *
 * <pre>{@code
 * byte[] shorter = DocumentShortener.shorten(line, 65_536);   // null when it cannot fit
 * }</pre>
 */
final class DocumentShortener {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Strings this short are not cut: a document made of many small fields is not shortened. */
  private static final int SHORTEST_CUT = 64;

  private static final int MAX_ROUNDS = 32;

  private DocumentShortener() {}

  /**
   * {@code doc} (one JSON object, with or without its trailing newline) shortened to at most {@code
   * maxBytes} bytes (the newline kept), or null when it is not a JSON object or cannot be brought
   * under the limit by cutting long strings.
   */
  static byte @Nullable [] shorten(byte[] doc, long maxBytes) {
    boolean newline = doc.length > 0 && doc[doc.length - 1] == '\n';
    long budget = maxBytes - (newline ? 1 : 0);
    if (budget < 2) {
      return null;
    }
    ObjectNode root;
    try {
      JsonNode node = JSON.readTree(doc);
      if (!(node instanceof ObjectNode object)) {
        return null;
      }
      root = object;
      mark(root);
      for (int round = 0; round < MAX_ROUNDS; round++) {
        byte[] out = JSON.writeValueAsBytes(root);
        if (out.length <= budget) {
          return newline ? withNewline(out) : out;
        }
        Longest longest = new Longest();
        find(root, longest);
        if (longest.text == null || longest.bytes < SHORTEST_CUT) {
          return null;
        }
        long excess = out.length - budget;
        String suffix = "...[truncated from " + longest.bytes + " bytes]";
        long keep = longest.bytes - excess - suffix.length();
        String cut = prefix(longest.text, (int) Math.max(0, keep)) + suffix;
        longest.replace(TextNode.valueOf(cut));
      }
    } catch (IOException | RuntimeException | StackOverflowError e) {
      return null;
    }
    return null;
  }

  /** {@code labels.truncated: "true"}, inside {@code labels} when the document has that object. */
  private static void mark(ObjectNode root) {
    JsonNode labels = root.get("labels");
    if (labels instanceof ObjectNode object) {
      object.put("truncated", "true");
    } else if (labels == null) {
      root.putObject("labels").put("truncated", "true");
    } else {
      root.put("labels.truncated", "true");
    }
  }

  private static byte[] withNewline(byte[] out) {
    byte[] line = java.util.Arrays.copyOf(out, out.length + 1);
    line[out.length] = '\n';
    return line;
  }

  /** The longest string value in the tree and how to replace it. */
  private static final class Longest {
    String text;
    int bytes;
    ObjectNode parent;
    String field;
    ArrayNode array;
    int index;

    void replace(TextNode value) {
      if (parent != null) {
        parent.set(field, value);
      } else {
        array.set(index, value);
      }
    }
  }

  private static void find(JsonNode node, Longest longest) {
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        JsonNode value = field.getValue();
        if (value.isTextual()) {
          consider(longest, value.textValue(), object, field.getKey(), null, 0);
        } else {
          find(value, longest);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        JsonNode value = array.get(i);
        if (value.isTextual()) {
          consider(longest, value.textValue(), null, null, array, i);
        } else {
          find(value, longest);
        }
      }
    }
  }

  private static void consider(
      Longest longest, String text, ObjectNode parent, String field, ArrayNode array, int index) {
    if (text.length() * 3 < longest.bytes) {
      return; // cannot be longer in UTF-8
    }
    int bytes = text.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > longest.bytes) {
      longest.text = text;
      longest.bytes = bytes;
      longest.parent = parent;
      longest.field = field;
      longest.array = array;
      longest.index = index;
    }
  }

  /**
   * The longest prefix of {@code text} of at most {@code maxBytes} UTF-8 bytes, whole characters.
   */
  static String prefix(String text, int maxBytes) {
    int bytes = 0;
    int i = 0;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + size > maxBytes) {
        break;
      }
      bytes += size;
      i += Character.charCount(cp);
    }
    return text.substring(0, i);
  }
}
