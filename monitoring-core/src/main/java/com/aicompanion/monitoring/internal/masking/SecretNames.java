package com.aicompanion.monitoring.internal.masking;

/**
 * Whether a key or field name says that its value is a secret, in any spelling: {@code SECRET_KEY},
 * {@code db_password_hash}, {@code x-api-key}, {@code clientSecret}, {@code AWSAccessKeyId}, {@code
 * X-Amz-Signature}, {@code sig}. Allocates nothing.
 *
 * <pre>{@code
 * SecretNames.classify("clientSecret", 0, 12);   // SECRET
 * SecretNames.classify("Authorization", 0, 13);  // HEADER: the value runs to the end of the line
 * SecretNames.classify("input_tokens", 0, 12);   // NONE: a count, not a token
 * }</pre>
 *
 * <p>Two tests, both ignoring case: the name with every character but letters and digits removed
 * contains one of {@link #CONTAINED} ({@code "db.Password-Hash"} -> {@code dbpasswordhash}); or one
 * of its words (split at separators and camel-case humps) is a short secret word ({@code pwd},
 * {@code sig}, {@code auth}, ...), ends with {@code token} (unless the next word makes it a
 * statistic: {@code token_count}, {@code tokenType}), or is {@code key} after a word that does not
 * make it an ordinary key ({@code SECRET_KEY}, {@code signing-key} but not {@code cache_key}).
 */
public final class SecretNames {
  public static final int NONE = 0;
  public static final int SECRET = 1;

  /** A secret whose value is an HTTP header value: it runs to the end of the line. */
  public static final int HEADER = 2;

  /** Contained anywhere in the name reduced to lower-case letters and digits. */
  static final String[] CONTAINED = {
    "password",
    "passwd",
    "passphrase",
    "passcode",
    "secret",
    "apikey",
    "accesskey",
    "privatekey",
    "privkey",
    "accountkey",
    "signingkey",
    "encryptionkey",
    "masterkey",
    "clientkey",
    "licensekey",
    "subscriptionkey",
    "sessionkey",
    "storagekey",
    "authkey",
    "hmackey",
    "credential",
    "authorization",
    "signature",
    "cookie",
    "bearer",
    "sessionid",
    "sessid",
    "connectionstring",
    "jwt"
  };

  /** Whole names (reduced as above) whose value is a header value. */
  private static final String[] HEADERS = {
    "authorization", "proxyauthorization", "cookie", "setcookie"
  };

  /** Words that are secret by themselves. */
  private static final String[] SHORT_WORDS = {
    "pwd", "pass", "pw", "sig", "auth", "creds", "sas", "otp"
  };

  /** Words after {@code token} that make the name a statistic about tokens, not a token. */
  private static final String[] TOKEN_STATS = {
    "count", "counts", "usage", "limit", "limits", "type", "budget", "length", "len", "total",
    "totals", "size", "estimate", "index", "number", "num", "rate", "stats", "expires", "expiry",
    "expiration", "ttl", "lifetime", "kind", "cost", "costs", "price", "per"
  };

  /** Words before {@code key} that make it an ordinary key. */
  private static final String[] ORDINARY_KEYS = {
    "cache",
    "idempotency",
    "partition",
    "sort",
    "primary",
    "foreign",
    "routing",
    "group",
    "message",
    "object",
    "bucket",
    "lookup",
    "map",
    "dedup",
    "dedupe",
    "deduplication",
    "composite",
    "row",
    "shard",
    "sharding",
    "public",
    "i18n",
    "translation",
    "natural",
    "surrogate",
    "unique",
    "index",
    "hash",
    "range",
    "correlation",
    "request",
    "trace",
    "event",
    "entity",
    "resource",
    "redis",
    "kafka",
    "record",
    "item",
    "config",
    "setting",
    "field",
    "column",
    "attribute",
    "label",
    "tag",
    "metric",
    "json",
    "yaml",
    "dict",
    "registry",
    "lock",
    "join",
    "hot",
    "short",
    "sequence",
    "s3",
    "file",
    "queue",
    "topic",
    "stream",
    "job",
    "task",
    "state",
    "order",
    "region",
    "sort",
    "feature",
    "experiment",
    "flag",
    "template",
    "prompt",
    "model",
    "conversation",
    "user",
    "tenant"
  };

