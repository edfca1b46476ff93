package com.aicompanion.monitoring.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The request size limit learned from 413 answers, against a simulated destination with a limit it
 * does not state: whatever that limit, the configured one and the record size, the learned limit
 * never refuses locally what the destination would take, and after a few 413s (about log2 of
 * configured / actual) no request is refused again.
 */
class RequestLimitTest {

  /**
   * Sends batches of equal records as the worker does: a batch is filled to the target; a part over
   * the learned limit is regrouped into parts of the target; a refused part is regrouped the same
   * way. Returns the number of 413 answers.
   */
  private static int simulate(RequestLimit limit, long destination, long record, int batches) {
    int refusals = 0;
    for (int b = 0; b < batches; b++) {
      refusals += send(limit, destination, Math.max(1, limit.target() / record), record);
    }
    return refusals;
  }

  private static int send(RequestLimit limit, long destination, long records, long record) {
    long size = records * record;
    if (records > 1 && size > limit.max()) {
      return inParts(limit, destination, records, record);
    }
    if (size > limit.max()) {
      return 0; // a single record over the limit: shortened or oversize, not sent
    }
    if (size <= destination) {
      limit.accepted(size);
      return 0;
    }
    limit.refused(size);
    return records == 1 ? 1 : 1 + inParts(limit, destination, records, record);
  }

  private static int inParts(RequestLimit limit, long destination, long records, long record) {
    int refusals = 0;
    long left = records;
    while (left > 0) {
      long part = Math.min(left, Math.max(1, limit.target() / record));
      refusals += send(limit, destination, part, record);
      left -= part;
    }
    return refusals;
  }

  @Property(tries = 500)
  void neverRefusesLocallyWhatPassesAndStopsHittingTheLimitAfterAFewHalvings(
      @ForAll @IntRange(min = 1024, max = 100 << 20) int configured,
      @ForAll @IntRange(min = 1024, max = 10 << 20) int destination,
      @ForAll @IntRange(min = 50, max = 5000) int record) {
    RequestLimit limit = new RequestLimit(configured, Duration.ofMinutes(10), () -> 0L);
    int first = simulate(limit, destination, record, 50);

    assertThat(limit.max()).isGreaterThanOrEqualTo(Math.min(configured, destination));
    assertThat(simulate(limit, destination, record, 50)).as("413s once learned").isZero();
    // each 413 at least halves the size tried, down to one record per request
    int halvings =
        64 - Long.numberOfLeadingZeros(Math.max(1, configured / Math.max(1, destination)));
    assertThat(first).isLessThanOrEqualTo(halvings + 2);
    if (destination >= 2L * record) {
      // batches keep at least half the room the destination allows
      assertThat(limit.target()).isGreaterThan(Math.min(configured, destination) / 2 - record);
    }
  }

  @Example
  void defaultBatchesBehindA64KiBProxyLearnInAFewRefusals() {
    RequestLimit limit = new RequestLimit(5 << 20, Duration.ofMinutes(10), () -> 0L);
    int refusals = simulate(limit, 64 << 10, 480, 100);
    // 5 MiB down to 64 KiB: one 413 per halving (7), not one per part of every level (127)
    assertThat(refusals).isLessThanOrEqualTo(8);
    assertThat(limit.target()).isBetween(32L << 10, 64L << 10);
  }

  @Example
  void aLearnedLimitIsForgottenAfterTheIntervalWithoutA413() {
    AtomicLong now = new AtomicLong();
    RequestLimit limit = new RequestLimit(1 << 20, Duration.ofMinutes(10), now::get);
    limit.refused(100_000);
    assertThat(limit.max()).isEqualTo(99_999);
    now.addAndGet(Duration.ofMinutes(9).toNanos());
    assertThat(limit.max()).isEqualTo(99_999);
    now.addAndGet(Duration.ofMinutes(2).toNanos());
    assertThat(limit.max()).isEqualTo(1 << 20);
    assertThat(limit.target()).isEqualTo(1 << 20);
  }
}
