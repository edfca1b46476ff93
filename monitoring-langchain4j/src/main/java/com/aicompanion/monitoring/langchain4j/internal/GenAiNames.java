package com.aicompanion.monitoring.langchain4j.internal;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.model.ModelProvider;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** LangChain4j names in the OpenTelemetry GenAI conventions' spelling. */
final class GenAiNames {
  /**
   * By constant name, not a switch over the enum: a LangChain4j release that adds or drops a
   * provider must not break this class. Providers the conventions do not list keep their own name
   * in lower case.
   */
  private static final Map<String, String> PROVIDERS =
      Map.ofEntries(
          Map.entry("OPEN_AI", "openai"),
          Map.entry("ANTHROPIC", "anthropic"),
          Map.entry("AZURE_OPEN_AI", "azure.ai.openai"),
          Map.entry("MICROSOFT_FOUNDRY", "azure.ai.inference"),
          Map.entry("AMAZON_BEDROCK", "aws.bedrock"),
          Map.entry("GOOGLE_AI_GEMINI", "gcp.gemini"),
          Map.entry("GOOGLE_VERTEX_AI_GEMINI", "gcp.vertex_ai"),
          Map.entry("GOOGLE_VERTEX_AI_ANTHROPIC", "gcp.vertex_ai"),
          Map.entry("GOOGLE_GENAI", "gcp.gen_ai"),
          Map.entry("MISTRAL_AI", "mistral_ai"),
          Map.entry("WATSONX", "ibm.watsonx.ai"),
          Map.entry("COHERE", "cohere"),
          Map.entry("OTHER", "unknown"));

  private GenAiNames() {}

  static String provider(@Nullable ModelProvider provider) {
    if (provider == null) {
      return "unknown";
    }
    String known = PROVIDERS.get(provider.name());
    return known != null ? known : provider.name().toLowerCase(Locale.ROOT);
  }

  /**
   * The HTTP status of the provider's error answer when there is one in the cause chain
   * (LangChain4j wraps it, e.g. {@code RateLimitException} around a 429), else the error's class
   * name.
   */
  static String errorType(@Nullable Throwable error) {
    if (error == null) {
      return "_OTHER";
    }
    Throwable t = error;
    for (int depth = 0; t != null && depth < 16; depth++) {
      if (t instanceof HttpException http) {
        return Integer.toString(http.statusCode());
      }
      t = t.getCause() == t ? null : t.getCause();
    }
    return error.getClass().getName();
  }
}
