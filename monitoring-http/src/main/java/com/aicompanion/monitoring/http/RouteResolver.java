package com.aicompanion.monitoring.http;

import com.aicompanion.monitoring.http.internal.Templates;
import org.jspecify.annotations.Nullable;

/**
 * Maps a request path to its route template, the {@code uri} label of the HTTP metrics and the
 * {@code http.route} of the span.
 *
 * <pre>{@code
 * RouteResolver routes = RouteResolver.templates("/chat", "/conversations/{id}");
 * routes.route("/conversations/c-17");   // "/conversations/{id}"
 * routes.route("/favicon.ico");          // null: no route matched
 * }</pre>
 *
 * <p>A resolver must return a value from a small, fixed set (templates, never the raw path): the
 * metrics keep at most the monitor's cardinality limit of label sets and fold the rest into {@code
 * OTHER}. Null means that no route matched: the request is then recorded as {@code NOT_FOUND} for a
 * 404, {@code REDIRECTION} for a 3xx and {@code UNKNOWN} otherwise. Called on every request, from
 * many threads at once: it must be thread-safe and fast. An exception it throws is treated as "no
 * route matched", logged once and counted.
 */
@FunctionalInterface
public interface RouteResolver {
  /**
   * The route template of {@code path}, or null when no route matches.
   *
   * @param path the request path as received, without the query, e.g. {@code /conversations/c-17}
   */
  @Nullable String route(String path);

  /**
   * Templates matched segment by segment: a segment {@code {name}} matches any one non-empty
   * segment, {@code {name...}} as the last segment matches the rest of the path (one segment or
   * more), any other segment matches itself. The first matching template in the given order wins.
   *
   * @param templates each starting with {@code /}, e.g. {@code /conversations/{id}}
   * @throws IllegalArgumentException for a template that is blank, does not start with {@code /},
   *     has an unclosed brace, or puts {@code {name...}} before the last segment
   */
  static RouteResolver templates(String... templates) {
    return Templates.of(templates);
  }
}
