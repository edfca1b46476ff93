package com.aicompanion.monitoring.http.internal;

import com.aicompanion.monitoring.http.RouteResolver;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@link RouteResolver#templates}: each template split into segments once, matched against the path
 * without allocating.
 *
 * <pre>{@code
 * Templates t = Templates.of("/conversations/{id}", "/files/{path...}");
 * t.route("/files/a/b.txt");   // "/files/{path...}"
 * }</pre>
 */
public final class Templates implements RouteResolver {
  private record Template(String text, String[] segments, boolean rest) {}

  private final Template[] templates;

  private Templates(Template[] templates) {
    this.templates = templates;
  }

  /** Parses {@code templates}; see {@link RouteResolver#templates} for the rules. */
  public static Templates of(String... templates) {
    if (templates == null) {
      throw new IllegalArgumentException(
          "templates is null: pass route templates such as \"/a/{id}\"");
    }
    List<Template> parsed = new ArrayList<>();
    for (String t : templates) {
      parsed.add(parse(t));
    }
    return new Templates(parsed.toArray(Template[]::new));
  }

  /** Whether no template was given. */
  public boolean isEmpty() {
    return templates.length == 0;
  }

  private static Template parse(@Nullable String template) {
    if (template == null || template.isBlank() || !template.startsWith("/")) {
      throw new IllegalArgumentException(
          "Route template \"" + template + "\" must start with '/', e.g. \"/conversations/{id}\"");
    }
    String[] segments = segments(template);
    boolean rest = false;
    for (int i = 0; i < segments.length; i++) {
      String s = segments[i];
      boolean open = s.indexOf('{') >= 0 || s.indexOf('}') >= 0;
      boolean variable = s.length() > 2 && s.startsWith("{") && s.endsWith("}");
      if (open && !variable) {
        throw new IllegalArgumentException(
            "Route template \""
                + template
                + "\" has the segment \""
                + s
                + "\": a variable is a whole segment in braces, e.g. {id}");
      }
      if (variable && s.endsWith("...}")) {
        if (i != segments.length - 1) {
          throw new IllegalArgumentException(
              "Route template \""
                  + template
                  + "\" has "
                  + s
                  + " before its last segment: {name...} matches the rest of the path, so it"
                  + " must come last");
        }
        rest = true;
      }
    }
    return new Template(template, segments, rest);
  }

  private static String[] segments(String path) {
    List<String> out = new ArrayList<>();
    int i = 1;
    while (i <= path.length()) {
      int next = path.indexOf('/', i);
      if (next < 0) {
        next = path.length();
      }
      out.add(path.substring(i, next));
      i = next + 1;
    }
    if (path.equals("/")) {
      return new String[0];
    }
    return out.toArray(String[]::new);
  }

  @Override
  public @Nullable String route(String path) {
    if (path == null || path.isEmpty() || path.charAt(0) != '/') {
      return null;
    }
    for (Template t : templates) {
      if (matches(t, path)) {
        return t.text;
      }
    }
    return null;
  }

  private static boolean matches(Template t, String path) {
    String[] segments = t.segments;
    if (segments.length == 0) {
      return path.length() == 1;
    }
    int pos = 1;
    for (int i = 0; i < segments.length; i++) {
      if (pos > path.length()) {
        return false;
      }
      int end = path.indexOf('/', pos);
      if (end < 0) {
        end = path.length();
      }
      String s = segments[i];
      if (s.length() > 2 && s.charAt(0) == '{') {
        if (end == pos) {
          return false; // a variable needs a non-empty segment
        }
        if (t.rest && i == segments.length - 1) {
          return true;
        }
      } else if (end - pos != s.length() || !path.regionMatches(pos, s, 0, s.length())) {
        return false;
      }
      pos = end + 1;
    }
    // every segment matched: the path must end here
    return pos == path.length() + 1;
  }
}
