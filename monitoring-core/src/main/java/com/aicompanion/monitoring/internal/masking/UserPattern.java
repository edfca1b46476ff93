package com.aicompanion.monitoring.internal.masking;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One user pattern ({@code mask.patterns}, {@code mask(regex)}): every match is replaced by the
 * mask. Runs only when its literal prefix (if it has one) occurs in the text, and reads the text
 * through a budget of character reads, so that a pattern that backtracks for too long stops with
 * {@link BudgetExceeded} instead of holding the logging thread.
 *
 * <pre>{@code
 * UserPattern p = UserPattern.of(Pattern.compile("CUST-\\d{6}"));
 * String out = p.apply("customer CUST-123456", "****");   // may throw: the caller catches
 * }</pre>
 */
public final class UserPattern {
  /** Character reads allowed per character of the text, on top of {@link #BASE_BUDGET}. */
  static final long READS_PER_CHAR = 1_000;

  static final long BASE_BUDGET = 10_000_000;

  private final Pattern pattern;
  private final String prefix;

  private UserPattern(Pattern pattern, String prefix) {
    this.pattern = pattern;
    this.prefix = prefix;
  }

  public static UserPattern of(Pattern pattern) {
    return new UserPattern(pattern, literalPrefix(pattern));
  }

  public Pattern pattern() {
    return pattern;
  }

  /**
   * {@code text} with every match replaced by {@code mask}; the same instance without one.
   *
   * @throws BudgetExceeded when matching reads more characters than the budget allows; any error of
   *     the regular expression engine (StackOverflowError) passes through too
   */
  public String apply(String text, String mask) {
    if (!prefix.isEmpty() && !text.contains(prefix)) {
      return text;
    }
    Budgeted input = new Budgeted(text, BASE_BUDGET + READS_PER_CHAR * text.length());
    Matcher m = pattern.matcher(input);
    if (!m.find()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    do {
      if (m.end() == m.start()) {
        continue; // an empty match hides nothing
      }
      out.append(text, copied, m.start()).append(mask);
      copied = m.end();
    } while (m.find());
    if (copied == 0) {
      return text;
    }
    return out.append(text, copied, text.length()).toString();
  }

  /**
   * The literal text every match of {@code pattern} starts with ({@code "CUST-"} for {@code
   * CUST-\d{6}}), or "" when there is none to rely on (flags, a class or group first).
   */
  static String literalPrefix(Pattern pattern) {
    String regex = pattern.pattern();
    if (pattern.flags() != 0 || regex.indexOf('|') >= 0) {
      return "";
    }
    int i = regex.startsWith("\\b") ? 2 : 0;
    StringBuilder prefix = new StringBuilder();
    for (; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if ("\\.[]{}()*+?^$|".indexOf(c) >= 0) {
        // a quantifier makes the previous character optional or repeated
        if ((c == '*' || c == '?' || c == '{') && prefix.length() > 0) {
          prefix.setLength(prefix.length() - 1);
        }
        break;
      }
      prefix.append(c);
    }
    return prefix.toString();
  }

  /** Thrown when a pattern has read its budget of characters. */
  public static final class BudgetExceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BudgetExceeded(long budget) {
      super("read more than " + budget + " characters", null, false, false);
    }
  }

  /** The text, read through a countdown of character reads. */
  private static final class Budgeted implements CharSequence {
    private final String text;
    private final long budget;
    private long left;

    Budgeted(String text, long budget) {
      this.text = text;
      this.budget = budget;
      this.left = budget;
    }

    @Override
    public char charAt(int index) {
      if (--left < 0) {
        throw new BudgetExceeded(budget);
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return text.subSequence(start, end);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
