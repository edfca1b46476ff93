package com.aicompanion.monitoring;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The price table behind {@code llm_cost_usd_total}: US dollars per million input and output
 * tokens, per provider and model. A model matches its exact name, or a listed name followed by a
 * date, version or {@code -latest}: {@code gpt-4o-2024-08-06} is priced as {@code gpt-4o}, while
 * {@code gpt-4o-mini} needs its own line. Immutable: {@link #with} returns a copy.
 *
 * <pre>{@code
 * LlmPrices prices = LlmPrices.defaults().with("openai", "gpt-4.1", 2.00, 8.00);
 * }</pre>
 *
 * <p>The file format of {@code MONITORING_LLM_PRICES_FILE} is one line per model, {@code
 * provider/model = inputUsdPerMillion outputUsdPerMillion}, e.g. {@code openai/gpt-4o = 2.50
 * 10.00}. Provider names are matched case-insensitively.
 */
public final class LlmPrices {
  /** Prices of one model in US dollars per million tokens. */
  public record Price(double inputUsdPerMillion, double outputUsdPerMillion) {
    public Price {
      if (!(inputUsdPerMillion >= 0) || !(outputUsdPerMillion >= 0)) {
        throw new IllegalArgumentException(
            "LLM prices must be >= 0 US dollars per million tokens, got input "
                + inputUsdPerMillion
                + " and output "
                + outputUsdPerMillion);
      }
    }

    /** The cost in US dollars of one call. */
    public double cost(long inputTokens, long outputTokens) {
      return (inputTokens * inputUsdPerMillion + outputTokens * outputUsdPerMillion) / 1_000_000.0;
    }
  }

  /** What may follow a listed model name: a date or version, or "-latest". */
  private static final Pattern VERSION_SUFFIX = Pattern.compile("-(\\d.*|latest)");

  private static final LlmPrices DEFAULTS = builtIn();

  private final Map<String, Price> prices;

  private LlmPrices(Map<String, Price> prices) {
    this.prices = Map.copyOf(prices);
  }

  /**
   * A few widely used models at their list prices when this version was released; override them for
   * your contract with {@link #with} or a prices file.
   */
  public static LlmPrices defaults() {
    return DEFAULTS;
  }

  public static LlmPrices empty() {
    return new LlmPrices(Map.of());
  }

  /** This table plus {@code file} (see the class doc for the format); file entries win. */
  public LlmPrices withFile(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return withProperties(reader, file.toString());
    }
  }

  private LlmPrices withProperties(Reader reader, String source) throws IOException {
    Properties properties = new Properties();
    properties.load(reader);
    Map<String, Price> merged = new LinkedHashMap<>(prices);
    for (String name : properties.stringPropertyNames()) {
      String value = properties.getProperty(name).trim();
      String[] parts = value.split("[\\s,]+");
      int slash = name.indexOf('/');
      if (slash <= 0 || slash == name.length() - 1 || parts.length != 2) {
        throw new IllegalArgumentException(
            source
                + ": \""
                + name
                + " = "
                + value
                + "\" is not a price line; write provider/model = inputUsdPerMillion outputUsdPerMillion");
      }
      try {
        merged.put(
            key(name.substring(0, slash), name.substring(slash + 1)),
            new Price(Double.parseDouble(parts[0]), Double.parseDouble(parts[1])));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            source + ": the prices of " + name + " (\"" + value + "\") are not numbers", e);
      }
    }
    return new LlmPrices(merged);
  }

  /** This table with the price of {@code provider}/{@code model} set. */
  public LlmPrices with(
      String provider, String model, double inputUsdPerMillion, double outputUsdPerMillion) {
    if (provider == null || provider.isBlank() || model == null || model.isBlank()) {
      throw new IllegalArgumentException(
          "LLM price needs a provider and a model, got \"" + provider + "\" and \"" + model + "\"");
    }
    Map<String, Price> copy = new LinkedHashMap<>(prices);
    copy.put(key(provider, model), new Price(inputUsdPerMillion, outputUsdPerMillion));
    return new LlmPrices(copy);
  }

  /**
   * The price of {@code model} at {@code provider}: exact name, else a listed name plus a version.
   */
  public Optional<Price> find(String provider, String model) {
    if (provider == null || model == null) {
      return Optional.empty();
    }
    String exact = key(provider, model);
    Price price = prices.get(exact);
    if (price != null) {
      return Optional.of(price);
    }
    String best = null;
    for (String key : prices.keySet()) {
      if (exact.startsWith(key)
          && VERSION_SUFFIX.matcher(exact.substring(key.length())).matches()
          && (best == null || key.length() > best.length())) {
        best = key;
      }
    }
    return Optional.ofNullable(best == null ? null : prices.get(best));
  }

  private static String key(String provider, String model) {
    return provider.trim().toLowerCase(Locale.ROOT) + "/" + model.trim();
  }

  private static LlmPrices builtIn() {
    try (Reader reader =
        new java.io.InputStreamReader(
            LlmPrices.class.getResourceAsStream("llm-prices.properties"), StandardCharsets.UTF_8)) {
      return empty().withProperties(reader, "llm-prices.properties");
    } catch (IOException | RuntimeException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
