package com.aicompanion.monitoring.logging.internal;

/**
 * The cheap first pass of {@link SecretMasker}: one scan over the text that finds where a built-in
 * secret could start and answers which rules can match at all, plus the hand-written masking of
 * {@code key=value} pairs (whose regular expression would backtrack over every word).
 *
 * <pre>{@code
 * int rules = SecretTriggers.scan(text, maskEmails);   // 0 for almost every log line
 * if ((rules & SecretTriggers.PAIR) != 0) text = SecretTriggers.maskPairs(text, "****");
 * }</pre>
 *
 * <p>Only a few characters are looked at: pair keys are found backwards from their {@code =} or
 * {@code :}, authorization schemes backwards from the blank after them, token prefixes from a rare
 * character in them ({@code -}, {@code _}, {@code J}, {@code x}, {@code A}); every other character
 * costs one table look-up.
 */
final class SecretTriggers {
  static final int URL = 1;
  static final int AUTH = 1 << 1;
  static final int PAIR = 1 << 2;
  static final int JWT = 1 << 3;
  static final int SK = 1 << 4;
  static final int STRIPE = 1 << 5;
  static final int AWS = 1 << 6;
  static final int GITHUB = 1 << 7;
  static final int SLACK = 1 << 8;
  static final int GOOGLE = 1 << 9;
  static final int PEM = 1 << 10;
  static final int EMAIL = 1 << 11;

  /**
   * Keys whose value is a secret, compared ignoring case, grouped by their last letter; any text
   * may precede them ({@code client_secret}, {@code db.password}, {@code access_token}).
   */
  private static final String[] KEYS_D = {"password", "passwd", "pwd"};

  private static final String[] KEYS_Y = {
    "private_key", "secret_access_key", "api_key", "apikey", "api-key"
  };
  private static final String[] KEYS_T = {"secret"};
  private static final String[] KEYS_N = {"token"};

  private static final String[] AWS_PREFIXES = {"AKIA", "ASIA", "AGPA", "AIDA", "AROA"};

  private static final boolean[] INTERESTING = new boolean[128];

  static {
    for (char c : ":=@-_JxA \t\n\r\f\u000B".toCharArray()) {
      INTERESTING[c] = true;
    }
  }

  private SecretTriggers() {}

