package com.aicompanion.monitoring;

/**
 * The one JSON string escaper of the library's modules, for the little JSON they write without a
 * JSON library (health+json documents, Alertmanager alerts, GenAI span attributes).
 *
 * <pre>{@code
 * StringBuilder out = new StringBuilder();
 * JsonStrings.quote("say \"hi\"\n", out);   // "say \"hi\"\n" with the quote and newline escaped
 * }</pre>
 *
 * <p>Escapes per RFC 8259 section 7: the quotation mark, the reverse solidus and every control
 * character below U+0020 (the short forms where JSON has them), plus U+2028 and U+2029, which break
 * JavaScript consumers. Everything else is written as is (UTF-8 on the wire).
 */
public final class JsonStrings {
  private JsonStrings() {}

  /**
   * Appends {@code text} as a quoted JSON string to {@code out}.
   *
   * @param text never null
   */
  public static void quote(String text, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** {@code text} as a quoted JSON string; see {@link #quote(String, StringBuilder)}. */
  public static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2);
    quote(text, out);
    return out.toString();
  }
}
