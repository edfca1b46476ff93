package com.aicompanion.monitoring.internal.masking;

/**
 * Secrets recognisable by their own shape, wherever they appear: vendor tokens with a fixed prefix
 * ({@code sk-}, {@code ghp_}, {@code glpat-}, {@code xoxb-}, {@code AKIA}, {@code AIza}, {@code
 * SG.}, {@code npm_}, ...), JWTs, webhook URLs whose path is the secret, Azure AD client secrets.
 *
 * <pre>{@code
 * long span = TokenRules.at(text, i);   // -1, or the token starting at i (BuiltInRules.span)
 * }</pre>
 *
 * <p>{@link #at} is asked only at the start of a word (the character before is not a letter or
 * digit) that runs on for at least {@link #SHORTEST} characters, so ordinary words cost one table
 * look-up. A token is masked from its prefix to the end of its run of body characters, also when
 * the run is longer than the vendor's format, so that no tail is left.
 */
public final class TokenRules {
  /** Every token here is at least this long (prefix and body). */
  public static final int SHORTEST = 14;

  private static final boolean[] ALNUM = chars("A-Za-z0-9");
  private static final boolean[] ALNUM_US = chars("A-Za-z0-9_");
  private static final boolean[] ALNUM_DASH = chars("A-Za-z0-9-");
  private static final boolean[] ALNUM_DASH_US = chars("A-Za-z0-9_-");
  private static final boolean[] ALNUM_DOT_DASH_US = chars("A-Za-z0-9._-");
  private static final boolean[] ALNUM_DASH_US_EQ = chars("A-Za-z0-9_=-");
  private static final boolean[] BASE64 = chars("A-Za-z0-9+/=");
  private static final boolean[] BASE64_US = chars("A-Za-z0-9+/=_");
  private static final boolean[] HEX = chars("0-9a-fA-F");
  private static final boolean[] UPPER_DIGIT = chars("A-Z0-9");
  private static final boolean[] PATH = chars("A-Za-z0-9/_-");

  /** The characters a word of the run may hold, for the length check before {@link #at}. */
  public static final boolean[] RUN = chars("A-Za-z0-9._/+=-");

  private record Rule(String prefix, boolean[] body, int min, boolean keepPrefix) {}

