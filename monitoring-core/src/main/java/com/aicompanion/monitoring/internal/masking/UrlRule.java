package com.aicompanion.monitoring.internal.masking;

/**
 * The password of a URL's user information ({@code scheme://user:password@host}), also with an
 * empty user ({@code redis://:pw@cache}), an {@code @} or {@code /} inside the password, and any
 * scheme ({@code jdbc:mysql://}, {@code mongodb+srv://}).
 *
 * <pre>{@code
 * long span = UrlRule.password(text, colon);   // colon: the ':' of "://"; -1 when none
 * }</pre>
 *
 * <p>The host is found after the last {@code @} before the query, the fragment or a blank, as URL
 * parsers do. A {@code host:port/path@x} is not taken for a password: digits alone between the
 * colon and the first {@code /} are a port.
 */
final class UrlRule {
  private UrlRule() {}

  static long password(String text, int colon) {
    int n = text.length();
    if (colon + 2 >= n || text.charAt(colon + 1) != '/' || text.charAt(colon + 2) != '/') {
      return -1;
    }
    if (colon == 0 || !isSchemeChar(text.charAt(colon - 1))) {
      return -1;
    }
    int authority = colon + 3;
    // the colon between user and password comes before any '/', '?', '#' or '@'
    int userColon = -1;
    for (int j = authority; j < n; j++) {
      char c = text.charAt(j);
      if (c == ':') {
        userColon = j;
        break;
      }
      if (c == '/' || c == '?' || c == '#' || c == '@' || ends(c)) {
        return -1;
      }
    }
    if (userColon < 0) {
      return -1;
    }
    int lastAt = -1;
    int firstSlash = -1;
    for (int j = userColon + 1; j < n; j++) {
      char c = text.charAt(j);
      if (c == '?' || c == '#' || ends(c)) {
        break;
      }
      if (c == '@') {
        lastAt = j;
      } else if (c == '/' && firstSlash < 0) {
        firstSlash = j;
      }
    }
    if (lastAt <= userColon + 1) {
      return -1;
    }
    if (firstSlash >= 0 && firstSlash < lastAt && digitsOnly(text, userColon + 1, firstSlash)) {
      return -1; // host:port/path@x
    }
    return BuiltInRules.span(userColon + 1, lastAt, BuiltInRules.BARE);
  }

  private static boolean ends(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"' || c == '\'' || c == '<'
        || c == '>' || c == '`';
  }

  private static boolean digitsOnly(String text, int from, int to) {
    if (from >= to) {
      return false;
    }
    for (int j = from; j < to; j++) {
      char c = text.charAt(j);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean isSchemeChar(char c) {
    return SecretNames.isAlnum(c) || c == '+' || c == '.' || c == '-';
  }
}
