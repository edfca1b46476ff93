package com.aicompanion.monitoring.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Review 14b of {@link RunDeadline}: the margin rule over the whole range of time left (jqwik is
 * not on this module's test classpath: loops over a range and every ns around the rule's bends),
 * and the check's own timeout at the extremes.
 */
class Review14bRunDeadlineTest {
  private static final long MS = 1_000_000L;

  @AfterEach
  void clear() {
    RunDeadline.clear();
  }

  /**
   * The time the I/O gets, {@code remaining - margin(remaining)}, never decreases as the time left
   * grows (more time left must never mean a shorter I/O timeout), and the margin stays within [0,
   * remaining / 4]: checked every 1 ms up to 10 s, every ns within 1 us of the bends (800 ms, where
   * a quarter meets 200 ms; 2 s, where a tenth does) and around 0.
   */
  @Test
  void theIoTimeNeverShrinksAsTheTimeLeftGrowsAndTheMarginStaysWithinAQuarter() {
    long previous = Long.MIN_VALUE;
    for (long r = -5 * MS; r <= 10_000 * MS; r += MS / 4) {
      previous = checkStep(r, previous);
    }
    for (long bend : new long[] {0, 800 * MS, 2_000 * MS}) {
      previous = Long.MIN_VALUE;
      for (long r = bend - 1_000; r <= bend + 1_000; r++) {
        previous = checkStep(r, previous);
      }
    }
  }

  private static long checkStep(long remaining, long previous) {
    long margin = RunDeadline.margin(remaining);
    long io = remaining - margin;
    assertThat(io).as("io at %d ns left", remaining).isGreaterThanOrEqualTo(previous);
    assertThat(margin)
        .as("margin at %d ns left", remaining)
        .isBetween(0L, Math.max(0, remaining / 4));
    return io;
  }

  /** The bends exactly: 800 ms leaves 600 ms (both rules give 200 ms); 2 s leaves 1.8 s. */
  @Test
  void atTheBendsBothRulesAgree() {
    assertThat(RunDeadline.margin(800 * MS)).isEqualTo(200 * MS);
    assertThat(RunDeadline.margin(800 * MS - 1)).isEqualTo((800 * MS - 1) / 4);
    assertThat(RunDeadline.margin(2_000 * MS)).isEqualTo(200 * MS);
    assertThat(RunDeadline.margin(2_000 * MS + 10)).isEqualTo(200 * MS + 1);
    assertThat(RunDeadline.margin(1)).isZero();
    assertThat(RunDeadline.margin(Long.MIN_VALUE)).isZero();
    // no overflow at the top: a tenth of Long.MAX_VALUE
    assertThat(RunDeadline.margin(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE / 10);
  }

  /**
   * {@code HealthChecks.http(uri, min, max, timeout)} accepts any timeout, and a user who wants the
   * registry's timeout alone may pass a very long one ({@code ChronoUnit.FOREVER.getDuration()},
   * {@code Duration.ofSeconds(Long.MAX_VALUE)}, or anything past 292 years). The javadoc says
   * "{@code own}, or less when the current run has less time left", but {@code own.toNanos()}
   * throws ArithmeticException ("long overflow") first, so every run of such a check fails with
   * that instead of doing its I/O. Expected: within a run of 800 ms, at most 600 ms.
   */
  @Test
  void aVeryLongOwnTimeoutIsCappedByTheRunInsteadOfOverflowing() {
    RunDeadline.set(System.nanoTime() + 800 * MS);

    Duration io = RunDeadline.ioTimeout(ChronoUnit.FOREVER.getDuration());

    assertThat(io).isLessThanOrEqualTo(Duration.ofMillis(600)).isPositive();
  }

  /**
   * Within a run, the I/O timeout is never above the check's own timeout nor above the time left
   * less the margin, and never below 1 ms (a zero or negative own timeout gives 1 ms, which
   * HttpRequest.timeout and Socket.setSoTimeout accept as a real bound, unlike 0).
   */
  @Test
  void theIoTimeoutIsTheSmallerBoundAndAtLeastOneMillisecond() {
    RunDeadline.set(System.nanoTime() + 5_000 * MS);
    assertThat(RunDeadline.ioTimeout(Duration.ofMillis(300))).isEqualTo(Duration.ofMillis(300));
    assertThat(RunDeadline.ioTimeout(Duration.ofSeconds(10)))
        .isLessThanOrEqualTo(Duration.ofMillis(4_500))
        .isGreaterThan(Duration.ofMillis(4_000));
    assertThat(RunDeadline.ioTimeout(Duration.ZERO)).isEqualTo(Duration.ofMillis(1));
    assertThat(RunDeadline.ioTimeout(Duration.ofMillis(-5))).isEqualTo(Duration.ofMillis(1));
  }
}