  private static final Rule[] RULES = {
    // OpenAI (sk-, sk-proj-, sk-svcacct-, sk-admin-), Anthropic (sk-ant-), DeepSeek and others
    token("sk-", ALNUM_DASH_US, 16),
    // Stripe secret, restricted and webhook signing keys
    token("sk_live_", ALNUM, 16),
    token("sk_test_", ALNUM, 16),
    token("rk_live_", ALNUM, 16),
    token("rk_test_", ALNUM, 16),
    token("whsec_", ALNUM, 24),
    // GitHub
    token("ghp_", ALNUM, 30),
    token("gho_", ALNUM, 30),
    token("ghu_", ALNUM, 30),
    token("ghs_", ALNUM, 30),
    token("ghr_", ALNUM, 30),
    token("github_pat_", ALNUM_US, 30),
    // GitLab
    token("glpat-", ALNUM_DASH_US, 20),
    token("gldt-", ALNUM_DASH_US, 20),
    token("glrt-", ALNUM_DASH_US, 20),
    token("glptt-", ALNUM_DASH_US, 20),
    token("glsoat-", ALNUM_DASH_US, 20),
    token("glcbt-", ALNUM_DASH_US, 20),
    token("gloas-", ALNUM_DASH_US, 20),
    token("glft-", ALNUM_DASH_US, 20),
    token("glimt-", ALNUM_DASH_US, 20),
    token("glagent-", ALNUM_DASH_US, 20),
    // Slack
    token("xoxb-", ALNUM_DASH, 10),
    token("xoxp-", ALNUM_DASH, 10),
    token("xoxa-", ALNUM_DASH, 10),
    token("xoxo-", ALNUM_DASH, 10),
    token("xoxs-", ALNUM_DASH, 10),
    token("xoxr-", ALNUM_DASH, 10),
    token("xoxe-", ALNUM_DASH, 10),
    token("xoxe.", ALNUM_DOT_DASH_US, 10),
    token("xapp-", ALNUM_DASH, 10),
    // AWS access key ids (the secret access key has no shape: see the key names)
    token("AKIA", UPPER_DIGIT, 16),
    token("ASIA", UPPER_DIGIT, 16),
    token("AGPA", UPPER_DIGIT, 16),
    token("AIDA", UPPER_DIGIT, 16),
    token("AROA", UPPER_DIGIT, 16),
    token("ANPA", UPPER_DIGIT, 16),
    token("ANVA", UPPER_DIGIT, 16),
    token("AIPA", UPPER_DIGIT, 16),
    token("ABIA", UPPER_DIGIT, 16),
    token("ACCA", UPPER_DIGIT, 16),
    // Google API keys, OAuth client secrets and access tokens
    token("AIza", ALNUM_DASH_US, 35),
    token("GOCSPX-", ALNUM_DASH_US, 20),
    token("ya29.", ALNUM_DOT_DASH_US, 20),
    // SendGrid, Twilio API keys, npm, PyPI, Hugging Face
    token("SG.", ALNUM_DOT_DASH_US, 40),
    token("SK", HEX, 32),
    token("npm_", ALNUM, 36),
    token("pypi-", ALNUM_DASH_US, 50),
    token("hf_", ALNUM, 30),
    // Shopify, DigitalOcean, Mailgun, HashiCorp Vault
    token("shpat_", HEX, 32),
    token("shpss_", HEX, 32),
    token("shpca_", HEX, 32),
    token("shppa_", HEX, 32),
    token("dop_v1_", HEX, 64),
    token("doo_v1_", HEX, 64),
    token("dor_v1_", HEX, 64),
    token("key-", HEX, 32),
    token("hvs.", ALNUM_DASH_US, 24),
    token("hvb.", ALNUM_DASH_US, 24),
    token("hvr.", ALNUM_DASH_US, 24),
    // LLM providers without an sk- prefix: Groq, Replicate, Perplexity, xAI
    token("gsk_", ALNUM, 40),
    token("r8_", ALNUM, 30),
    token("pplx-", ALNUM, 40),
    token("xai-", ALNUM, 40),
    // Linear, Databricks, Atlassian, Grafana, Sentry, Doppler, Notion, age, Square, RubyGems
    token("lin_api_", ALNUM, 30),
    token("dapi", HEX, 32),
    token("ATATT", ALNUM_DASH_US_EQ, 50),
    token("glc_", BASE64, 32),
    token("glsa_", ALNUM_US, 32),
    token("sntrys_", BASE64_US, 50),
    token("sntryu_", HEX, 64),
    token("dp.pt.", ALNUM, 40),
    token("secret_", ALNUM, 40),
    token("ntn_", ALNUM, 40),
    token("AGE-SECRET-KEY-1", UPPER_DIGIT, 50),
    token("sq0atp-", ALNUM_DASH_US, 22),
    token("sq0csp-", ALNUM_DASH_US, 40),
    token("rubygems_", HEX, 48),
    // webhook URLs whose path is the credential: the host stays readable
    path("hooks.slack.com/services/", PATH, 20),
    path("hooks.slack.com/workflows/", PATH, 20),
    path("hooks.slack.com/triggers/", PATH, 20),
    path("discord.com/api/webhooks/", PATH, 20),
    path("discordapp.com/api/webhooks/", PATH, 20),
  };

  private static final Rule[][] BY_FIRST = new Rule[128][];

  /** The first two characters of every prefix (and of a JWT's eyJ), as first * 128 + second. */
  private static final boolean[] FIRST_TWO = new boolean[128 * 128];

  static {
    for (Rule rule : RULES) {
      FIRST_TWO[rule.prefix.charAt(0) * 128 + rule.prefix.charAt(1)] = true;
    }
    FIRST_TWO['e' * 128 + 'y'] = true;
  }

  static {
    for (char c = 0; c < 128; c++) {
      int count = 0;
      for (Rule rule : RULES) {
        count += rule.prefix.charAt(0) == c ? 1 : 0;
      }
      if (count > 0) {
        Rule[] rules = new Rule[count];
        int i = 0;
        for (Rule rule : RULES) {
          if (rule.prefix.charAt(0) == c) {
            rules[i++] = rule;
          }
        }
        BY_FIRST[c] = rules;
      }
    }
  }

