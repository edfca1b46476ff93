package com.aicompanion.examples.chat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the chat API at a steady rate so that dashboards fill within a minute: 50 conversations, a
 * quarter of the requests streaming, questions repeating often enough to hit the cache, a few
 * conversation reads and 404s. Loopback only; stops by itself after the duration.
 *
 * <pre>{@code
 * java -jar chat-service.jar --load 20,60s
 * }</pre>
 */
public final class LoadGenerator {
  private static final Logger LOG = LoggerFactory.getLogger(LoadGenerator.class);
  private static final String[] QUESTIONS = {
    "How can I sleep better?", "Tell me something kind.", "I feel stressed about work.",
    "What should I cook tonight?", "Help me plan my week.", "How do I start running?",
    "Can you remind me to breathe?", "What is a good book to read?"
  };

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();

  public LoadGenerator(int port) {
    this.base = URI.create("http://127.0.0.1:" + port);
  }

  /** Parses {@code rps,duration}, e.g. {@code 20,60s} or {@code 5,2m}. */
  public static long[] parse(String spec) {
    String[] parts = spec.split(",");
    if (parts.length != 2) {
      throw new IllegalArgumentException("--load " + spec + " must be rps,duration, e.g. 20,60s");
    }
    try {
      long rps = Long.parseLong(parts[0].trim());
      String d = parts[1].trim().toLowerCase(java.util.Locale.ROOT);
      long seconds =
          d.endsWith("m")
              ? Long.parseLong(d.substring(0, d.length() - 1)) * 60
              : Long.parseLong(d.endsWith("s") ? d.substring(0, d.length() - 1) : d);
      if (rps < 1 || rps > 1000 || seconds < 1 || seconds > 86_400) {
        throw new IllegalArgumentException(
            "--load " + spec + ": rps must be 1..1000 and duration 1s..24h");
      }
      return new long[] {rps, seconds};
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--load " + spec + " must be rps,duration, e.g. 20,60s", e);
    }
  }

  /** Sends {@code rps} requests per second for {@code duration}, then reports the statuses. */
  public Map<Integer, LongAdder> run(long rps, Duration duration) throws InterruptedException {
    ExecutorService workers = Executors.newFixedThreadPool((int) Math.min(64, rps * 2));
    var ticker = Executors.newSingleThreadScheduledExecutor();
    ticker.scheduleAtFixedRate(
        () -> workers.execute(this::oneRequest), 0, 1_000_000 / rps, TimeUnit.MICROSECONDS);
    ticker.awaitTermination(duration.toMillis(), TimeUnit.MILLISECONDS);
    ticker.shutdownNow();
    workers.shutdown();
    workers.awaitTermination(2, TimeUnit.MINUTES);
    LOG.info("Load finished: responses by status {}", statuses);
    return statuses;
  }

  private void oneRequest() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String conversation = "conv-" + random.nextInt(50);
    HttpRequest request;
    int dice = random.nextInt(100);
    if (dice < 8) {
      request = HttpRequest.newBuilder(base.resolve("/conversations/" + conversation)).build();
    } else if (dice < 10) {
      request = HttpRequest.newBuilder(base.resolve("/does-not-exist")).build();
    } else {
      boolean stream = dice < 35;
      String body =
          "{\"conversation_id\":\""
              + conversation
              + "\",\"message\":\""
              + QUESTIONS[random.nextInt(QUESTIONS.length)]
              // a third of the questions are new, so that LLM calls (and their errors) go on
              // after the cache has learned the repeated ones
              + (dice % 3 == 0 ? " #" + random.nextInt(1_000_000) : "")
              + "\",\"stream\":"
              + stream
              + "}";
      request =
          HttpRequest.newBuilder(base.resolve("/chat"))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .timeout(Duration.ofSeconds(60))
              .build();
    }
    try {
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
    } catch (Exception e) {
      statuses.computeIfAbsent(-1, s -> new LongAdder()).increment();
    }
  }
}
