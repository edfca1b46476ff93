package com.aicompanion.monitoring.internal.masking;

import static com.aicompanion.monitoring.internal.masking.BuiltInRules.BARE;
import static com.aicompanion.monitoring.internal.masking.BuiltInRules.MAX_KIND;
import static com.aicompanion.monitoring.internal.masking.BuiltInRules.afterEscape;
import static com.aicompanion.monitoring.internal.masking.BuiltInRules.isBlank;
import static com.aicompanion.monitoring.internal.masking.BuiltInRules.span;

/**
 * The pairs whose key names a secret: {@code key=value}, {@code key: value}, {@code "key": "value"}
 * (also inside escaped JSON), {@code key => value}, {@code <key>value</key>}, query parameters and
 * connection-string items. The key is read backwards from its separator and rejected by its letters
 * first ({@link SecretNames#mayBeSecret}); the whole value is masked: quoted to its closing quote,
 * a JSON number, array or object (then written as a quoted mask so that JSON stays valid), an
 * unquoted value to its delimiter, a header value to the end of the line.
 *
 * <pre>{@code
 * long span = PairRule.at(text, separator);   // -1, or the value as a span (BuiltInRules.span)
 * }</pre>
 */
final class PairRule {
  private PairRule() {}

  /** The longest key looked at behind a separator. */
  private static final int MAX_KEY = 128;

  // ---------------------------------------------------------------------------------------------
  // key=value, key: value, "key": "value"

  /** The value of the pair whose separator is at {@code p} when its key names a secret, else -1. */
  static long at(String text, int p) {
    int n = text.length();
    char sep = text.charAt(p);
    if (sep == '=') {
      char before = p > 0 ? text.charAt(p - 1) : ' ';
      if (before == '=' || before == '!' || before == '<' || before == '>') {
        return -1;
      }
      if (p + 1 < n && text.charAt(p + 1) == '=') {
        return -1;
      }
    } else if ((p + 1 < n && text.charAt(p + 1) == ':') || (p > 0 && text.charAt(p - 1) == ':')) {
      return -1;
    }
    // the key, backwards: blanks, an optional (escaped) quote, then key characters
    int k = p - 1;
    while (k >= 0 && isBlank(text.charAt(k))) {
      k--;
    }
    int quote = BARE;
    if (k >= 0 && (text.charAt(k) == '"' || text.charAt(k) == '\'')) {
      boolean doubleQuote = text.charAt(k) == '"';
      k--;
      int backslashes = 0;
      while (k >= 0 && text.charAt(k) == '\\') {
        backslashes++;
        k--;
      }
      quote = doubleQuote && backslashes < MAX_KIND ? backslashes + 1 : BARE;
    }
    int keyEnd = k + 1;
    int letters = 0;
    while (k >= 0 && keyEnd - k <= MAX_KEY) {
      char c = text.charAt(k);
      int bits = c < 128 ? KEY_CHAR_BITS[c] : 0;
      if (bits == 0) {
        break;
      }
      letters |= bits;
      k--;
    }
    if (!SecretNames.mayBeSecret(letters)) {
      return -1; // most keys: status=, user=, took=
    }
    int keyStart = k + 1;
    if (afterEscape(text, keyStart + 1)) {
      keyStart++; // "\nAuthorization: ...": the n belongs to the escaped line break
    }
    if (keyStart >= keyEnd) {
      return -1;
    }
    int kind = SecretNames.classify(text, keyStart, keyEnd);
    if (kind == SecretNames.NONE) {
      return -1;
    }
    int v = p + 1;
    if (sep == '=' && v < n && text.charAt(v) == '>') {
      v++; // key => value
    }
    while (v < n && isBlank(text.charAt(v))) {
      v++;
    }
    if (v >= n) {
      return -1;
    }
    int escapes = 0;
    while (v + escapes < n && text.charAt(v + escapes) == '\\' && escapes < 16) {
      escapes++;
    }
    char first = v + escapes < n ? text.charAt(v + escapes) : ' ';
    if (first == '"' || first == '\'' || (first == '`' && escapes == 0)) {
      // a quoted value, its quote escaped as the text around it is (\", \\\", ...)
      int from = v + escapes + 1;
      int close = closingQuote(text, from, first, escapes);
      return close > from ? span(from, close, BARE) : -1;
    }
    if (first == '{' || first == '[') {
      return span(v, closingBracket(text, v, quote == BARE ? 0 : quote - 1), quote);
    }
    int end;
    if (kind == SecretNames.HEADER && sep == ':') {
      end = headerValueEnd(text, v);
    } else if (listItem(text, keyStart, v)) {
      // a connection string or cookie list (Password=a b;Server=x): the value runs to ';'
      end = runTo(text, v, ";\n\r\"");
    } else {
      end = runTo(text, v, " \t\n\r\f\u000B\"'&,;}])<>|");
    }
    while (end > v && isBlank(text.charAt(end - 1))) {
      end--;
    }
    if (placeholder(text, v, end)) {
      return -1; // "password = ?" in a sanitized SQL statement holds no secret
    }
    return end > v ? span(v, end, quote) : -1;
  }

