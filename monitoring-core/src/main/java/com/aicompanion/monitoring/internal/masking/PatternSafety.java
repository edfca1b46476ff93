package com.aicompanion.monitoring.internal.masking;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Pattern;

/**
 * Finds, in a user's masking pattern, the shape that makes {@code java.util.regex} recurse once per
 * repetition or backtrack exponentially: a group repeated by a greedy or lazy quantifier without a
 * small bound ({@code +}, {@code *}, {@code {n,}}, or a maximum over {@value #MAX_SAFE_REPEAT})
 * whose body is not of fixed shape, i.e. holds an alternation ({@code (?:\d|-)+}) or a
 * variable-length quantifier ({@code (a+)+}, {@code (?:x?y)*}). On a value of a few kilobytes such
 * a pattern throws {@code StackOverflowError} (measured: {@code ACCT-(?:\d|-)+} on 3 KB) or runs
 * for minutes.
 *
 * <pre>{@code
 * String problem = PatternSafety.problem(Pattern.compile("ACCT-(?:\\d|-)+"));   // null when safe
 * }</pre>
 *
 * <p>Safe forms, all linear and without recursion: a character class ({@code ACCT-[\d-]+}), a
 * possessive quantifier ({@code (?:\d|-)++}), an atomic group as the repeated unit ({@code
 * (?>\d|-)+}), a group of fixed shape ({@code (?:\d-)+}), a small bound ({@code (?:\d|-){1,50}}).
 * The check is syntactic and errs on the safe side; what it cannot see is caught at run time (see
 * {@code SecretMasking}).
 */
public final class PatternSafety {
  /** The largest maximum repeat count that keeps the recursion shallow. */
  static final int MAX_SAFE_REPEAT = 200;

  private PatternSafety() {}

  /** What is being parsed inside one group. */
  private static final class Group {
    final int start;
    final boolean atomic;
    boolean alternation;
    boolean variable;

    Group(int start, boolean atomic) {
      this.start = start;
      this.atomic = atomic;
    }
  }

  /** A quantifier: its bounds, whether possessive, and where it ends. */
  private record Quantifier(int start, int min, int max, boolean possessive, int end) {}

  /**
   * Null when {@code pattern} has no repeated group of the dangerous shape; else the rule and the
   * fix, to follow "the pattern X " in a message.
   */
  public static String problem(Pattern pattern) {
    if ((pattern.flags() & Pattern.LITERAL) != 0) {
      return null;
    }
    String re = pattern.pattern();
    int n = re.length();
    Deque<Group> stack = new ArrayDeque<>();
    Group top = new Group(0, false);
    int i = 0;
    while (i < n) {
      char c = re.charAt(i);
      switch (c) {
        case '\\' -> i = skipEscape(re, i);
        case '[' -> i = skipClass(re, i);
        case '(' -> {
          int header = groupHeader(re, i);
          if (header < 0) {
            // an inline flag group such as (?i): no content of its own
            i = re.indexOf(')', i) + 1;
            if (i == 0) {
              return null;
            }
          } else {
            stack.push(top);
            top = new Group(i, re.startsWith("(?>", i));
            i = header;
          }
        }
        case ')' -> {
          Group closed = top;
          top = stack.isEmpty() ? new Group(0, false) : stack.pop();
          i++;
          Quantifier q = quantifier(re, i);
          if (q != null) {
            boolean unbounded = q.max > MAX_SAFE_REPEAT;
            if (unbounded
                && !q.possessive
                && !closed.atomic
                && (closed.alternation || closed.variable)) {
              return describe(re, closed, q);
            }
            top.variable |= q.min != q.max;
            i = q.end;
          }
          top.variable |= closed.variable;
          top.alternation |= closed.alternation;
        }
        case '|' -> {
          top.alternation = true;
          i++;
        }
        case '*', '+', '?', '{' -> {
          Quantifier q = quantifier(re, i);
          if (q == null) {
            i++; // a '{' that is a literal
          } else {
            top.variable |= q.min != q.max;
            i = q.end;
          }
        }
        default -> i++;
      }
    }
    return null;
  }

