package com.aicompanion.monitoring.logging.internal;

import com.fasterxml.jackson.core.JsonStreamContext;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.logstash.logback.mask.ValueMasker;

/**
 * The one masking policy, applied to the message, MDC, structured arguments and stack traces (as a
 * logstash-logback-encoder {@link ValueMasker}) and to Sentry events (through {@link #mask}).
 *
 * <pre>{@code
 * SecretMasker masker = SecretMasker.defaults(false, List.of(Pattern.compile("CUST-\\d{6}")));
 * masker.mask("key sk-proj-abc...xyz");   // "key ****"
 * }</pre>
 *
 * <p>Key/value pairs ({@code password=...}, {@code "token": "..."}) keep the key and lose the
 * value; whole-token secrets (API keys, JWTs, bearer tokens) are replaced by {@value #MASK}. A
 * field whose name says it holds a secret ({@code password}, {@code api_key}, ...) is masked whole.
 *
 * <p>Cost: almost every log line holds no secret, so {@link #mask(String)} first makes one pass
 * over the text looking for the few substrings every secret starts with (see {@link
 * SecretTriggers}); without one it returns the same instance, allocating nothing and running no
 * regular expression. Only the rules whose trigger was seen run, and their expressions use bounded
 * or possessive quantifiers so that no input makes them backtrack for long.
 */
public final class SecretMasker implements ValueMasker {
  public static final String MASK = "****";

