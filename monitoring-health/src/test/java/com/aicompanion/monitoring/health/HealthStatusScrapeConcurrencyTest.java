package com.aicompanion.monitoring.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.Monitoring;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, case 5: a check whose status flips every millisecond while four threads scrape the real
 * {@code /metrics} for 10 seconds. Every scrape answers 200, holds no sample twice and shows each
 * check in exactly one state.
 */
class HealthStatusScrapeConcurrencyTest {
  private static final Duration RUN = Duration.ofSeconds(10);

  @Test
  void statusFlippingEveryMillisecondNeverBreaksAScrapeNorShowsTwoStates() throws Exception {
    try (Monitoring monitoring = TestHttp.monitoring("flip-test").start()) {
      HealthRegistry health = monitoring.get(HealthRegistry.class);
      AtomicBoolean passing = new AtomicBoolean();
      health.register(
          "flip",
          () -> passing.get() ? CheckResult.pass() : CheckResult.fail("flipped"),
          CheckOptions.critical().cacheInterval(Duration.ZERO));
      health.register(
          "flip-soft",
          () -> passing.get() ? CheckResult.pass() : CheckResult.fail("flipped"),
          CheckOptions.nonCritical().cacheInterval(Duration.ZERO));
      health.check(); // the status series exist from the first result on
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong flips = new AtomicLong();
      ExecutorService threads = Executors.newFixedThreadPool(5);
      ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
      AtomicLong scrapes = new AtomicLong();
      try {
        threads.submit(
            () -> {
              while (running.get()) {
                passing.set(!passing.get());
                health.check();
                flips.incrementAndGet();
                TimeUnit.MILLISECONDS.sleep(1);
              }
              return null;
            });
        HttpRequest scrape = HttpRequest.newBuilder(TestHttp.uri(monitoring, "/metrics")).build();
        List<Future<?>> scrapers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          scrapers.add(
              threads.submit(
                  () -> {
                    while (running.get()) {
                      HttpResponse<String> response = TestHttp.send(scrape);
                      scrapes.incrementAndGet();
                      if (response.statusCode() != 200) {
                        problems.add("HTTP " + response.statusCode() + ": " + response.body());
                      } else {
                        problems.addAll(inconsistencies(response.body()));
                      }
                    }
                    return null;
                  }));
        }
        TimeUnit.MILLISECONDS.sleep(RUN.toMillis());
        running.set(false);
        for (Future<?> scraper : scrapers) {
          scraper.get(30, TimeUnit.SECONDS);
        }
      } finally {
        running.set(false);
        threads.shutdownNow();
      }

      assertThat(problems).isEmpty();
      assertThat(scrapes.get()).isGreaterThan(100);
      assertThat(flips.get()).isGreaterThan(1000);
    }
  }

  /** Duplicate samples, and checks with other than exactly one status series, in one scrape. */
  private static List<String> inconsistencies(String exposition) {
    List<String> found = new ArrayList<>();
    Set<String> samples = new HashSet<>();
    int flip = 0;
    int soft = 0;
    for (String line : exposition.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      String series = line.substring(0, space);
      if (!samples.add(series)) {
        found.add("duplicate sample " + series);
      }
      if (series.startsWith("health_check_status{")) {
        String value = line.substring(space + 1);
        if (series.equals("health_check_status{check=\"flip\",critical=\"true\"}")) {
          flip++;
          if (!value.equals("1.0") && !value.equals("0.0")) {
            found.add("flip has value " + value);
          }
        } else if (series.equals("health_check_status{check=\"flip-soft\",critical=\"false\"}")) {
          soft++;
          // a non-critical failure is warn in /health but 0 here, so that alert rules see it
          if (!value.equals("1.0") && !value.equals("0.0")) {
            found.add("flip-soft has value " + value);
          }
        } else {
          found.add("unexpected status series " + line);
        }
      }
    }
    if (flip != 1 || soft != 1) {
      found.add("status series per check: flip " + flip + ", flip-soft " + soft);
    }
    return found;
  }
}