  private static String describe(String re, Group group, Quantifier q) {
    String repeated = re.substring(group.start, q.end);
    String body = re.substring(group.start, q.start);
    String why =
        group.alternation
            ? "an alternation (|)"
            : "a quantifier of variable length (nested quantifiers such as (a+)+)";
    return "repeats the group "
        + repeated
        + ", which holds "
        + why
        + ", without a small bound: Java's regular expressions recurse once per repetition of"
        + " such a group (and may backtrack exponentially), so a value of a few kilobytes throws"
        + " StackOverflowError. Write the repeated part as a character class (e.g. [\\d-]+ for"
        + " (?:\\d|-)+), make the quantifier possessive ("
        + body
        + possessive(re, q)
        + "), or bound it to at most "
        + MAX_SAFE_REPEAT
        + " repetitions";
  }

  /** The quantifier made possessive, e.g. {@code +} -> {@code ++}. */
  private static String possessive(String re, Quantifier q) {
    String text = re.substring(q.start, q.end);
    if (text.endsWith("?")) {
      text = text.substring(0, text.length() - 1);
    }
    return text + "+";
  }

  /** Where the content of the group opened at {@code i} starts; -1 for an inline flag group. */
  private static int groupHeader(String re, int i) {
    if (!re.startsWith("(?", i)) {
      return i + 1;
    }
    if (i + 2 >= re.length()) {
      return i + 2;
    }
    char kind = re.charAt(i + 2);
    switch (kind) {
      case ':', '=', '!', '>':
        return i + 3;
      case '<':
        if (i + 3 < re.length() && (re.charAt(i + 3) == '=' || re.charAt(i + 3) == '!')) {
          return i + 4;
        }
        int close = re.indexOf('>', i + 3);
        return close < 0 ? i + 3 : close + 1;
      default:
        // (?flags) or (?flags:...)
        for (int j = i + 2; j < re.length(); j++) {
          char c = re.charAt(j);
          if (c == ')') {
            return -1;
          }
          if (c == ':') {
            return j + 1;
          }
        }
        return -1;
    }
  }

  private static Quantifier quantifier(String re, int i) {
    int n = re.length();
    if (i >= n) {
      return null;
    }
    int min;
    int max;
    int end;
    char c = re.charAt(i);
    if (c == '*') {
      min = 0;
      max = Integer.MAX_VALUE;
      end = i + 1;
    } else if (c == '+') {
      min = 1;
      max = Integer.MAX_VALUE;
      end = i + 1;
    } else if (c == '?') {
      min = 0;
      max = 1;
      end = i + 1;
    } else if (c == '{') {
      int close = re.indexOf('}', i);
      if (close < 0) {
        return null;
      }
      String inside = re.substring(i + 1, close);
      try {
        int comma = inside.indexOf(',');
        if (comma < 0) {
          min = Integer.parseInt(inside.trim());
          max = min;
        } else {
          min = Integer.parseInt(inside.substring(0, comma).trim());
          String upper = inside.substring(comma + 1).trim();
          max = upper.isEmpty() ? Integer.MAX_VALUE : Integer.parseInt(upper);
        }
      } catch (NumberFormatException e) {
        return null;
      }
      end = close + 1;
    } else {
      return null;
    }
    boolean possessive = false;
    if (end < n && re.charAt(end) == '+') {
      possessive = true;
      end++;
    } else if (end < n && re.charAt(end) == '?') {
      end++; // lazy: recurses like greedy
    }
    return new Quantifier(i, min, max, possessive, end);
  }

  private static int skipEscape(String re, int i) {
    int n = re.length();
    if (i + 1 >= n) {
      return n;
    }
    char c = re.charAt(i + 1);
    if (c == 'Q') {
      int end = re.indexOf("\\E", i + 2);
      return end < 0 ? n : end + 2;
    }
    if ((c == 'p' || c == 'P' || c == 'x' || c == 'N' || c == 'k')
        && i + 2 < n
        && (re.charAt(i + 2) == '{' || re.charAt(i + 2) == '<')) {
      int close = re.indexOf(re.charAt(i + 2) == '{' ? '}' : '>', i + 2);
      return close < 0 ? n : close + 1;
    }
    return i + 2;
  }

  private static int skipClass(String re, int i) {
    int n = re.length();
    int depth = 0;
    int j = i;
    while (j < n) {
      char c = re.charAt(j);
      if (c == '\\') {
        j += 2;
        continue;
      }
      if (c == '[') {
        depth++;
        // a ']' right after '[' or '[^' is a literal
        if (j + 1 < n && re.charAt(j + 1) == '^') {
          j++;
        }
        if (j + 1 < n && re.charAt(j + 1) == ']') {
          j++;
        }
      } else if (c == ']') {
        depth--;
        if (depth == 0) {
          return j + 1;
        }
      }
      j++;
    }
    return n;
  }
}