  private TokenRules() {}

  /** Whether a token can start with {@code first} followed by {@code second}. */
  public static boolean canStartWith(char first, char second) {
    return first < 128 && second < 128 && FIRST_TWO[first * 128 + second];
  }

  /** Whether a token rule can start with {@code c}; {@code e} for JWTs. */
  public static boolean canStart(char c) {
    return c < 128 && (BY_FIRST[c] != null || c == 'e');
  }

  /**
   * The token that starts at {@code i} as a span ({@link BuiltInRules#span}), or -1. The caller has
   * checked that {@code i} starts a word.
   */
  public static long at(String text, int i) {
    char c = text.charAt(i);
    if (c == 'e') {
      return jwt(text, i);
    }
    Rule[] rules = BY_FIRST[c];
    if (rules == null) {
      return -1;
    }
    int n = text.length();
    for (Rule rule : rules) {
      String prefix = rule.prefix;
      if (!text.startsWith(prefix, i)) {
        continue;
      }
      int bodyStart = i + prefix.length();
      int j = bodyStart;
      while (j < n && in(rule.body, text.charAt(j))) {
        j++;
      }
      if (j - bodyStart >= rule.min) {
        return span(rule.keepPrefix ? bodyStart : i, j);
      }
    }
    return -1;
  }

  /**
   * A JSON Web Token (or JWE): {@code eyJ} and at least two more base64url parts joined by dots.
   */
  private static long jwt(String text, int i) {
    if (!text.startsWith("eyJ", i)) {
      return -1;
    }
    int n = text.length();
    int j = i;
    int parts = 0;
    while (true) {
      int partStart = j;
      while (j < n && in(ALNUM_DASH_US, text.charAt(j))) {
        j++;
      }
      int length = j - partStart;
      if (parts < 2 && length < 5) {
        return -1;
      }
      parts++;
      if (j < n && text.charAt(j) == '.' && parts < 5) {
        j++;
        continue;
      }
      break;
    }
    return parts >= 3 || (parts == 2 && text.charAt(j - 1) == '.') ? span(i, j) : -1;
  }

  /**
   * An Azure AD client secret ({@code xxx8Q~} and 31 to 34 more characters), found from its {@code
   * ~} at {@code tilde}; -1 when there is none.
   */
  public static long azureClientSecret(String text, int tilde, int floor) {
    if (tilde - floor < 5 || text.charAt(tilde - 1) != 'Q' || !isDigit(text.charAt(tilde - 2))) {
      return -1;
    }
    boolean[] body = AZURE;
    int start = tilde - 2;
    while (start > floor && in(body, text.charAt(start - 1)) && tilde - start < 8) {
      start--;
    }
    if (tilde - 2 - start < 3) {
      return -1;
    }
    int n = text.length();
    int j = tilde + 1;
    while (j < n && in(body, text.charAt(j))) {
      j++;
    }
    return j - tilde - 1 >= 31 ? span(start, j) : -1;
  }

  private static final boolean[] AZURE = chars("A-Za-z0-9_~.-");

  private static long span(int start, int end) {
    return BuiltInRules.span(start, end, BuiltInRules.BARE);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean in(boolean[] set, char c) {
    return c < 128 && set[c];
  }

  private static Rule token(String prefix, boolean[] body, int min) {
    return new Rule(prefix, body, min, false);
  }

  private static Rule path(String prefix, boolean[] body, int min) {
    return new Rule(prefix, body, min, true);
  }

  /** A set of ASCII characters written as ranges and single characters, e.g. {@code A-Za-z_-}. */
  static boolean[] chars(String spec) {
    boolean[] set = new boolean[128];
    for (int i = 0; i < spec.length(); i++) {
      char c = spec.charAt(i);
      if (i + 2 < spec.length() && spec.charAt(i + 1) == '-') {
        for (char x = c; x <= spec.charAt(i + 2); x++) {
          set[x] = true;
        }
        i += 2;
      } else {
        set[c] = true;
      }
    }
    return set;
  }
}
