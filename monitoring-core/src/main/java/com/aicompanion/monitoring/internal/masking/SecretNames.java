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
  private static final String[] SHORT_WORDS = {"pwd", "pass", "pw", "sig", "auth", "creds", "otp"};

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

  /**
   * The letters (bit 0 = a) each secret word needs, without the words whose letters include
   * another's: a name without all the letters of one of them cannot be secret.
   */
  private static final int[] NEEDED_LETTERS = neededLetters();

  /**
   * Letters of which every secret word holds at least one (w, g, h, k, p, d, c, b), checked first:
   * most keys hold none.
   */
  private static final int ANY_NEEDED = anyNeeded();

  private static int anyNeeded() {
    int mask = letters("wghkpdcb");
    for (int needed : NEEDED_LETTERS) {
      if ((needed & mask) == 0) {
        throw new IllegalStateException("a secret word without any of wghkpdcb: fix ANY_NEEDED");
      }
    }
    return mask;
  }

  private static int[] neededLetters() {
    java.util.List<String> words = new java.util.ArrayList<>(java.util.List.of(CONTAINED));
    words.addAll(java.util.List.of(SHORT_WORDS));
    words.add("token");
    words.add("key");
    java.util.List<Integer> masks = new java.util.ArrayList<>();
    for (String word : words) {
      masks.add(letters(word));
    }
    java.util.List<Integer> minimal = new java.util.ArrayList<>();
    for (int mask : masks) {
      boolean covered = false;
      for (int other : masks) {
        if (other != mask && (mask & other) == other) {
          covered = true; // every name with mask's letters has other's: other suffices
          break;
        }
      }
      if (!covered && !minimal.contains(mask)) {
        minimal.add(mask);
      }
    }
    return minimal.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int letters(String word) {
    int mask = 0;
    for (int i = 0; i < word.length(); i++) {
      mask |= letterBit(word.charAt(i));
    }
    return mask;
  }

  /** The bit of a letter (either case) in a letter set; 0 for other characters. */
  public static int letterBit(char c) {
    int l = lower(c);
    return l >= 'a' && l <= 'z' ? 1 << (l - 'a') : 0;
  }

  /**
   * Whether a name whose letters are {@code letters} ({@link #letterBit} or-ed) can be secret: a
   * cheap first test before {@link #classify}, which most keys of a log line fail.
   */
  public static boolean mayBeSecret(int letters) {
    if ((letters & ANY_NEEDED) == 0) {
      return false; // status, user, size: none of the letters every secret word has one of
    }
    for (int needed : NEEDED_LETTERS) {
      if ((letters & needed) == needed) {
        return true;
      }
    }
    return false;
  }

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

  /** A name seen before and its verdict: keys repeat from line to line. */
  private record Known(String name, int kind) {}

  private static final Known[] KNOWN = new Known[1024];

  /** Names longer than this are not remembered. */
  private static final int KNOWN_MAX_LENGTH = 48;

  /**
   * NONE, SECRET or HEADER for the name {@code text[start, end)}, remembered for the names seen
   * last, so that the keys of every line ({@code status=}, {@code user=}) cost a hash and a
   * comparison; a name without letters is NONE at once. Allocates only for a name not seen before.
   */
  public static int classify(CharSequence text, int start, int end) {
    int length = end - start;
    if (length <= 0) {
      return NONE;
    }
    int hash = 0;
    boolean letters = false;
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      hash = 31 * hash + c;
      letters |= (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
    if (!letters) {
      return NONE;
    }
    if (length > KNOWN_MAX_LENGTH) {
      return classifyNow(text, start, end);
    }
    int slot = (hash ^ (hash >>> 16)) & (KNOWN.length - 1);
    Known known = KNOWN[slot];
    if (known != null && known.name.length() == length && regionEquals(known.name, text, start)) {
      return known.kind;
    }
    int kind = classifyNow(text, start, end);
    // replaced racily, which is harmless: an entry is immutable
    KNOWN[slot] = new Known(text.subSequence(start, end).toString(), kind);
    return kind;
  }

  private static boolean regionEquals(String name, CharSequence text, int start) {
    for (int k = 0; k < name.length(); k++) {
      if (name.charAt(k) != text.charAt(start + k)) {
        return false;
      }
    }
    return true;
  }

  private static int classifyNow(CharSequence text, int start, int end) {
    int kind = classifyWords(text, start, end);
    // a name that describes a secret without holding one (password_policy, signatureAlgorithm,
    // cookie_consent, pass_rate, auth_method): its last word says what the value is
    return kind == SECRET && lastWordIsOneOf(text, start, end, DESCRIPTORS) ? NONE : kind;
  }

  /**
   * Last words that make a secret-sounding name a property of the secret, not the secret: its
   * rules, size, kind, how it is made or checked, whether it is on.
   */
  private static final String[] DESCRIPTORS = {
    "policy",
    "policies",
    "length",
    "len",
    "algorithm",
    "algorithms",
    "alg",
    "algo",
    "type",
    "types",
    "method",
    "methods",
    "consent",
    "rate",
    "strength",
    "expiry",
    "expires",
    "expiration",
    "count",
    "format",
    "version",
    "scheme",
    "mode",
    "status"
  };

  /**
   * Whether the last word of {@code text[start, end)} (snake, kebab, dotted or camel case) is one
   * of {@code words}.
   */
  private static boolean lastWordIsOneOf(CharSequence text, int start, int end, String[] words) {
    int we = end;
    while (we > start && !isAlnum(text.charAt(we - 1))) {
      we--;
    }
    if (we == start) {
      return false;
    }
    int ws = we - 1;
    while (ws > start && isAlnum(text.charAt(ws - 1)) && !hump(text, ws, we)) {
      ws--;
    }
    return isOneOf(text, ws, we, words);
  }

  private static int classifyWords(CharSequence text, int start, int end) {
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