  /** Keep group 1 (scheme, user and colon) and group 3 ({@code @}), mask group 2. */
  private static final Pattern URL_PASSWORD =
      Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]{0,31}+://[^:/@\\s]++:)([^@/\\s]++)(@)");

  private static final Pattern AUTH_HEADER =
      Pattern.compile("(?i)(\\b(?:bearer|basic|apikey)\\s++)([A-Za-z0-9._~+/=-]{8,}+)");

  private static final Pattern JWT =
      Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}+\\.[A-Za-z0-9_-]{5,}+\\.[A-Za-z0-9_-]{5,}+");
  // OpenAI, Anthropic and similar: sk-..., sk-proj-..., sk-ant-...
  private static final Pattern SK = Pattern.compile("\\bsk-[A-Za-z0-9_-]{16,}+");
  private static final Pattern STRIPE = Pattern.compile("\\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}+");
  private static final Pattern AWS =
      Pattern.compile("\\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\\b");
  private static final Pattern GITHUB =
      Pattern.compile("\\b(?:gh[pousr]_[A-Za-z0-9]{30,}+|github_pat_[A-Za-z0-9_]{30,}+)");
  private static final Pattern SLACK = Pattern.compile("\\bxox[abposr]-[A-Za-z0-9-]{10,}+");
  private static final Pattern GOOGLE = Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}");
  private static final Pattern PEM =
      Pattern.compile(
          "-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----[\\s\\S]*?-----END [A-Z ]{0,40}PRIVATE KEY-----");
  // local part and domain bounded as in RFC 5321, so a long run without a domain fails quickly
  private static final Pattern EMAIL =
      Pattern.compile("\\b[A-Za-z0-9._%+-]{1,64}+@[A-Za-z0-9.-]{1,253}\\.[A-Za-z]{2,24}+\\b");

  private final boolean maskEmails;
  private final List<UserPattern> userPatterns;
  private final FieldVerdict[] fieldVerdicts = new FieldVerdict[256];

  private SecretMasker(boolean maskEmails, List<UserPattern> userPatterns) {
    this.maskEmails = maskEmails;
    this.userPatterns = List.copyOf(userPatterns);
  }

  /**
   * The built-in policy, plus e-mail addresses when {@code maskEmails}, plus {@code extra} patterns
   * whose every match is replaced by {@value #MASK}.
   */
  public static SecretMasker defaults(boolean maskEmails, List<Pattern> extra) {
    List<UserPattern> user = new ArrayList<>();
    for (Pattern p : extra) {
      user.add(new UserPattern(p, literalPrefix(p)));
    }
    return new SecretMasker(maskEmails, user);
  }

  /** {@code text} with every secret masked; the same instance when nothing matched. */
  public String mask(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    int rules = SecretTriggers.scan(text, maskEmails);
    String out = text;
    if (rules != 0) {
      // URLs before pairs, so that "password@host" in a URL is handled as a URL
      if ((rules & SecretTriggers.URL) != 0) {
        out = replaceGroup(URL_PASSWORD, out);
      }
      if ((rules & SecretTriggers.AUTH) != 0) {
        out = replaceGroup(AUTH_HEADER, out);
      }
      if ((rules & SecretTriggers.PAIR) != 0) {
        out = SecretTriggers.maskPairs(out, MASK);
      }
      out = replaceIf(rules, SecretTriggers.JWT, JWT, out);
      out = replaceIf(rules, SecretTriggers.SK, SK, out);
      out = replaceIf(rules, SecretTriggers.STRIPE, STRIPE, out);
      out = replaceIf(rules, SecretTriggers.AWS, AWS, out);
      out = replaceIf(rules, SecretTriggers.GITHUB, GITHUB, out);
      out = replaceIf(rules, SecretTriggers.SLACK, SLACK, out);
      out = replaceIf(rules, SecretTriggers.GOOGLE, GOOGLE, out);
      out = replaceIf(rules, SecretTriggers.PEM, PEM, out);
      out = replaceIf(rules, SecretTriggers.EMAIL, EMAIL, out);
    }
    for (int i = 0; i < userPatterns.size(); i++) {
      UserPattern user = userPatterns.get(i);
      if (user.prefix.isEmpty() || out.contains(user.prefix)) {
        out = replaceAll(user.pattern, out);
      }
    }
    return out;
  }

  /** Whether a field called {@code name} holds a secret as a whole. Allocates nothing. */
  public static boolean isSecretField(String name) {
    if (name == null) {
      return false;
    }
    if (name.equalsIgnoreCase("authorization")) {
      return true;
    }
    int n = name.length();
    if (n >= 5 && name.regionMatches(true, n - 5, "token", 0, 5)) {
      return true;
    }
    for (int i = 0; i < n; i++) {
      switch (name.charAt(i)) {
        case 'p', 'P' -> {
          if (name.regionMatches(true, i, "password", 0, 8)
              || name.regionMatches(true, i, "passwd", 0, 6)) {
            return true;
          }
        }
        case 's', 'S' -> {
          if (name.regionMatches(true, i, "secret", 0, 6)) {
            return true;
          }
        }
        case 'a', 'A' -> {
          if (name.regionMatches(true, i, "api_key", 0, 7)
              || name.regionMatches(true, i, "apikey", 0, 6)
              || name.regionMatches(true, i, "api-key", 0, 7)) {
            return true;
          }
        }
        default -> {
          // no secret name starts here
        }
      }
    }
    return false;
  }

  @Override
  public Object mask(JsonStreamContext context, Object value) {
    String text;
    if (value instanceof String string) {
      text = string;
    } else if (value instanceof CharSequence chars) {
      text = chars.toString();
    } else {
      return null;
    }
    if (secretField(context.getCurrentName())) {
      return MASK;
    }
    String masked = mask(text);
    // identity, not equals: mask() returns the same instance when nothing matched
    return masked == text ? null : masked;
  }

  /**
   * {@link #isSecretField} through a small cache: field names repeat on every line. Slots are
   * replaced racily, which is harmless because an entry is immutable.
   */
  public boolean secretField(String name) {
    if (name == null) {
      return false;
    }
    int slot = name.hashCode() & (fieldVerdicts.length - 1);
    FieldVerdict verdict = fieldVerdicts[slot];
    if (verdict != null && verdict.name().equals(name)) {
      return verdict.secret();
    }
    boolean secret = isSecretField(name);
    fieldVerdicts[slot] = new FieldVerdict(name, secret);
    return secret;
  }

  private static String replaceIf(int rules, int rule, Pattern pattern, String text) {
    return (rules & rule) == 0 ? text : replaceAll(pattern, text);
  }

  private static String replaceAll(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    return m.find() ? m.replaceAll(MASK) : text;
  }

  private static String replaceGroup(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    if (!m.find()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    do {
      String tail = m.groupCount() >= 3 ? m.group(3) : "";
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + MASK + tail));
    } while (m.find());
    m.appendTail(out);
    return out.toString();
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

  private record FieldVerdict(String name, boolean secret) {}

  private record UserPattern(Pattern pattern, String prefix) {}
}