  private static final String[][] CONTAINED_BY_FIRST = new String[26][];

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      int count = 0;
      for (String word : CONTAINED) {
        count += word.charAt(0) == c ? 1 : 0;
      }
      if (count > 0) {
        String[] words = new String[count];
        int i = 0;
        for (String word : CONTAINED) {
          if (word.charAt(0) == c) {
            words[i++] = word;
          }
        }
        CONTAINED_BY_FIRST[c - 'a'] = words;
      }
    }
  }

  private SecretNames() {}

  /** {@link #classify(CharSequence, int, int)} of the whole name; NONE for null. */
  public static int classify(CharSequence name) {
    return name == null ? NONE : classify(name, 0, name.length());
  }

  /** NONE, SECRET or HEADER for the name {@code text[start, end)}. */
  public static int classify(CharSequence text, int start, int end) {
    boolean letters = false;
    for (int i = start; i < end; i++) {
      int c = lower(text.charAt(i));
      if (c < 'a' || c > 'z') {
        continue;
      }
      letters = true;
      String[] words = CONTAINED_BY_FIRST[c - 'a'];
      if (words == null) {
        continue;
      }
      for (String word : words) {
        if (containsAt(text, i, end, word)) {
          return isHeader(text, start, end) ? HEADER : SECRET;
        }
      }
    }
    return letters && secretWord(text, start, end) ? SECRET : NONE;
  }

  private static boolean isHeader(CharSequence text, int start, int end) {
    for (String header : HEADERS) {
      if (equalsReduced(text, start, end, header)) {
        return true;
      }
    }
    return false;
  }

  /** The word rules, over the words of {@code text[start, end)} without allocating. */
  private static boolean secretWord(CharSequence text, int start, int end) {
    int prevStart = -1;
    int prevEnd = -1;
    boolean pendingToken = false;
    int i = start;
    while (i < end) {
      while (i < end && !isAlnum(text.charAt(i))) {
        i++;
      }
      if (i >= end) {
        break;
      }
      int ws = i++;
      while (i < end && isAlnum(text.charAt(i)) && !hump(text, i, end)) {
        i++;
      }
      int we = i;
      if (pendingToken) {
        if (isOneOf(text, ws, we, TOKEN_STATS)) {
          pendingToken = false;
        } else {
          return true;
        }
      }
      if (endsWith(text, ws, we, "token")) {
        pendingToken = true;
      } else if (isOneOf(text, ws, we, SHORT_WORDS) || endsWith(text, ws, we, "pwd")) {
        return true;
      } else if ((equalsWord(text, ws, we, "key") || equalsWord(text, ws, we, "keys"))
          && prevStart >= 0
          && !isOneOf(text, prevStart, prevEnd, ORDINARY_KEYS)) {
        return true;
      }
      prevStart = ws;
      prevEnd = we;
    }
    return pendingToken;
  }

  /** A camel-case boundary before {@code i}: {@code aB}, or the last capital of {@code ABc}. */
  private static boolean hump(CharSequence text, int i, int end) {
    char c = text.charAt(i);
    char p = text.charAt(i - 1);
    if (isUpper(c) && isLower(p)) {
      return true;
    }
    return isUpper(c) && isUpper(p) && i + 1 < end && isLower(text.charAt(i + 1));
  }

  /** Whether {@code word} starts at {@code i}, skipping characters that are not letters/digits. */
  private static boolean containsAt(CharSequence text, int i, int end, String word) {
    int j = i;
    for (int k = 0; k < word.length(); k++) {
      while (j < end && !isAlnum(text.charAt(j))) {
        j++;
      }
      if (j >= end || lower(text.charAt(j)) != word.charAt(k)) {
        return false;
      }
      j++;
    }
    return true;
  }

  private static boolean equalsReduced(CharSequence text, int start, int end, String word) {
    int j = start;
    for (int k = 0; k < word.length(); k++) {
      while (j < end && !isAlnum(text.charAt(j))) {
        j++;
      }
      if (j >= end || lower(text.charAt(j)) != word.charAt(k)) {
        return false;
      }
      j++;
    }
    while (j < end && !isAlnum(text.charAt(j))) {
      j++;
    }
    return j == end;
  }

  private static boolean isOneOf(CharSequence text, int start, int end, String[] words) {
    for (String word : words) {
      if (equalsWord(text, start, end, word)) {
        return true;
      }
    }
    return false;
  }

  private static boolean equalsWord(CharSequence text, int start, int end, String word) {
    return end - start == word.length() && regionEquals(text, start, word);
  }

  private static boolean endsWith(CharSequence text, int start, int end, String word) {
    return end - start >= word.length() && regionEquals(text, end - word.length(), word);
  }

  private static boolean regionEquals(CharSequence text, int at, String word) {
    for (int k = 0; k < word.length(); k++) {
      if (lower(text.charAt(at + k)) != word.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  static int lower(char c) {
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
  }

  static boolean isAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private static boolean isUpper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  private static boolean isLower(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }
}
