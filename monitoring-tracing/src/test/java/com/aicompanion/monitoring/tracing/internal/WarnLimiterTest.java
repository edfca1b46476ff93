package com.aicompanion.monitoring.tracing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WarnLimiterTest {
  @Test
  void firstProblemIsReportedThenOncePerIntervalWithTheHeldBackCount() {
    AtomicLong now = new AtomicLong();
    WarnLimiter limiter = new WarnLimiter(Duration.ofMinutes(1), now::get);
    assertThat(limiter.tryReport()).isZero();
    for (int i = 0; i < 99; i++) {
      assertThat(limiter.tryReport()).isEqualTo(-1);
    }
    now.addAndGet(Duration.ofMinutes(1).toNanos());
    assertThat(limiter.tryReport()).isEqualTo(99);
    assertThat(limiter.tryReport()).isEqualTo(-1);
  }

  @Test
  void afterARecoveryTheNextProblemIsReportedAtOnce() {
    AtomicLong now = new AtomicLong();
    WarnLimiter limiter = new WarnLimiter(Duration.ofMinutes(1), now::get);
    limiter.tryReport();
    limiter.reset();
    assertThat(limiter.active()).isFalse();
    assertThat(limiter.tryReport()).isZero();
  }
}
