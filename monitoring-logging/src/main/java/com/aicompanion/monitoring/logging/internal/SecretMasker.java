package com.aicompanion.monitoring.logging.internal;

import com.fasterxml.jackson.core.JsonStreamContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 */
public final class SecretMasker implements ValueMasker {
  public static final String MASK = "****";

  /** Pairs: group 1 is kept (key and separator), group 2 is the secret. */
  private static final String PAIR_KEYS =
      "(?:password|passwd|pwd|secret|client_secret|token|access_token|refresh_token|api_key|apikey"
          + "|api-key|aws_secret_access_key|private_key)";

  private static final Pattern PAIRS =
      Pattern.compile("(?i)(\"?\\b[\\w.-]*" + PAIR_KEYS + "\"?\\s*[=:]\\s*\"?)([^\\s\"&,;}]+)");

  private static final Pattern URL_PASSWORD =
      Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\\s]+:)([^@/\\s]+)(@)");

  private static final Pattern AUTH_HEADER =
      Pattern.compile("(?i)(\\b(?:bearer|basic|apikey)\\s+)([A-Za-z0-9._~+/=-]{8,})");

  private static final List<Pattern> TOKENS =
      List.of(
          // JSON web tokens: three base64url segments, header starting with {"
          Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}"),
          // OpenAI, Anthropic and similar: sk-..., sk-proj-..., sk-ant-...
          Pattern.compile("\\bsk-[A-Za-z0-9_-]{16,}"),
          // Stripe secret and restricted keys
          Pattern.compile("\\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}"),
          // AWS access key ids
          Pattern.compile("\\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\\b"),
          // GitHub tokens
          Pattern.compile("\\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})"),
          // Slack tokens
          Pattern.compile("\\bxox[abposr]-[A-Za-z0-9-]{10,}"),
          // Google API keys
          Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}"),
          // PEM private keys
          Pattern.compile(
              "-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?-----END [A-Z ]*PRIVATE KEY-----"));

  private static final Pattern EMAIL =
      Pattern.compile("\\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}\\b");

  private final List<Pattern> wholeTokens;

  private SecretMasker(List<Pattern> wholeTokens) {
    this.wholeTokens = List.copyOf(wholeTokens);
  }

  /**
   * The built-in policy, plus e-mail addresses when {@code maskEmails}, plus {@code extra} patterns
   * whose every match is replaced by {@value #MASK}.
   */
  public static SecretMasker defaults(boolean maskEmails, List<Pattern> extra) {
    List<Pattern> all = new ArrayList<>(TOKENS);
    if (maskEmails) {
      all.add(EMAIL);
    }
    all.addAll(extra);
    return new SecretMasker(all);
  }

  /** {@code text} with every secret masked; the same instance when nothing matched. */
  public String mask(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    // URLs before pairs, so that "password@host" in a URL is handled as a URL
    out = replaceGroup(URL_PASSWORD, out);
    out = replaceGroup(AUTH_HEADER, out);
    out = replaceGroup(PAIRS, out);
    for (Pattern p : wholeTokens) {
      Matcher m = p.matcher(out);
      if (m.find()) {
        out = m.replaceAll(MASK);
      }
    }
    return out;
  }

  /** Whether a field called {@code name} holds a secret as a whole. */
  public static boolean isSecretField(String name) {
    if (name == null) {
      return false;
    }
    String n = name.toLowerCase(Locale.ROOT);
    return n.contains("password")
        || n.contains("passwd")
        || n.contains("secret")
        || n.endsWith("token")
        || n.equals("authorization")
        || n.contains("api_key")
        || n.contains("apikey")
        || n.contains("api-key");
  }

  @Override
  public Object mask(JsonStreamContext context, Object value) {
    if (!(value instanceof CharSequence)) {
      return null;
    }
    if (isSecretField(context.getCurrentName())) {
      return MASK;
    }
    String text = value.toString();
    String masked = mask(text);
    return masked.equals(text) ? null : masked;
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
}
