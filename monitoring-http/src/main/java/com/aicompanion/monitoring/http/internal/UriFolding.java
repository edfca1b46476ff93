package com.aicompanion.monitoring.http.internal;

/**
 * The default URI template of a client request: its path with every segment that looks like an id
 * replaced by {@code {id}}, so that {@code /v1/conversations/c-8f3a9b21/messages/42} becomes {@code
 * /v1/conversations/{id}/messages/{id}} while {@code /v1/chat/completions} stays.
 *
 * <pre>{@code
 * UriFolding.template("/users/12345");   // "/users/{id}"
 * }</pre>
 *
 * <p>An id: a segment of digits only, or one of 8 characters or more with a digit in it (UUIDs,
 * hashes, prefixed ids), or one of 32 characters or more. Short words with digits ({@code v1},
 * {@code gpt-4o}) stay. Paths of other shapes still vary: the monitor's cardinality limit bounds
 * them, and a template passed to the builder is better.
 */
public final class UriFolding {
  static final String ID = "{id}";
  private static final int MAX_SEGMENTS = 16;

  private UriFolding() {}

  /** The template of {@code path}; {@code /} for an empty or null path. */
  public static String template(String path) {
    if (path == null || path.isEmpty() || path.equals("/")) {
      return "/";
    }
    StringBuilder out = new StringBuilder(path.length());
    int start = path.charAt(0) == '/' ? 1 : 0;
    int segments = 0;
    while (start <= path.length()) {
      int end = path.indexOf('/', start);
      if (end < 0) {
        end = path.length();
      }
      if (++segments > MAX_SEGMENTS) {
        out.append("/...");
        break;
      }
      out.append('/');
      if (isId(path, start, end)) {
        out.append(ID);
      } else {
        out.append(path, start, end);
      }
      start = end + 1;
    }
    return out.toString();
  }

  static boolean isId(String path, int start, int end) {
    int length = end - start;
    if (length == 0) {
      return false;
    }
    boolean digit = false;
    boolean allDigits = true;
    for (int i = start; i < end; i++) {
      char c = path.charAt(i);
      if (c >= '0' && c <= '9') {
        digit = true;
      } else {
        allDigits = false;
      }
    }
    return allDigits || (digit && length >= 8) || length >= 32;
  }
}
