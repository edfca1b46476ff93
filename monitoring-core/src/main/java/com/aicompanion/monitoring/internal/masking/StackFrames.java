package com.aicompanion.monitoring.internal.masking;

/**
 * Recognises the code location of a Java stack trace's frame line, {@code \tat
 * pkg.Class.method(File.java:42)} (also {@code (Native Method)} and {@code (Unknown Source)}),
 * which names code and never carries data, so that the masking pass skips it instead of looking at
 * every dot and colon: stack traces are the longest strings of a log. Logback's packaging data
 * after it ({@code ~[app.jar:1.0]}) is scanned as usual.
 *
 * <pre>{@code
 * int resume = StackFrames.frameEnd(text, afterTheAt);   // where scanning goes on, or -1
 * }</pre>
 *
 * <p>A line is a frame only when the method name is made of Java name characters ({@code
 * A-Za-z0-9_$./}, and {@code <init>} or {@code <clinit>} at its end) and holds a dot, and the
 * parentheses hold {@code Native Method}, {@code Unknown Source} or a source file name of the same
 * characters ending in {@code .java}, {@code .kt}, {@code .scala}, {@code .groovy} or {@code .clj},
 * with an optional {@code :line}. Anything else, a line made to look like a frame with a blank, a
 * {@code =}, a quote, an {@code @} or a {@code -} in it included, is scanned as ordinary text. One
 * check per character, no more than the masking pass itself would spend on a plain word.
 */
public final class StackFrames {
  private static final boolean[] NAME = TokenRules.chars("A-Za-z0-9_$./");
  private static final String[] EXTENSIONS = {".java", ".kt", ".scala", ".groovy", ".clj"};

  private StackFrames() {}

  /**
   * Whether {@code line} is exactly one frame as Java and Logback print it, {@code at
   * pkg.Class.method(File.java:42)}, with nothing before or after (no tab, no packaging data): a
   * line {@link BuiltInRules#mask} passes unscanned inside a stack trace.
   */
  public static boolean isFrame(String line) {
    return line.startsWith("at ") && frameEnd(line, 3) == line.length();
  }

  /**
   * Where scanning goes on after the frames that start at {@code from} (just after the first
   * frame's tab and {@code at}) and follow each other line by line; -1 when the first line is not a
   * frame.
   */
  static int framesEnd(String text, int from) {
    int end = frameEnd(text, from);
    int last = end;
    while (end >= 0 && text.startsWith("\n\tat ", end)) {
      last = end;
      end = frameEnd(text, end + 5);
    }
    return end >= 0 ? end : last;
  }

  /**
   * Where scanning goes on when the text from {@code from} (just after the tab and {@code at}) is a
   * frame: the end of the line (its line break, or the end of the text), or the blank before
   * Logback's packaging data; -1 when it is not a frame.
   */
  static int frameEnd(String text, int from) {
    int n = text.length();
    int open = span(text, from, n);
    if (open >= n) {
      return -1;
    }
    if (text.charAt(open) == '<') {
      // the constructor names <init> and <clinit> only, right before '('
      int length =
          text.startsWith("<init>(", open) ? 6 : text.startsWith("<clinit>(", open) ? 8 : -1;
      if (length < 0) {
        return -1;
      }
      open += length;
    }
    if (text.charAt(open) != '(' || open - from < 3) {
      return -1;
    }
    int dot = text.indexOf('.', from);
    if (dot < 0 || dot >= open) {
      return -1;
    }
    int inside = open + 1;
    int close;
    if (text.startsWith("Native Method)", inside)) {
      close = inside + 13;
    } else if (text.startsWith("Unknown Source)", inside)) {
      close = inside + 14;
    } else {
      int colon = span(text, inside, n);
      if (!hasExtension(text, inside, colon)) {
        return -1;
      }
      close = colon;
      if (close < n && text.charAt(close) == ':') {
        close++;
        while (close < n && text.charAt(close) >= '0' && text.charAt(close) <= '9') {
          close++;
        }
        if (close == colon + 1) {
          return -1;
        }
      }
      if (close >= n || text.charAt(close) != ')') {
        return -1;
      }
    }
    int after = close + 1;
    if (after == n || text.charAt(after) == '\n' || text.charAt(after) == '\r') {
      return after;
    }
    // " ~[app.jar:1.0]" or " [na:na]": short, and scanned as usual
    return text.startsWith(" ~[", after) || text.startsWith(" [", after) ? after : -1;
  }

  /** The first index from {@code from} whose character is not a Java name character. */
  private static int span(String text, int from, int n) {
    for (int j = from; j < n; j++) {
      char c = text.charAt(j);
      if (c >= 128 || !NAME[c]) {
        return j;
      }
    }
    return n;
  }

  private static boolean hasExtension(String text, int from, int to) {
    for (String extension : EXTENSIONS) {
      int start = to - extension.length();
      if (start > from && text.startsWith(extension, start)) {
        return true;
      }
    }
    return false;
  }
}
