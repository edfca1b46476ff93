package com.aicompanion.monitoring.soak;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soak's end checks, printed first as the ledger.
 *
 * <pre>{@code
 * SoakAssertions.check(SoakRun.run(plan));
 * }</pre>
 */
final class SoakAssertions {
  /** Used heap after GC may grow by this much (the app's own H2 conversation store grows too). */
  static final long HEAP_GROWTH_BOUND = 32L * 1024 * 1024;

  /**
   * Live threads (without HttpClient and common-pool workers) may grow by this much from the
   * baseline after warm-up: the OTLP exporter's OkHttp client adds a dispatcher thread and its task
   * runner after a failed export (idle ones end after 60 s).
   */
  static final int THREAD_GROWTH_BOUND = 4;

  /** Growth allowed from the end of the first outage cycle to the end of the last. */
  static final int THREAD_GROWTH_PER_SOAK_BOUND = 2;

  private SoakAssertions() {}

  static void check(SoakRun.Result result) {
    // the ledger is the figure this module exists to publish: print it in the build log
    System.out.println(result.ledger());
    assertThat(result.logged()).as("events logged").isPositive();
    // the outages went to the shipper's disk spool: nothing dropped, everything shipped
    assertThat(result.dropped()).as("events dropped across the outages").isZero();
    assertThat(result.failed()).as("events OpenSearch rejected").isZero();
    assertThat(result.shipped() + result.dropped() + result.failed())
        .as("logged = shipped + dropped + failed")
        .isEqualTo(result.logged());
    assertThat(result.inOpenSearch())
        .as("documents in OpenSearch = shipped")
        .isEqualTo(result.shipped());
    assertThat(result.statuses().keySet())
        .as(
            "load statuses %s: 2xx, 404 for unknown paths, 502 from the simulated LLM only",
            result.statuses())
        .isSubsetOf(200, 404, 502);
    assertThat(result.statuses().get(200)).isPositive();
    assertThat(result.heapEnd())
        .as("used heap after GC at the end vs start")
        .isLessThanOrEqualTo(result.heapStart() + HEAP_GROWTH_BOUND);
    assertThat(result.threadsEnd())
        .as("live threads at the end vs start, changed: %s", result.threadChanges())
        .isLessThanOrEqualTo(result.threadsStart() + THREAD_GROWTH_BOUND);
    assertThat(result.threadsEnd())
        .as("live threads at the end vs after the first cycle")
        .isLessThanOrEqualTo(result.threadsAfterFirstCycle() + THREAD_GROWTH_PER_SOAK_BOUND);
    assertThat(result.spansExported()).as("spans exported").isPositive();
    assertThat(result.alertsSent()).as("alerts sent").isPositive();
  }
}
