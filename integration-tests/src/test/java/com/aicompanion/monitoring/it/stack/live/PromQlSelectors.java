package com.aicompanion.monitoring.it.stack.live;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the vector selectors ({@code metric}, {@code metric{label="v"}}, {@code {__name__=~"x"}})
 * in a PromQL expression, so that each can be checked on its own with {@code count(<selector>)}.
 * Skips functions and aggregations (an identifier before {@code (}), keywords, label lists after
 * {@code by}/{@code without}/{@code on}/{@code ignoring}/{@code group_left}/{@code group_right},
 * range and subquery brackets, durations after {@code offset}, and string literals.
 */
final class PromQlSelectors {
  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "bool",
          "offset",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "inf",
          "nan",
          "atan2");
  private static final Set<String> AGGREGATIONS =
      Set.of(
          "sum",
          "min",
          "max",
          "avg",
          "group",
          "stddev",
          "stdvar",
          "count",
          "count_values",
          "bottomk",
          "topk",
          "quantile",
          "limitk",
          "limit_ratio");
  private static final Set<String> LABEL_LISTS =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

  private PromQlSelectors() {}

  /** The distinct selectors in {@code expr}, in order of appearance, matchers kept verbatim. */
  static List<String> of(String expr) {
    Set<String> found = new LinkedHashSet<>();
    int i = 0;
    int n = expr.length();
    while (i < n) {
      char c = expr.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipString(expr, i);
      } else if (c == '#') {
        while (i < n && expr.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '[') {
        i = skipTo(expr, i, ']');
      } else if (c == '{') {
        int end = skipTo(expr, i, '}');
        found.add(expr.substring(i, end));
        i = end;
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && isDigit(expr, i + 1))) {
        while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.')) {
          i++; // numbers, hex, 1e3, and durations such as 5m
        }
      } else if (isIdentStart(c)) {
        int start = i;
        while (i < n && isIdentPart(expr.charAt(i))) {
          i++;
        }
        String word = expr.substring(start, i);
        int next = skipSpace(expr, i);
        String lower = word.toLowerCase(java.util.Locale.ROOT);
        if (LABEL_LISTS.contains(lower)) {
          i = next < n && expr.charAt(next) == '(' ? skipTo(expr, next, ')') : next;
        } else if (lower.equals("offset")) {
          i = next;
          while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '-')) {
            i++;
          }
        } else if (KEYWORDS.contains(lower)
            || AGGREGATIONS.contains(lower)
            || (next < n && expr.charAt(next) == '(')) {
          i = next; // a keyword, or a function/aggregation name
        } else if (next < n && expr.charAt(next) == '{') {
          int end = skipTo(expr, next, '}');
          found.add(word + expr.substring(next, end));
          i = end;
        } else {
          found.add(word);
        }
      } else {
        i++;
      }
    }
    return List.copyOf(found);
  }

  /** The metric name of a selector, or its {@code __name__} matcher, or the selector itself. */
  static String metricName(String selector) {
    int brace = selector.indexOf('{');
    return brace > 0 ? selector.substring(0, brace) : selector;
  }

  private static boolean isDigit(String s, int i) {
    return Character.isDigit(s.charAt(i));
  }

  private static boolean isIdentStart(char c) {
    return Character.isLetter(c) || c == '_' || c == ':';
  }

  private static boolean isIdentPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == ':';
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /** The index after the {@code close} that ends the group opened at {@code open}. */
  private static int skipTo(String s, int open, char close) {
    char opener = s.charAt(open);
    int depth = 0;
    int i = open;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipString(s, i);
        continue;
      }
      if (c == opener) {
        depth++;
      } else if (c == close && --depth == 0) {
        return i + 1;
      }
      i++;
    }
    return s.length();
  }

  private static int skipString(String s, int open) {
    char quote = s.charAt(open);
    int i = open + 1;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\\' && quote != '`') {
        i += 2;
        continue;
      }
      if (c == quote) {
        return i + 1;
      }
      i++;
    }
    return s.length();
  }
}
