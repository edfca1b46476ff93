package com.aicompanion.monitoring.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The share of a run's timeout the built-in checks give their own I/O: enough margin that their
 * descriptive error wins over the registry's {@code timed out after ...} on a busy machine (a CI
 * run lost that race with a margin of 80ms out of 800ms).
 */
class RunDeadlineTest {
  @AfterEach
  void clear() {
    RunDeadline.clear();
  }

  @Test
  void marginIsATenthAtLeast200MsAndAtMostAQuarter() {
    assertThat(RunDeadline.margin(ms(800))).isEqualTo(ms(200));
    assertThat(RunDeadline.margin(ms(1000))).isEqualTo(ms(200));
    assertThat(RunDeadline.margin(ms(2000))).isEqualTo(ms(200));
    assertThat(RunDeadline.margin(ms(5000))).isEqualTo(ms(500));
    assertThat(RunDeadline.margin(ms(100))).isEqualTo(ms(25));
    assertThat(RunDeadline.margin(0)).isZero();
    assertThat(RunDeadline.margin(-ms(5))).isZero();
  }

  @Test
  void withoutARunTheCheckKeepsItsOwnTimeout() {
    assertThat(RunDeadline.ioTimeout(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void withinARunTheIoEndsAMarginBeforeTheRegistryGivesUp() {
    long deadline = System.nanoTime() + ms(800);
    RunDeadline.set(deadline);

    Duration io = RunDeadline.ioTimeout(Duration.ofSeconds(2));
    long leftToTheRegistry = deadline - System.nanoTime() - io.toNanos();

    assertThat(io).isLessThanOrEqualTo(Duration.ofMillis(600));
    assertThat(leftToTheRegistry).isGreaterThanOrEqualTo(ms(200) - ms(50));
  }

  @Test
  void aRunPastItsDeadlineStillGetsOneMillisecond() {
    RunDeadline.set(System.nanoTime() - ms(10));

    assertThat(RunDeadline.ioTimeout(Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(1));
  }

  private static long ms(long millis) {
    return Duration.ofMillis(millis).toNanos();
  }
}