  /**
   * Whether {@code text[from, to)} is a bind placeholder of a prepared statement: {@code ?}, {@code
   * ?1} (JPA), {@code $1} (PostgreSQL). Such a value is kept so that a statement's shape stays
   * readable; a named {@code :param} is not treated so, since a secret may start with a colon.
   */
  static boolean placeholder(String text, int from, int to) {
    if (to - from < 1 || to - from > 4) {
      return false;
    }
    char first = text.charAt(from);
    if (first != '?' && first != '$') {
      return false;
    }
    if (to - from == 1) {
      return first == '?';
    }
    for (int i = from + 1; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the pair is an item of a {@code ;}-separated list: a {@code ;} before its key, or one
   * after its value with no other pair, quote or line break between.
   */
  private static boolean listItem(String text, int keyStart, int valueStart) {
    int b = keyStart - 1;
    while (b >= 0 && isBlank(text.charAt(b))) {
      b--;
    }
    if (b >= 0 && text.charAt(b) == ';') {
      return true;
    }
    int n = text.length();
    int limit = Math.min(n, valueStart + 1024);
    for (int j = valueStart; j < limit; j++) {
      switch (text.charAt(j)) {
        case ';':
          return true;
        case '=', '&', '"', '\'', '\n', '\r', ':':
          return false;
        default:
          break;
      }
    }
    return false;
  }

  /**
   * The end of an authorization or cookie header value: the end of the line, or a double quote that
   * closes the text around it (a JSON string, a shell argument). Quoted parameters ({@code
   * response="..."}, also escaped as {@code response=\"...\"}) are part of the value.
   */
  private static int headerValueEnd(String text, int from) {
    int n = text.length();
    int j = from;
    while (j < n) {
      char c = text.charAt(j);
      if (c == '\n' || c == '\r') {
        return j;
      }
      if (c == '\\' && j + 1 < n && (text.charAt(j + 1) == 'n' || text.charAt(j + 1) == 'r')) {
        return j - backslashesBefore(text, j, from); // an escaped line break ends the line too
      }
      if (c != '"') {
        j++;
        continue;
      }
      int escapes = backslashesBefore(text, j, from);
      if (j - escapes > from && text.charAt(j - escapes - 1) == '=') {
        // name="value": a quoted parameter, escaped as the text around it is
        int close = closingQuote(text, j + 1, '"', escapes);
        if (close + escapes >= n || text.charAt(close + escapes) != '"') {
          return close;
        }
        j = close + escapes + 1;
        continue;
      }
      return j - escapes;
    }
    return n;
  }

  private static int runTo(String text, int from, String stops) {
    int n = text.length();
    int j = from;
    while (j < n && stops.indexOf(text.charAt(j)) < 0) {
      j++;
    }
    return j;
  }

  /**
   * Where the content of a value quoted with {@code quote} ends: at the closing quote, or at the
   * backslashes that escape it when the value sits in escaped text ({@code escapes} backslashes
   * before each of its quotes: 1 inside a JSON string, 3 inside a JSON string inside a JSON
   * string). A quote preceded by {@code b} backslashes closes when {@code b % (2 * escapes + 2) ==
   * escapes}; others are quotes escaped inside the value. Else the end of the line or text.
   */
  private static int closingQuote(String text, int from, char quote, int escapes) {
    int n = text.length();
    for (int j = from; j < n; j++) {
      char c = text.charAt(j);
      if (c == '\n' || c == '\r') {
        return j;
      }
      if (c == quote && backslashesBefore(text, j, from) % (2 * escapes + 2) == escapes) {
        return j - escapes;
      }
    }
    return n;
  }

  private static int backslashesBefore(String text, int j, int from) {
    int count = 0;
    while (j - count - 1 >= from && text.charAt(j - count - 1) == '\\') {
      count++;
    }
    return count;
  }

  /**
   * One past the bracket that closes the one at {@code open}, else the end of the text; strings
   * (quoted as the text around them is, with {@code escapes} backslashes) are skipped.
   */
  private static int closingBracket(String text, int open, int escapes) {
    int n = text.length();
    int depth = 0;
    for (int j = open; j < n; j++) {
      char c = text.charAt(j);
      switch (c) {
        case '{', '[' -> depth++;
        case '}', ']' -> {
          depth--;
          if (depth == 0) {
            return j + 1;
          }
        }
        case '"' -> {
          if (backslashesBefore(text, j, open) == escapes) {
            j = closingQuote(text, j + 1, '"', escapes) + escapes;
          }
        }
        default -> {
          // part of the value
        }
      }
    }
    return n;
  }

  // ---------------------------------------------------------------------------------------------
  // <password>value</password>

  static long xmlElement(String text, int gt) {
    int k = gt - 1;
    int letters = 0;
    while (k >= 0 && isKeyChar(text.charAt(k)) && gt - k <= MAX_KEY) {
      letters |= SecretNames.letterBit(text.charAt(k));
      k--;
    }
    if (k < 0 || text.charAt(k) != '<' || k + 1 >= gt || !SecretNames.mayBeSecret(letters)) {
      return -1;
    }
    if (SecretNames.classify(text, k + 1, gt) == SecretNames.NONE) {
      return -1;
    }
    int end = runTo(text, gt + 1, "<");
    return end > gt + 1 ? span(gt + 1, end, BARE) : -1;
  }

  /**
   * Per ASCII character of a key: its letter's bit ({@link SecretNames#letterBit}), a bit of its
   * own for the other key characters (digits, {@code _ - . [ ] $}), 0 for the rest.
   */
  private static final int[] KEY_CHAR_BITS = new int[128];

  static {
    for (char c = 0; c < 128; c++) {
      if (isKeyChar(c)) {
        int letter = SecretNames.letterBit(c);
        KEY_CHAR_BITS[c] = letter != 0 ? letter : 1 << 30;
      }
    }
  }

  private static boolean isKeyChar(char c) {
    return SecretNames.isAlnum(c)
        || c == '_'
        || c == '-'
        || c == '.'
        || c == '['
        || c == ']'
        || c == '$';
  }
}
