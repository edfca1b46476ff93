package com.aicompanion.monitoring.logging.internal;

import java.util.HashSet;
import java.util.Set;

/**
 * Field paths already written in one JSON object, to find a new one that would be written twice or
 * would turn a written scalar into an object (or the reverse): {@code a} and {@code a}, {@code a}
 * and {@code a.b}. Meant for the uncommon paths (nested values, events with many fields); it
 * allocates per added dotted path.
 *
 * <pre>{@code
 * PathSet written = new PathSet();
 * written.add("a.b");
 * written.overlaps("a");      // true
 * written.free("a");          // "a_2"
 * }</pre>
 */
final class PathSet {
  private final Set<String> paths = new HashSet<>();
  private final Set<String> parents = new HashSet<>();

  /** Whether {@code path} equals, holds or lies under a path added before. */
  boolean overlaps(String path) {
    if (paths.contains(path) || parents.contains(path)) {
      return true;
    }
    for (int dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
      if (paths.contains(path.substring(0, dot))) {
        return true;
      }
    }
    return false;
  }

  void add(String path) {
    paths.add(path);
    for (int dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
      parents.add(path.substring(0, dot));
    }
  }

  /** {@code key}, or the first of {@code key_2}, {@code key_3}... that overlaps nothing added. */
  String free(String key) {
    if (!overlaps(key)) {
      return key;
    }
    for (int i = 2; ; i++) {
      String candidate = key + "_" + i;
      if (!overlaps(candidate)) {
        return candidate;
      }
    }
  }

  int size() {
    return paths.size();
  }

  void clear() {
    paths.clear();
    parents.clear();
  }
}
