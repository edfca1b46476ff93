package com.aicompanion.monitoring.internal.masking;

/**
 * The built-in masking rules in one pass over the text, without regular expressions: pairs whose
 * key names a secret ({@link PairRule}), passwords in URLs ({@link UrlRule}), {@code Bearer}/{@code
 * Basic}/{@code Token} credentials, PEM private keys, vendor tokens and JWTs ({@link TokenRules}),
 * and e-mail addresses on request; the code locations of stack frames are skipped ({@link
 * StackFrames}).
 *
 * <pre>{@code
 * String safe = BuiltInRules.mask("login password=\"a b\" ok", false);   // login password="****" ok
 * }</pre>
 *
 * <p>Cost: each character costs a table look-up; the rules run only where their trigger character
 * is ({@code =}, {@code :}, {@code >}, a blank, {@code -}, {@code ~}, {@code @}, or the first
 * letter of a long word). Text without a secret is returned as the same instance and nothing is
 * allocated. Every rule scans forward or backward a bounded or linear distance, so no input makes
 * it slow. Found secrets are collected as spans of the original text and replaced in one copy at
 * the end.
 */
public final class BuiltInRules {
  public static final String MASK = "****";

  /**
   * How a masked span is written: {@code BARE}, or (kind n > 0) in double quotes each preceded by n
   * - 1 backslashes, so that a JSON number, array or object replaced by the mask stays valid JSON
   * at its level of escaping ({@code "****"}, {@code \"****\"}, ...).
   */
  static final int BARE = 0;

  /** The deepest escaping written as quotes; deeper values are masked bare. */
  static final int MAX_KIND = 7;

  private static final String[] REPLACEMENTS = new String[MAX_KIND + 1];

  static {
    REPLACEMENTS[BARE] = MASK;
    for (int kind = 1; kind <= MAX_KIND; kind++) {
      String quote = "\\".repeat(kind - 1) + "\"";
      REPLACEMENTS[kind] = quote + MASK + quote;
    }
  }

  private static final byte TOKEN_START = 1;
  private static final byte TRIGGER = 2;
  private static final byte ALNUM = 4;
  private static final byte[] CLASS = new byte[128];

  static {
    for (char c = 0; c < 128; c++) {
      if (TokenRules.canStart(c)) {
        CLASS[c] |= TOKEN_START;
      }
      if (SecretNames.isAlnum(c)) {
        CLASS[c] |= ALNUM;
      }
    }
    for (char c : "=:>@ \t~-".toCharArray()) {
      CLASS[c] |= TRIGGER;
    }
  }

  private BuiltInRules() {}

  /** {@code text} with every secret the rules find masked; the same instance when none. */
  public static String mask(String text, boolean emails) {
    int n = text.length();
    if (n >= LIMIT) {
      return MASK;
    }
    int[] spans = null;
    int count = 0;
    int floor = 0; // the end of the last secret found: rules that look back stop there
    int word = 0; // where a word (and so maybe a token) starts and is still to be looked at, or -1
    int i = 0;
    while (true) {
      long found = -1;
      if (word >= 0) {
        if (word >= n) {
          break;
        }
        i = word;
        word = -1;
        char first = text.charAt(i);
        if (first < 128 && (CLASS[first] & TOKEN_START) != 0) {
          found = tokenAt(text, i, first);
        }
      }
      if (found < 0) {
        // the rest of the word at once: letters and digits are most of the text
        i = wordEnd(text, i, n);
        if (i >= n) {
          break;
        }
        char c = text.charAt(i);
        if (c < 128 && (CLASS[c] & TRIGGER) != 0) {
          found = trigger(text, i, c, emails, floor);
          if (found == SKIP_LINE) {
            int lineEnd = StackFrames.framesEnd(text, i + 4);
            found = -1;
            if (lineEnd > 0) {
              i = lineEnd; // a stack frame: a code location, not data
              continue;
            }
          }
        }
        if (found < 0) {
          // a separator: a word starts after it, also after an escape such as \n in escaped text
          word = c == '\\' && afterEscape(text, i + 2) ? i + 2 : i + 1;
          continue;
        }
      }
      int start = start(found);
      int end = end(found);
      int kind = kind(found);
      if (spans == null) {
        spans = new int[12];
      } else if (count * 3 == spans.length) {
        spans = java.util.Arrays.copyOf(spans, spans.length * 2);
      }
      spans[count * 3] = start;
      spans[count * 3 + 1] = end;
      spans[count * 3 + 2] = kind;
      count++;
      // scanning goes on after the secret (never backwards, so it always advances)
      int next = Math.max(end, i + 1);
      floor = Math.max(floor, end);
      if (!SecretNames.isAlnum(text.charAt(next - 1)) || afterEscape(text, next)) {
        word = next;
      } else {
        i = next;
      }
    }
    return spans == null ? text : replace(text, spans, count);
  }

