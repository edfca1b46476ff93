package com.aicompanion.monitoring.tracing.internal;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in captured prompt and completion text, then truncates it. The masking happens
 * before truncation so that a secret cut in half is never half shown.
 *
 * <pre>{@code
 * PromptMasking masking = new PromptMasking(1000);
 * String safe = masking.apply("my key is sk-abc123abc123abc123"); // "my key is sk-****"
 * }</pre>
 *
 * <p>Covers API keys ({@code sk-...}), bearer tokens, JWTs, passwords in URLs and {@code
 * password=...}-style pairs. The logging module owns the project's masking policy; this is a small
 * copy of its rules so that tracing does not depend on logging.
 */
public final class PromptMasking {
  private static final String MASK = "****";

  private record Rule(Pattern pattern, String replacement) {}

  private static final List<Rule> RULES =
      List.of(
          // a JWT first: its parts would otherwise be taken for other tokens
          new Rule(
              Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*"),
              MASK),
          new Rule(Pattern.compile("(?i)\\b(bearer)\\s+[A-Za-z0-9._~+/=-]{8,}"), "$1 " + MASK),
          new Rule(Pattern.compile("\\b(sk-)[A-Za-z0-9_-]{8,}"), "$1" + MASK),
          new Rule(Pattern.compile("(?i)(://[^/\\s:@]+:)[^@\\s/]+@"), "$1" + MASK + "@"),
          new Rule(
              Pattern.compile(
                  "(?i)\\b(password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key)"
                      + "(\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s&,;]+)"),
              "$1$2" + MASK));

  private final int maxLength;

  /**
   * @param maxLength the longest text kept, in characters; longer text is cut and marked
   */
  public PromptMasking(int maxLength) {
    if (maxLength < 1) {
      throw new IllegalArgumentException("maxLength " + maxLength + " must be at least 1");
    }
    this.maxLength = maxLength;
  }

  /** The masked, truncated text; {@code null} stays {@code null}. */
  public String apply(String text) {
    if (text == null) {
      return null;
    }
    String masked = text;
    for (Rule rule : RULES) {
      Matcher m = rule.pattern.matcher(masked);
      if (m.find()) {
        masked = m.replaceAll(rule.replacement);
      }
    }
    if (masked.length() <= maxLength) {
      return masked;
    }
    return masked.substring(0, maxLength) + "...[truncated " + masked.length() + " chars]";
  }
}
