package com.aicompanion.monitoring.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicompanion.monitoring.health.CheckResult.Status;
import com.aicompanion.monitoring.testsupport.FreePort;
import com.aicompanion.monitoring.testsupport.RedisServer;
import java.io.IOException;
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

  @Test
  void nothingListeningFailsQuickly() {
    int closedPort = FreePort.find();
    long begin = System.nanoTime();

    assertThatThrownBy(() -> HealthChecks.redis("127.0.0.1", closedPort).check())
        .isInstanceOf(IOException.class);
    assertThat((System.nanoTime() - begin) / 1_000_000).isLessThan(2500);
  }
}
