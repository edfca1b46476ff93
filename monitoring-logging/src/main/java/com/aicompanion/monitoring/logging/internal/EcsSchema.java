package com.aicompanion.monitoring.logging.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The fields the ECS encoder writes itself and the objects that hold them, and the rule that keeps
 * user fields (MDC, SLF4J key/value pairs, structured arguments) from colliding with them
 * (monitoring-logging/README.md, "User fields and the ECS schema").
 *
 * <pre>{@code
 * EcsSchema.topLevel("request.id");   // true: written as it is
 * EcsSchema.topLevel("error");        // false: the schema's error object; goes to labels.error
 * EcsSchema.labelKey("log.level.x");  // "log_level_x"
 * }</pre>
 *
 * <p>A user field keeps its name at the top level only when the name is a usable field path (not
 * empty, no empty or blank part between dots, at most {@value #MAX_PATH_SEGMENTS} parts, not
 * starting with {@code _}, which Elasticsearch keeps for metadata fields) and neither is one of
 * {@link #FIELDS} or {@link #OBJECTS}, nor lies under {@code labels} or under one of the {@link
 * #FIELDS}. Everything here is allocation-free.
 */
public final class EcsSchema {
  /** The leaves the encoder writes, as written: dotted names at the top level of the line. */
  public static final Set<String> FIELDS =
      Set.of(
          "@timestamp",
          "message",
          "log.level",
          "log.logger",
          "ecs.version",
          "service.name",
          "service.version",
          "service.environment",
          "event.dataset",
          "host.hostname",
          "process.thread.name",
          TraceCapture.TRACE_ID,
          TraceCapture.SPAN_ID,
          "error.type",
          "error.message",
          "error.stack_trace");

  /** The objects that hold {@link #FIELDS}, and {@code labels}. */
  public static final Set<String> OBJECTS =
      Set.of(
          "log",
          "ecs",
          "service",
          "event",
          "host",
          "process",
          "process.thread",
          "trace",
          "span",
          "error",
          EcsSchema.LABELS);

  /** The object under which clashing user fields are written, as ECS labels (flat keywords). */
  public static final String LABELS = "labels";

  /**
   * The most dot-separated parts a user field path may have. Elasticsearch and OpenSearch reject a
   * document deeper than {@code index.mapping.depth.limit} (20); the margin leaves room for the
   * object that holds the field.
   */
  public static final int MAX_PATH_SEGMENTS = 16;

  private static final String LABELS_PREFIX = LABELS + ".";
  private static final String[][] FIELDS_BY_LENGTH = byLength(FIELDS);

  private EcsSchema() {}

  /** Whether the user field {@code name} may be written at the top level under its own name. */
  public static boolean topLevel(String name) {
    int segments = segments(name);
    return segments > 0 && segments <= MAX_PATH_SEGMENTS && name.charAt(0) != '_' && !clashes(name);
  }

  /**
   * Whether {@code name} is a field or object of the schema, lies under labels or under a field.
   */
  public static boolean clashes(String name) {
    if (FIELDS.contains(name) || OBJECTS.contains(name) || name.startsWith(LABELS_PREFIX)) {
      return true;
    }
    // a child of a leaf (message.x, log.level.x) would turn the leaf into an object
    int n = Math.min(name.length(), FIELDS_BY_LENGTH.length);
    for (int i = 1; i < n; i++) {
      if (name.charAt(i) == '.') {
        for (String field : FIELDS_BY_LENGTH[i]) {
          if (name.regionMatches(0, field, 0, i)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * The number of dot-separated parts of {@code name}, or -1 when it is not a usable field path:
   * empty, with an empty or blank part (a leading, trailing or double dot; Elasticsearch rejects
   * those, and silently drops a trailing dot), or with a lone surrogate. Allocation-free.
   */
  public static int segments(String name) {
    int n = name.length();
    if (n == 0) {
      return -1;
    }
    int segments = 1;
    boolean text = false;
    for (int i = 0; i < n; i++) {
      char c = name.charAt(i);
      if (c == '.') {
        if (!text) {
          return -1;
        }
        segments++;
        text = false;
      } else if (Character.isSurrogate(c)) {
        // a lone surrogate: strict JSON parsers reject it escaped in a field name
        if (!Character.isHighSurrogate(c)
            || i + 1 == n
            || !Character.isLowSurrogate(name.charAt(i + 1))) {
          return -1;
        }
        i++;
        text = true;
      } else if (!text && !Character.isWhitespace(c)) {
        text = true;
      }
    }
    return text ? segments : -1;
  }

  /**
   * {@code name} as an ECS label key: dots, asterisks and double quotes replaced by {@code _} (the
   * rule of the Elastic APM agents), a lone surrogate by U+FFFD, {@code _} for an empty or blank
   * name. The same instance when nothing changes.
   */
  public static String labelKey(String name) {
    boolean blank = true;
    boolean replace = false;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '.' || c == '*' || c == '"' || Character.isSurrogate(c)) {
        replace = true;
      }
      if (!Character.isWhitespace(c)) {
        blank = false;
      }
    }
    if (blank) {
      return "_";
    }
    if (!replace) {
      return name;
    }
    StringBuilder key = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '.' || c == '*' || c == '"') {
        key.append('_');
      } else if (Character.isHighSurrogate(c)
          && i + 1 < name.length()
          && Character.isLowSurrogate(name.charAt(i + 1))) {
        key.append(c).append(name.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        key.append('\uFFFD');
      } else {
        key.append(c);
      }
    }
    return key.toString();
  }

  /** Whether {@code a} and {@code b} are the same path or one is an object holding the other. */
  public static boolean overlap(String a, String b) {
    int la = a.length();
    int lb = b.length();
    if (la == lb) {
      return a.equals(b);
    }
    return la < lb
        ? b.charAt(la) == '.' && b.startsWith(a)
        : a.charAt(lb) == '.' && a.startsWith(b);
  }

  private static String[][] byLength(Set<String> names) {
    int max = 0;
    for (String name : names) {
      max = Math.max(max, name.length());
    }
    List<List<String>> buckets = new ArrayList<>();
    for (int i = 0; i <= max; i++) {
      buckets.add(new ArrayList<>());
    }
    for (String name : names) {
      buckets.get(name.length()).add(name);
    }
    String[][] out = new String[max + 1][];
    for (int i = 0; i <= max; i++) {
      out[i] = buckets.get(i).toArray(new String[0]);
    }
    return out;
  }
}
