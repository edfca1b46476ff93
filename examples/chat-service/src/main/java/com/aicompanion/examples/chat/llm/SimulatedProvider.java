package com.aicompanion.examples.chat.llm;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The default provider: no network, no key. It streams a plausible answer token by token with a
 * configurable time to first token, per-token latency and error rate, so that every metric, span
 * and dashboard panel has realistic data.
 *
 * <pre>{@code
 * LlmProvider llm = new SimulatedProvider(SimulatedProvider.Settings.defaults());
 * }</pre>
 */
public final class SimulatedProvider implements LlmProvider {
  private static final String[] WORDS =
      ("I hear you. Let us think it through together: what matters most to you right now is worth"
              + " a calm look, one step at a time, and I am here for the whole conversation.")
          .split(" ");

  /**
   * How the simulation behaves.
   *
   * @param firstToken mean time to the first token
   * @param perToken mean time between tokens
   * @param meanOutputTokens mean answer length in tokens
   * @param errorRate share of calls that fail, 0..1
   */
  public record Settings(
      String model,
      Duration firstToken,
      Duration perToken,
      int meanOutputTokens,
      double errorRate) {
    public Settings {
      if (errorRate < 0 || errorRate > 1) {
        throw new IllegalArgumentException("errorRate " + errorRate + " must be within [0, 1]");
      }
      if (meanOutputTokens < 1) {
        throw new IllegalArgumentException(
            "meanOutputTokens " + meanOutputTokens + " must be at least 1");
      }
    }

    public static Settings defaults() {
      return new Settings(
          "companion-sim-1", Duration.ofMillis(250), Duration.ofMillis(15), 60, 0.02);
    }
  }

  private final Settings settings;

  public SimulatedProvider(Settings settings) {
    this.settings = settings;
  }

  @Override
  public String name() {
    return "simulated";
  }

  @Override
  public String model() {
    return settings.model();
  }

  @Override
  public Completion complete(List<Message> messages, Consumer<String> onChunk) throws LlmException {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long inputTokens = 0;
    for (Message m : messages) {
      inputTokens += Math.max(1, m.content().length() / 4);
    }
    pause(jitter(settings.firstToken(), random));
    if (random.nextDouble() < settings.errorRate()) {
      String type = random.nextBoolean() ? "timeout" : "rate_limited";
      throw new LlmException(type, "simulated provider failure: " + type);
    }
    int tokens = Math.max(1, (int) (settings.meanOutputTokens() * (0.5 + random.nextDouble())));
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < tokens; i++) {
      String chunk = (i == 0 ? "" : " ") + WORDS[i % WORDS.length];
      text.append(chunk);
      onChunk.accept(chunk);
      if (i + 1 < tokens) {
        pause(jitter(settings.perToken(), random));
      }
    }
    return new Completion(text.toString(), inputTokens, tokens);
  }

  private static Duration jitter(Duration mean, ThreadLocalRandom random) {
    return Duration.ofNanos((long) (mean.toNanos() * (0.5 + random.nextDouble())));
  }

  private static void pause(Duration duration) throws LlmException {
    try {
      Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LlmException("cancelled", "interrupted while generating", e);
    }
  }
}