  /** {@link #trigger}'s answer for a tab that may start a stack frame line. */
  private static final long SKIP_LINE = -2;

  private static long trigger(String text, int i, char c, boolean emails, int floor) {
    switch (c) {
      case '=':
        return PairRule.at(text, i);
      case ' ':
        // most blanks follow an ordinary word: only bearer, basic, token, apikey can matter
        return i > 0 && SCHEME_END[text.charAt(i - 1) & 0x7f] ? authScheme(text, i) : -1;
      case ':':
        if (i + 1 < text.length() && text.charAt(i + 1) == '/') {
          long url = UrlRule.password(text, i);
          if (url >= 0) {
            return url;
          }
        }
        return PairRule.at(text, i);
      case '\t':
        // "\tat pkg.Class.method(File.java:42)" at the start of a line: maybe a stack frame
        if (text.startsWith("at ", i + 1) && (i == 0 || text.charAt(i - 1) == '\n')) {
          return SKIP_LINE;
        }
        return i > 0 && SCHEME_END[text.charAt(i - 1) & 0x7f] ? authScheme(text, i) : -1;
      case '>':
        return PairRule.xmlElement(text, i);
      case '-':
        return pem(text, i);
      case '~':
        return TokenRules.azureClientSecret(text, i, floor);
      case '@':
        return emails ? email(text, i, floor) : -1;
      default:
        return -1;
    }
  }

  private static final boolean[] ALNUMS = TokenRules.chars("A-Za-z0-9");

  /** The last letters of bearer, basic, token and apikey. */
  private static final boolean[] SCHEME_END = TokenRules.chars("rRcCnNyY");

  /** The first index from {@code i} that is not an ASCII letter or digit. */
  private static int wordEnd(String text, int i, int n) {
    while (i < n) {
      char c = text.charAt(i);
      if (c >= 128 || !ALNUMS[c]) {
        return i;
      }
      i++;
    }
    return n;
  }

  /** The token starting at {@code i} (a word start whose first character is {@code c}), or -1. */
  private static long tokenAt(String text, int i, char c) {
    if (c >= 128 || (CLASS[c] & TOKEN_START) == 0) {
      return -1;
    }
    char second = i + 1 < text.length() ? text.charAt(i + 1) : ' ';
    if (!TokenRules.canStartWith(c, second) || !longRun(text, i)) {
      return -1;
    }
    return TokenRules.at(text, i);
  }

  /** Whether the run of token characters from {@code i} is long enough to hold any token. */
  private static boolean longRun(String text, int i) {
    int n = text.length();
    int limit = Math.min(n, i + TokenRules.SHORTEST);
    for (int j = i; j < limit; j++) {
      if (!TokenRules.in(TokenRules.RUN, text.charAt(j))) {
        return false;
      }
    }
    return limit - i == TokenRules.SHORTEST;
  }

  // ---------------------------------------------------------------------------------------------
  // Bearer / Basic / Token / ApiKey credentials

  private static final String[] SCHEMES = {"bearer", "basic", "token", "apikey"};

  /** The credential after an authorization scheme word that ends just before the blank at i. */
  private static long authScheme(String text, int blank) {
    String scheme =
        switch (blank == 0 ? ' ' : text.charAt(blank - 1)) {
          case 'r', 'R' -> SCHEMES[0];
          case 'c', 'C' -> SCHEMES[1];
          case 'n', 'N' -> SCHEMES[2];
          case 'y', 'Y' -> SCHEMES[3];
          default -> null;
        };
    if (scheme == null) {
      return -1;
    }
    int start = blank - scheme.length();
    if (start < 0
        || !text.regionMatches(true, start, scheme, 0, scheme.length())
        || (start > 0
            && SecretNames.isAlnum(text.charAt(start - 1))
            && !afterEscape(text, start))) {
      return -1;
    }
    int n = text.length();
    int v = blank;
    while (v < n && isBlank(text.charAt(v))) {
      v++;
    }
    int j = v;
    boolean notOnlyLetters = false;
    while (j < n && TokenRules.in(CREDENTIAL, text.charAt(j))) {
      char c = text.charAt(j);
      notOnlyLetters |= !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z');
      j++;
    }
    int length = j - v;
    // "Bearer authentication failed" names no credential; real ones carry digits or symbols
    return length >= 8 && (notOnlyLetters || length >= 20) ? span(v, j, BARE) : -1;
  }

  private static final boolean[] CREDENTIAL = TokenRules.chars("A-Za-z0-9._~+/=-");

