package com.aicompanion.monitoring.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.health.CheckResult.Status;
import com.aicompanion.monitoring.testsupport.FreePort;
import com.aicompanion.monitoring.testsupport.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The RESP check against a real password-protected Redis that the test starts. */
class RedisCheckTest {
  private static final String PASSWORD = "redis-s3cret";
  private static RedisServer redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start(PASSWORD);
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void pingWithPasswordPassesWithLatency() throws Exception {
    CheckResult result = HealthChecks.redis("127.0.0.1", redis.port(), PASSWORD).check();

    assertThat(result.status()).isEqualTo(Status.PASS);
    assertThat(result.observedUnit()).isEqualTo("ms");
    assertThat(result.observedValue()).isPositive();
  }

  @Test
  void wrongPasswordFailsWithRedisErrorButWithoutThePassword() {
    assertThatThrownBy(() -> HealthChecks.redis("127.0.0.1", redis.port(), "wrong-pass").check())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("AUTH")
        .hasMessageNotContaining("wrong-pass");
  }

  @Test
  void missingPasswordFailsWithNoAuth() {
    assertThatThrownBy(() -> HealthChecks.redis("127.0.0.1", redis.port()).check())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("NOAUTH");
  }

  /** Issue 11, case 11, for Redis: a relay that stops forwarding, then forwards again. */
  @Test
  void redisBehindARelayThatStopsForwardingFailsInTimeAndPassesOnceItForwardsAgain() {
    try (TcpRelay relay = TcpRelay.start(redis.port());
        HealthRegistry health =
            HealthRegistry.builder()
                .meterRegistry(new SimpleMeterRegistry())
                .cacheInterval(Duration.ZERO)
                .build()) {
      health.register(
          "redis",
          HealthChecks.redis("127.0.0.1", relay.port(), PASSWORD),
          CheckOptions.critical().timeout(Duration.ofMillis(800)));
      assertThat(health.check().status()).isEqualTo(Status.PASS);

      relay.stopForwarding();
      long begin = System.nanoTime();
      CheckResult frozen = health.check().checks().get("redis");
      long tookMs = (System.nanoTime() - begin) / 1_000_000;

      assertThat(tookMs).isLessThan(1200);
      assertThat(frozen.status()).isEqualTo(Status.FAIL);
      assertThat(frozen.output())
          .startsWith("SocketTimeoutException: Redis at 127.0.0.1:" + relay.port())
          .contains("did not answer within");
      assertThat(health.abandonedRuns("redis")).isZero();

      relay.resumeForwarding();
      await().atMost(Duration.ofSeconds(3)).until(() -> health.check().status() == Status.PASS);
    }
  }

  @Test
  void nothingListeningFailsQuickly() {
    int closedPort = FreePort.find();
    long begin = System.nanoTime();

    assertThatThrownBy(() -> HealthChecks.redis("127.0.0.1", closedPort).check())
        .isInstanceOf(IOException.class);
    assertThat((System.nanoTime() - begin) / 1_000_000).isLessThan(2500);
  }
}