  /** The rules whose trigger occurs in {@code text}, as a bit set; 0 when none can match. */
  static int scan(String text, boolean emails) {
    int rules = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c >= 128 || !INTERESTING[c]) {
        continue;
      }
      switch (c) {
        case ':' -> {
          if (text.startsWith("//", i + 1) && text.indexOf('@', i + 3) > 0) {
            rules |= URL;
          }
          rules |= pairValueStart(text, i) >= 0 ? PAIR : 0;
        }
        case '=' -> rules |= pairValueStart(text, i) >= 0 ? PAIR : 0;
        case '@' -> rules |= emails ? EMAIL : 0;
        case '-' -> {
          if (i >= 2 && text.charAt(i - 1) == 'k' && text.charAt(i - 2) == 's') {
            rules |= SK;
          }
          rules |= text.startsWith("-----BEGIN ", i) ? PEM : 0;
        }
        case '_' -> rules |= underscore(text, i);
        case 'J' -> rules |= i >= 2 && text.startsWith("eyJ", i - 2) ? JWT : 0;
        case 'x' -> rules |= text.startsWith("xox", i) ? SLACK : 0;
        case 'A' -> rules |= upperA(text, i);
        default -> rules |= authBefore(text, i);
      }
    }
    return rules;
  }

  /**
   * {@code text} with the value of every {@code key=value}, {@code key: value} or {@code "key":
   * "value"} pair whose key ends in a secret name replaced by {@code mask}; the same instance when
   * there is none. The value runs to the next blank, quote, {@code &}, {@code ,}, {@code ;} or
   * {@code }}.
   */
  static String maskPairs(String text, String mask) {
    StringBuilder out = null;
    int copied = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      int start = c == '=' || c == ':' ? pairValueStart(text, i) : -1;
      if (start < 0) {
        continue;
      }
      int end = start;
      while (end < n && isValueChar(text.charAt(end))) {
        end++;
      }
      if (out == null) {
        out = new StringBuilder(n + mask.length());
      }
      out.append(text, copied, start).append(mask);
      copied = end;
      i = end - 1;
    }
    if (out == null) {
      return text;
    }
    return out.append(text, copied, n).toString();
  }

  /**
   * Where the value starts when the {@code =} or {@code :} at {@code separator} follows a secret
   * key (then an optional quote and blanks) and a value follows it (after blanks and an optional
   * quote); otherwise -1.
   */
  private static int pairValueStart(String text, int separator) {
    int k = separator - 1;
    while (k >= 0 && isBlank(text.charAt(k))) {
      k--;
    }
    if (k >= 0 && text.charAt(k) == '"') {
      k--;
    }
    if (k < 0 || !endsWithKey(text, k + 1)) {
      return -1;
    }
    int n = text.length();
    int start = separator + 1;
    while (start < n && isBlank(text.charAt(start))) {
      start++;
    }
    if (start < n && text.charAt(start) == '"') {
      start++;
    }
    return start < n && isValueChar(text.charAt(start)) ? start : -1;
  }

  /** Whether a secret key ends just before {@code end}. */
  private static boolean endsWithKey(String text, int end) {
    String[] keys =
        switch (text.charAt(end - 1)) {
          case 'd', 'D' -> KEYS_D;
          case 'y', 'Y' -> KEYS_Y;
          case 't', 'T' -> KEYS_T;
          case 'n', 'N' -> KEYS_N;
          default -> null;
        };
    if (keys == null) {
      return false;
    }
    for (String key : keys) {
      int start = end - key.length();
      if (start >= 0 && text.regionMatches(true, start, key, 0, key.length())) {
        return true;
      }
    }
    return false;
  }

  /** The blanks of {@code \s} in a regular expression. */
  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
  }

  private static boolean isValueChar(char c) {
    return !isBlank(c) && c != '"' && c != '&' && c != ',' && c != ';' && c != '}';
  }

  /** AUTH when the blank at {@code i} follows {@code bearer}, {@code basic} or {@code apikey}. */
  private static int authBefore(String text, int i) {
    if (i == 0) {
      return 0;
    }
    String scheme =
        switch (text.charAt(i - 1)) {
          case 'r', 'R' -> "bearer";
          case 'c', 'C' -> "basic";
          case 'y', 'Y' -> "apikey";
          default -> null;
        };
    int start = scheme == null ? -1 : i - scheme.length();
    return start >= 0 && text.regionMatches(true, start, scheme, 0, scheme.length()) ? AUTH : 0;
  }

  /** Stripe ({@code sk_live_}, {@code rk_test_}) and GitHub ({@code ghp_}, {@code github_pat_}). */
  private static int underscore(String text, int i) {
    int rules = 0;
    if (i >= 2
        && text.charAt(i - 1) == 'k'
        && (text.charAt(i - 2) == 's' || text.charAt(i - 2) == 'r')
        && (text.startsWith("live_", i + 1) || text.startsWith("test_", i + 1))) {
      rules |= STRIPE;
    }
    if (i >= 3 && text.startsWith("gh", i - 3) && "pousr".indexOf(text.charAt(i - 1)) >= 0) {
      rules |= GITHUB;
    }
    if (i >= 6 && text.startsWith("github", i - 6)) {
      rules |= GITHUB;
    }
    return rules;
  }

  /** AWS access key ids and Google API keys. */
  private static int upperA(String text, int i) {
    int rules = text.startsWith("AIza", i) ? GOOGLE : 0;
    for (String prefix : AWS_PREFIXES) {
      if (text.startsWith(prefix, i)) {
        rules |= AWS;
      }
    }
    return rules;
  }
}