  // ---------------------------------------------------------------------------------------------
  // -----BEGIN ... PRIVATE KEY----- ... -----END ... PRIVATE KEY-----

  private static long pem(String text, int i) {
    if (!text.startsWith("-----BEGIN ", i)) {
      return -1;
    }
    int headerEnd = text.indexOf("-----", i + 11);
    if (headerEnd < 0 || headerEnd - i > 80) {
      return -1;
    }
    int privateKey = text.indexOf("PRIVATE KEY", i + 11);
    if (privateKey < 0 || privateKey > headerEnd) {
      return -1;
    }
    int end = text.indexOf("-----END ", headerEnd + 5);
    if (end < 0) {
      return span(i, text.length(), BARE);
    }
    int close = text.indexOf("-----", end + 9);
    return span(i, close < 0 ? text.length() : close + 5, BARE);
  }

  // ---------------------------------------------------------------------------------------------
  // e-mail addresses

  private static final boolean[] LOCAL = TokenRules.chars("A-Za-z0-9._%+-");
  private static final boolean[] DOMAIN = TokenRules.chars("A-Za-z0-9.-");

  private static long email(String text, int at, int floor) {
    int start = at;
    while (start > floor && TokenRules.in(LOCAL, text.charAt(start - 1)) && at - start < 64) {
      start--;
    }
    if (start == at) {
      return -1;
    }
    int n = text.length();
    int end = at + 1;
    while (end < n && TokenRules.in(DOMAIN, text.charAt(end)) && end - at <= 253) {
      end++;
    }
    while (end > at + 1 && (text.charAt(end - 1) == '.' || text.charAt(end - 1) == '-')) {
      end--;
    }
    int dot = text.lastIndexOf('.', end - 1);
    if (dot <= at + 1 || end - dot - 1 < 2) {
      return -1;
    }
    for (int j = dot + 1; j < end; j++) {
      char c = text.charAt(j);
      if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z')) {
        return -1;
      }
    }
    return span(start, end, BARE);
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * A found secret as one {@code long}: the kind in bits 60-62, the start in bits 30-59, the end in
   * bits 0-29 (texts are shorter than 2^30 characters: {@link #mask} masks longer ones whole).
   */
  static long span(int start, int end, int kind) {
    return ((long) kind << 60) | ((long) start << 30) | end;
  }

  static int start(long span) {
    return (int) ((span >>> 30) & LIMIT_MASK);
  }

  static int end(long span) {
    return (int) (span & LIMIT_MASK);
  }

  static int kind(long span) {
    return (int) (span >>> 60);
  }

  /** The longest text the rules scan; longer texts are masked whole. */
  public static final int LIMIT = 1 << 30;

  private static final long LIMIT_MASK = LIMIT - 1;

  /**
   * Whether {@code i} follows an escape sequence such as {@code \n} or {@code \t} in escaped text
   * (a JSON string), so that a word starts there although a letter precedes it.
   */
  static boolean afterEscape(String text, int i) {
    if (i < 2 || i > text.length() || text.charAt(i - 2) != '\\') {
      return false;
    }
    char c = text.charAt(i - 1);
    return c == 'n' || c == 't' || c == 'r' || c == 'b' || c == 'f';
  }

  static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  /** The spans (start, end, kind triples) merged where they overlap, each replaced once. */
  private static String replace(String text, int[] spans, int count) {
    // spans come almost sorted (only e-mail and Azure secrets reach back): insertion sort
    for (int a = 1; a < count; a++) {
      int s = spans[a * 3];
      int e = spans[a * 3 + 1];
      int k = spans[a * 3 + 2];
      int b = a - 1;
      while (b >= 0 && spans[b * 3] > s) {
        spans[(b + 1) * 3] = spans[b * 3];
        spans[(b + 1) * 3 + 1] = spans[b * 3 + 1];
        spans[(b + 1) * 3 + 2] = spans[b * 3 + 2];
        b--;
      }
      spans[(b + 1) * 3] = s;
      spans[(b + 1) * 3 + 1] = e;
      spans[(b + 1) * 3 + 2] = k;
    }
    StringBuilder out = new StringBuilder(text.length() + 8 * count);
    int copied = 0;
    int a = 0;
    while (a < count) {
      int start = spans[a * 3];
      int end = spans[a * 3 + 1];
      int kind = spans[a * 3 + 2];
      a++;
      while (a < count && spans[a * 3] < end) {
        end = Math.max(end, spans[a * 3 + 1]);
        a++;
      }
      start = Math.max(start, copied);
      if (end <= start) {
        continue;
      }
      out.append(text, copied, start).append(REPLACEMENTS[kind]);
      copied = end;
    }
    return out.append(text, copied, text.length()).toString();
  }
}
