package com.aicompanion.monitoring.benchmarks.cost;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An open-loop load at a fixed rate against the chat example: each request is sent at its planned
 * time whatever the earlier ones are doing, and its latency counts from that planned time, so a
 * stall shows in the percentiles instead of slowing the load down (no coordinated omission). Four
 * requests in five are {@code POST /chat} (a new conversation every 8 turns, so that the history a
 * turn loads stays short and the application's own work per request does not grow with the run; one
 * question in four new, an LLM call, the others cache hits from 200), one in five {@code GET
 * /conversations/{id}} of a conversation the turns finished with.
 *
 * <pre>{@code
 * FixedRateLoad.Result result = new FixedRateLoad(chat.base()).run(400, Duration.ofSeconds(30));
 * }</pre>
 */
final class FixedRateLoad {
  /** More requests than this outstanding means the app no longer keeps up: the run stops. */
  private static final int MAX_OUTSTANDING = 2_000;

  /**
   * What one run measured: {@code answeredMicros} is every answered request's latency in
   * microseconds, sorted (runs are merged before percentiles are taken).
   */
  record Result(
      long requests, long failed, long non2xx, boolean overloaded, long[] answeredMicros) {}

  private final URI base;

  /** Runs so far: each run's conversations are its own ({@code bench-<run>-<n>}). */
  private int runs;

  /** Requests answered over every run so far. */
  private long answeredTotal;

  /** Conversations the previous run finished (0 before the first run ended). */
  private int finishedConversations;

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .executor(Executors.newFixedThreadPool(4, daemon("load-http")))
          .build();

  FixedRateLoad(URI base) {
    this.base = base;
  }

  /** Sends {@code rate} requests per second for {@code duration} and waits for every answer. */
  Result run(int rate, Duration duration) throws InterruptedException {
    int run = runs++;
    int previous = finishedConversations;
    int total = (int) Math.max(1, rate * duration.toMillis() / 1_000);
    long[] latencies = new long[total];
    Arrays.fill(latencies, -1);
    AtomicInteger next = new AtomicInteger();
    AtomicInteger outstanding = new AtomicInteger();
    AtomicLong failed = new AtomicLong();
    AtomicLong non2xx = new AtomicLong();
    CompletableFuture<Void> done = new CompletableFuture<>();
    AtomicInteger finished = new AtomicInteger();
    long periodNanos = 1_000_000_000L / rate;
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(daemon("load-ticker"));
    boolean[] overloaded = {false};
    ticker.scheduleAtFixedRate(
        () -> {
          long now = System.nanoTime();
          // send every request whose planned time has come (the ticker may wake late)
          while (true) {
            int i = next.get();
            if (i >= total) {
              return;
            }
            long planned = start + i * periodNanos;
            if (planned > now) {
              return;
            }
            if (outstanding.get() > MAX_OUTSTANDING) {
              overloaded[0] = true;
              done.complete(null);
              return;
            }
            next.incrementAndGet();
            outstanding.incrementAndGet();
            http.sendAsync(request(run, previous, i), HttpResponse.BodyHandlers.discarding())
                .whenComplete(
                    (response, error) -> {
                      latencies[i] = (System.nanoTime() - planned) / 1_000;
                      if (error != null) {
                        failed.incrementAndGet();
                      } else if (response.statusCode() / 100 != 2) {
                        non2xx.incrementAndGet();
                      }
                      outstanding.decrementAndGet();
                      if (finished.incrementAndGet() == total) {
                        done.complete(null);
                      }
                    });
          }
        },
        0,
        Math.max(100_000, periodNanos / 2),
        TimeUnit.NANOSECONDS);
    try {
      done.get(duration.toSeconds() + 120, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      overloaded[0] = true;
    } finally {
      ticker.shutdownNow();
    }
    long[] answered = Arrays.stream(latencies).filter(l -> l >= 0).sorted().toArray();
    answeredTotal += answered.length;
    // POSTs are 4 in 5 requests; a conversation is finished after 8 of them
    finishedConversations = (int) ((long) total * 4 / 5 / POSTS_PER_CONVERSATION);
    return new Result(answered.length, failed.get(), non2xx.get(), overloaded[0], answered);
  }

  /** Requests answered over every run of this load so far (the warm-up's included). */
  long answeredTotal() {
    return answeredTotal;
  }

  /** POSTs per conversation: the history a turn loads and a GET returns stays short. */
  static final int POSTS_PER_CONVERSATION = 8;

  private HttpRequest request(int run, int previous, int i) {
    int post = (i / 5) * 4 + Math.min(i % 5, 3);
    if (i % 5 == 4) {
      // a conversation of the previous run, all 8 turns answered (one of this run may still have
      // none after a stall); in the first run, the one its POSTs finished with
      String id =
          previous > 0
              ? (run - 1) + "-" + (i / 5) % previous
              : run + "-" + Math.max(0, post / POSTS_PER_CONVERSATION - 1);
      return HttpRequest.newBuilder(base.resolve("conversations/bench-" + id))
          .timeout(Duration.ofSeconds(30))
          .build();
    }
    // a new conversation every 8 POSTs, so the database's work per request stays the same however
    // long the run (each run of the load has its own: 8 turns each whatever the number of runs);
    // one question in four is new (an LLM call), the others come round from 200 (cache hits)
    String question =
        post % 4 == 0
            ? "A new question " + i + " about the weather?"
            : "Question number " + (post % 200) + " about the weather?";
    String body =
        "{\"conversation_id\":\"bench-"
            + run
            + "-"
            + post / POSTS_PER_CONVERSATION
            + "\",\"message\":\""
            + question
            + "\"}";
    return HttpRequest.newBuilder(base.resolve("chat"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  static long percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return -1;
    }
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
